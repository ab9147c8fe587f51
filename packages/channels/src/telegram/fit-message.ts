/** Telegram's limit on one message's text (characters after entity parsing; we send plain text). */
export const TELEGRAM_MAX_TEXT = 4096;

/**
 * The longest one line may be inside a message: room is left for its number, severity mark,
 * repeat count and the "reply with a number" hint, so a single line always fits one message.
 */
export const MAX_LINE_CHARS = 3500;

/** What a clipped text ends with: the phone shows the start, the work floor has it all. */
export const CLIP_NOTE = '… [clipped: the full text is on the work floor]';

/**
 * `text` cut to at most `limit` characters (UTF-16 units, as Telegram counts), ending with
 * CLIP_NOTE when cut. Never splits a surrogate pair, so a clipped emoji does not become garbage.
 */
export function clipText(text: string, limit: number = MAX_LINE_CHARS): string {
  if (text.length <= limit) return text;
  let cut = Math.max(0, limit - CLIP_NOTE.length);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}${CLIP_NOTE}`;
}

/**
 * Split items into consecutive groups whose rendering fits `limit`, in order, greedily: each
 * group takes items while the message they make still fits. An item too long on its own forms
 * its own group (the caller clips it).
 */
export function groupToFit<Item>(items: readonly Item[], render: (group: Item[]) => string, limit: number = TELEGRAM_MAX_TEXT): Item[][] {
  const groups: Item[][] = [];
  let current: Item[] = [];
  for (const item of items) {
    const candidate = [...current, item];
    if (current.length > 0 && render(candidate).length > limit) {
      groups.push(current);
      current = [item];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
