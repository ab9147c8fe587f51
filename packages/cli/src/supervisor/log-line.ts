import { printableText } from '@jbot/core';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'msg', 'bot', 'pid', 'hostname']);
// A local Telegram line (no TELEGRAM_BOT_TOKEN) is what the operator would read on the phone:
// shown as such, without the transport's bookkeeping fields.
const LOCAL_TELEGRAM_HIDDEN = new Set([...HIDDEN, 'channel', 'chatId', 'messageId', 'edited', 'direction', 'replyTo']);
const LOCAL_OPERATOR_CHAT = 'local-operator';

/**
 * Turn one pino JSON line from a bot into a readable line for the person watching `pnpm start`:
 * "08:30:01 salesbot   info  stale deals found  job=hubspot-sync". A multi-line message (a
 * batched Telegram line, a brief) keeps its lines under the message column, each tagged with the
 * bot; non-JSON lines (the local channel's posts) pass through with the bot's name in front.
 * What comes from the bot (its message, fields and raw lines: outside data) is made printable
 * before the caller's colour is added, so a deal name's escape sequence reaches no terminal raw.
 */
export function formatLogLine(bot: string, line: string, color: (text: string) => string = (text) => text, styled = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${color(bot.padEnd(10))} ${renderMarkdown(printableText(line), styled)}`;
  }
  if (typeof entry !== 'object' || entry === null) return `${color(bot.padEnd(10))} ${printableText(line)}`;
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toISOString().slice(11, 19) : '        ';
  const level = LEVELS[Number(entry['level'])] ?? 'info ';
  const localTelegram = entry['channel'] === 'telegram(local)';
  const hidden = localTelegram ? LOCAL_TELEGRAM_HIDDEN : HIDDEN;
  const extras = Object.entries(entry)
    .filter(([key]) => !hidden.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? withoutMilliseconds(value) : JSON.stringify(value)}`)
    .map(printableText)
    .join(' ');
  let message = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  if (localTelegram) {
    const chat = entry['chatId'] === undefined || entry['chatId'] === LOCAL_OPERATOR_CHAT ? '' : ` ${String(entry['chatId'])}`;
    message = entry['direction'] === 'in' ? `← you${chat}: ${message}` : `→ Telegram${chat}${entry['edited'] === true ? ' (edited)' : ''}: ${message}`;
  }
  // Styling is added after the outside text is made printable, so only our own escapes remain.
  const printable = printableText(message);
  const [first = '', ...rest] = (localTelegram && entry['direction'] !== 'in' ? renderMarkdown(printable, styled) : printable).split('\n');
  const head = `${time} ${color(bot.padEnd(10))} ${level} ${first}${extras === '' ? '' : `  ${extras.length > 300 ? `${extras.slice(0, 300)}…` : extras}`}`;
  if (rest.length === 0) return head;
  const indent = `${' '.repeat(8)} ${color(bot.padEnd(10))} ${' '.repeat(5)} `;
  return [head, ...rest.map((continued) => `${indent}${continued}`)].join('\n');
}

/**
 * The little Markdown the bots write for Discord and Telegram, as a terminal shows it: **bold**
 * and __underline__ styled (plain on a pipe), [label](url) as "label (url)", # headings bold.
 * `code` keeps its backticks: they mark commands to copy.
 */
export function renderMarkdown(text: string, styled: boolean): string {
  const bold = (inner: string) => (styled ? `\u001b[1m${inner}\u001b[22m` : inner);
  const underline = (inner: string) => (styled ? `\u001b[4m${inner}\u001b[24m` : inner);
  return text
    .replace(/^#{1,3} +(.+)$/, (_, inner: string) => bold(inner))
    .replace(/\*\*(?=\S)(.+?)\*\*/g, (_, inner: string) => bold(inner))
    .replace(/__(?=\S)(.+?)__/g, (_, inner: string) => underline(inner))
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, (_, label: string, url: string) => `${label} (${url})`);
}

/** One line for a log collector when the supervisor's output is not a terminal: the bot's pino JSON as it is, anything else wrapped as JSON. */
export function jsonLogLine(bot: string, line: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
  try {
    const entry: unknown = JSON.parse(line);
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) return line;
  } catch {
    // Not JSON: a local channel post or a stray print; wrapped below.
  }
  return JSON.stringify({ level: stream === 'stderr' ? 50 : 30, time: Date.now(), bot, channel: 'console', msg: line });
}

// A context field holding a timestamp (scheduledFor=…) reads to the second on the console.
function withoutMilliseconds(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/.test(value) ? value.replace(/\.\d+Z$/, 'Z') : value;
}
