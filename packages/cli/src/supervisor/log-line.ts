const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'msg', 'bot', 'pid', 'hostname']);

/**
 * Turn one pino JSON line from a bot into a readable line for the person watching `pnpm start`:
 * "08:30:01 salesbot  info  stale deals found  job=hubspot-sync". Non-JSON lines pass through.
 */
export function formatLogLine(bot: string, line: string, color: (text: string) => string = (text) => text): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${color(bot.padEnd(10))} ${line}`;
  }
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toISOString().slice(11, 19) : '        ';
  const level = LEVELS[Number(entry['level'])] ?? 'info ';
  const extras = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const message = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  return `${time} ${color(bot.padEnd(10))} ${level} ${message}${extras === '' ? '' : `  ${extras.length > 300 ? `${extras.slice(0, 300)}…` : extras}`}`;
}
