// An approval's draft as plain text for the phone, for any action: no per-action code, so every
// approval a bot will ever request shows what it would do. Who it goes to comes first, then what
// it is called, then the rest in the draft's own order, long texts last.

/** How much of the draft to show: every field and word, or who/what and the first lines. */
export type DraftDetail = 'full' | 'summary';

/** Keys naming who receives the outcome (shown first in each object). */
const RECIPIENT_KEY = /^(to|cc|bcc|recipients?|emails?_to|send_to|phone|customer|account)$/i;
/** Keys naming what it is (shown right after the recipients). */
const HEADLINE_KEY = /^(subject|title|name|campaign|deal)$/i;
/** Identifiers: useful in full, noise in a summary. */
const IDENTIFIER_KEY = /(^|_)id$/i;
/** A string this long, or with a line break, is prose: it gets its own indented block. */
const PROSE_LENGTH = 120;
/** In a summary: the first lines of each prose text, each at most this long; lists this long. */
const SUMMARY_LINES = 3;
const SUMMARY_LINE_CHARS = 160;
const SUMMARY_LIST_ITEMS = 8;
const MAX_DEPTH = 4;

/**
 * The draft as lines of text. `full` holds every field and the whole of every text (what an
 * approver must read before an Approve); `summary` holds recipients, subjects and the first lines
 * of each text, and says what it left out.
 */
export function renderDraft(draft: unknown, detail: DraftDetail): string {
  return renderValue(draft, detail, 0).join('\n').trim();
}

/** True when the draft has nothing to show (an empty object, null). */
export function isEmptyDraft(draft: unknown): boolean {
  return renderDraft(draft, 'full') === '';
}

function renderValue(value: unknown, detail: DraftDetail, depth: number): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return prose(value, detail);
  if (typeof value !== 'object') return [String(value)];
  if (depth >= MAX_DEPTH) return [clipLine(JSON.stringify(value), detail === 'full' ? Number.POSITIVE_INFINITY : SUMMARY_LINE_CHARS)];
  if (Array.isArray(value)) return renderList(value, detail, depth);
  return renderObject(value as Record<string, unknown>, detail, depth);
}

function renderObject(object: Record<string, unknown>, detail: DraftDetail, depth: number): string[] {
  const entries = Object.entries(object).filter(([key, value]) => value !== undefined && value !== null && !(detail === 'summary' && IDENTIFIER_KEY.test(key)));
  const rank = ([key, value]: [string, unknown]) => (RECIPIENT_KEY.test(key) ? 0 : HEADLINE_KEY.test(key) ? 1 : isBlock(value) ? 3 : 2);
  // A stable sort keeps the draft's own order inside each rank.
  const ordered = entries.map((entry, index) => ({ entry, index })).sort((left, right) => rank(left.entry) - rank(right.entry) || left.index - right.index);
  const lines: string[] = [];
  for (const {
    entry: [key, value],
  } of ordered) {
    const label = key.replace(/[_.]+/g, ' ');
    if (!isBlock(value)) {
      lines.push(`${label}: ${inline(value, detail)}`);
      continue;
    }
    const block = renderValue(value, detail, depth + 1);
    if (block.length === 0) continue;
    lines.push(Array.isArray(value) ? `${label} (${value.length}):` : `${label}:`, ...block.map((line) => `  ${line}`));
  }
  return lines;
}

function renderList(list: unknown[], detail: DraftDetail, depth: number): string[] {
  const shown = detail === 'summary' ? list.slice(0, SUMMARY_LIST_ITEMS) : list;
  const lines: string[] = [];
  for (const [index, item] of shown.entries()) {
    const [first = '', ...rest] = renderValue(item, detail, depth + 1);
    lines.push(`${index + 1}) ${first}`, ...rest.map((line) => `   ${line}`));
  }
  if (shown.length < list.length) lines.push(`… and ${list.length - shown.length} more`);
  return lines;
}

// A value that takes its own block: prose, a list of objects, an object.
function isBlock(value: unknown): boolean {
  if (typeof value === 'string') return value.length > PROSE_LENGTH || value.includes('\n');
  if (Array.isArray(value)) return value.some((item) => typeof item === 'object' && item !== null) || value.join(', ').length > PROSE_LENGTH;
  return typeof value === 'object' && value !== null;
}

function inline(value: unknown, detail: DraftDetail): string {
  const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  return detail === 'summary' ? clipLine(text, SUMMARY_LINE_CHARS) : text;
}

// Prose in full, or its first non-empty lines with a note of how much was left out.
function prose(text: string, detail: DraftDetail): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (detail === 'full') return lines;
  const meaningful = lines.filter((line) => line.trim() !== '');
  const shown = meaningful.slice(0, SUMMARY_LINES).map((line) => clipLine(line, SUMMARY_LINE_CHARS));
  const hidden = meaningful.length - shown.length;
  return hidden > 0 ? [...shown, `… (${hidden} more line${hidden === 1 ? '' : 's'})`] : shown;
}

function clipLine(line: string, limit: number): string {
  return line.length <= limit ? line : `${line.slice(0, limit - 1)}…`;
}
