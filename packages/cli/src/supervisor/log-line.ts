import { printableText } from '@jbot/core';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'msg', 'bot', 'pid', 'hostname']);
// A local Telegram line (no TELEGRAM_BOT_TOKEN) is what the operator would read on the phone:
// shown as such, without the transport's bookkeeping fields.
const LOCAL_TELEGRAM_HIDDEN = new Set([...HIDDEN, 'channel', 'chatId', 'messageId', 'edited']);
const LOCAL_OPERATOR_CHAT = 'local-operator';

/**
 * Turn one pino JSON line from a bot into a readable line for the person watching `pnpm start`:
 * "08:30:01 salesbot   info  stale deals found  job=hubspot-sync". A multi-line message (a
 * batched Telegram line, a brief) keeps its lines under the message column, each tagged with the
 * bot; non-JSON lines (the local channel's posts) pass through with the bot's name in front.
 * What comes from the bot (its message, fields and raw lines: outside data) is made printable
 * before the caller's colour is added, so a deal name's escape sequence reaches no terminal raw.
 */
export function formatLogLine(bot: string, line: string, color: (text: string) => string = (text) => text): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${color(bot.padEnd(10))} ${printableText(line)}`;
  }
  if (typeof entry !== 'object' || entry === null) return `${color(bot.padEnd(10))} ${printableText(line)}`;
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toISOString().slice(11, 19) : '        ';
  const level = LEVELS[Number(entry['level'])] ?? 'info ';
  const localTelegram = entry['channel'] === 'telegram(local)';
  const hidden = localTelegram ? LOCAL_TELEGRAM_HIDDEN : HIDDEN;
  const extras = Object.entries(entry)
    .filter(([key]) => !hidden.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .map(printableText)
    .join(' ');
  let message = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  if (localTelegram) {
    const chat = entry['chatId'] === undefined || entry['chatId'] === LOCAL_OPERATOR_CHAT ? '' : ` ${String(entry['chatId'])}`;
    message = `→ Telegram${chat}${entry['edited'] === true ? ' (edited)' : ''}: ${message}`;
  }
  const [first = '', ...rest] = printableText(message).split('\n');
  const head = `${time} ${color(bot.padEnd(10))} ${level} ${first}${extras === '' ? '' : `  ${extras.length > 300 ? `${extras.slice(0, 300)}…` : extras}`}`;
  if (rest.length === 0) return head;
  const indent = `${' '.repeat(8)} ${color(bot.padEnd(10))} ${' '.repeat(5)} `;
  return [head, ...rest.map((continued) => `${indent}${continued}`)].join('\n');
}
