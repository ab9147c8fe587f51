import { describe, expect, it } from 'vitest';
import { formatLogLine, jsonLogLine, renderMarkdown } from '../src/supervisor/log-line.js';
import { prettyOutput, supervisorIo } from '../src/supervisor/console-output.js';

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

  it('renders the Markdown the bots write for Discord: bold on a terminal, plain on a pipe; links readable; code kept', () => {
    expect(formatLogLine('salesbot', '**Deals** (2)')).toBe('salesbot   Deals (2)');
    expect(formatLogLine('salesbot', '**Deals** (2)', (text) => text, true)).toBe('salesbot   \u001b[1mDeals\u001b[22m (2)');
    expect(renderMarkdown('see [the deal](https://app.hubspot.com/d/1) — run `pnpm fleet approvals`', false)).toBe(
      'see the deal (https://app.hubspot.com/d/1) — run `pnpm fleet approvals`',
    );
    expect(renderMarkdown('2 ** 3 stays', false)).toBe('2 ** 3 stays');
    const telegram = JSON.stringify({ level: 30, time: at, bot: 'jbot', channel: 'telegram(local)', chatId: 'local-operator', msg: '**Morning brief**' });
    expect(formatLogLine('jbot', telegram)).toBe('08:30:01 jbot       info  → Telegram: Morning brief');
  });

  it('shows timestamps in context fields to the second', () => {
    const line = JSON.stringify({
      level: 30,
      time: at,
      bot: 'salesbot',
      job: 'hubspot-sync',
      scheduledFor: '2026-12-01T09:07:30.467Z',
      msg: 'job hubspot-sync started',
    });
    expect(formatLogLine('salesbot', line)).toBe('08:30:01 salesbot   info  job hubspot-sync started  job=hubspot-sync scheduledFor=2026-12-01T09:07:30Z');
  });

  it("shows the operator's typed line as theirs", () => {
    const typed = JSON.stringify({
      level: 30,
      time: at,
      bot: 'jbot',
      channel: 'telegram(local)',
      chatId: 'local-operator',
      direction: 'in',
      replyTo: 17,
      msg: '2 follow up on both',
    });
    expect(formatLogLine('jbot', typed)).toBe('08:30:01 jbot       info  ← you: 2 follow up on both');
  });

  it("off a terminal the log stays JSON: bot lines as they are, anything else wrapped, the supervisor's own lines too", () => {
    const line = JSON.stringify({ level: 30, time: at, bot: 'salesbot', msg: 'stale deals found' });
    expect(jsonLogLine('salesbot', line)).toBe(line);
    expect(JSON.parse(jsonLogLine('shipbot', '── #ship-bot · shipbot ──'))).toMatchObject({
      level: 30,
      bot: 'shipbot',
      channel: 'console',
      msg: '── #ship-bot · shipbot ──',
    });
    expect(JSON.parse(jsonLogLine('shipbot', 'TypeError: boom', 'stderr'))).toMatchObject({ level: 50, msg: 'TypeError: boom' });
    expect(prettyOutput({}, true)).toBe(true);
    expect(prettyOutput({}, false)).toBe(false);
    expect(prettyOutput({ LOG_PRETTY: 'true' }, false)).toBe(true);
    expect(prettyOutput({ LOG_PRETTY: 'false' }, true)).toBe(false);
    const lines: string[] = [];
    const io = supervisorIo({ out: (text) => lines.push(text), error: (text) => lines.push(text), env: {} }, false);
    io.out('  bots: jbot, salesbot (bundled)\n');
    io.error('supervisor: error while stopping');
    expect(lines.map((text) => JSON.parse(text) as unknown)).toEqual([
      { level: 30, time: expect.any(Number), bot: 'supervisor', msg: 'bots: jbot, salesbot (bundled)' },
      { level: 50, time: expect.any(Number), bot: 'supervisor', msg: 'supervisor: error while stopping' },
    ]);
  });
});
