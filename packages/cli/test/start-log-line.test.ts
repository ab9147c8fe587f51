import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../src/supervisor/log-line.js';

// What `pnpm start` prints for each line a bot writes: the newcomer's view of the fleet.
describe('pnpm start log lines', () => {
  const at = Date.parse('2026-11-25T08:30:01Z');

  it('shows time, bot, level and message, with the context fields after it', () => {
    const line = JSON.stringify({ level: 30, time: at, pid: 7, hostname: 'vm', bot: 'salesbot', job: 'hubspot-sync', stale: 2, msg: 'stale deals found' });
    expect(formatLogLine('salesbot', line)).toBe('08:30:01 salesbot   info  stale deals found  job=hubspot-sync stale=2');
  });

  it('shows a local Telegram line as what the operator reads, continuation lines under the message', () => {
    const text = '1. 🟠 mktgbot asks: Pause 4 ad campaigns\n2. 🟠 salesbot asks: Send 1 delay notice';
    const line = JSON.stringify({ level: 30, time: at, bot: 'jbot', channel: 'telegram(local)', chatId: 'local-operator', msg: text });
    expect(formatLogLine('jbot', line).split('\n')).toEqual([
      '08:30:01 jbot       info  → Telegram: 1. 🟠 mktgbot asks: Pause 4 ad campaigns',
      '         jbot             2. 🟠 salesbot asks: Send 1 delay notice',
    ]);
    const edited = JSON.stringify({ level: 30, time: at, bot: 'jbot', channel: 'telegram(local)', chatId: '1001', messageId: 3, edited: true, msg: 'done' });
    expect(formatLogLine('jbot', edited)).toBe('08:30:01 jbot       info  → Telegram 1001 (edited): done');
  });

  it("passes the local channel's readable posts through with the bot's name in front", () => {
    expect(formatLogLine('shipbot', '── #ship-bot · shipbot ──')).toBe('shipbot    ── #ship-bot · shipbot ──');
    expect(formatLogLine('opsbot', '42')).toBe('opsbot     42');
  });
});
