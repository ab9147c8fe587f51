import type { TelegramButton } from './telegram-transport.js';

/** One answerable line in a Telegram message: an escalated signal or an approval. */
export interface MessageItem {
  /** 1-based position, what the operator types to pick it in a multi-item message. */
  n: number;
  signal_id: string | null;
  approval_id: string | null;
  bot: string;
  line: string;
  severity: string | null;
  /** The signal's repeat_count when rendered. */
  count: number;
}

/** How a sent message is built, stored in channel_messages.body so it can be re-rendered (counts). */
export interface MessageBody {
  [key: string]: unknown;
  kind: string;
  parts: Array<{ text: string } | { item: number }>;
  items: MessageItem[];
  buttons?: TelegramButton[][];
  outbox_ids?: number[];
}

const SEVERITY_MARK: Record<string, string> = { critical: '🔴', alert: '🟠', warning: '🟡', info: '⚪' };

/** One item as the operator reads it: mark, line, and "(×10)" when the signal repeated. */
export function renderItem(item: MessageItem, numbered: boolean): string {
  const mark = item.severity === null ? '' : `${SEVERITY_MARK[item.severity] ?? ''} `;
  const count = item.count > 1 ? ` (×${item.count})` : '';
  return `${numbered ? `${item.n}. ` : ''}${mark}${item.line}${count}`;
}

/** The text of a message from its body; multi-item messages say how to answer one item. */
export function renderMessage(body: MessageBody): string {
  const numbered = body.items.length > 1;
  const lines = body.parts.map((part) => {
    if ('text' in part) return part.text;
    const item = body.items[part.item - 1];
    return item === undefined ? '' : renderItem(item, numbered);
  });
  if (numbered && body.kind !== 'brief') lines.push('', 'Reply with a number first to answer one, e.g. "2 follow up".');
  return lines.join('\n');
}

/** Pick the item a reply answers: the only one, or the one named by a leading number ("2 do it"). */
export function pickItem(body: Partial<MessageBody> | null | undefined, text: string): { item: MessageItem; text: string } | null {
  const items = Array.isArray(body?.items) ? body.items : [];
  if (items.length === 1 && items[0] !== undefined) return { item: items[0], text };
  const match = /^\s*#?(\d{1,2})[.):\s-]+(.*)$/s.exec(text);
  if (match === null) return null;
  const item = items.find((candidate) => candidate.n === Number(match[1]));
  return item === undefined ? null : { item, text: (match[2] ?? '').trim() || text };
}
