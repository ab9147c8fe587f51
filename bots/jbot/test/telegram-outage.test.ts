import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { catalogSignalTypes, createPostgresDb, createSignalEmitter, SignalRegistry, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { freightDelay } from '@jbot/opsbot/signals';
import { botUnhealthy } from '@jbot/sysbot/signals';
import { createJbot, type TelegramService } from '../src/index.js';

const OPERATOR = 1001;
// Every process registers the fleet's types (the roster does it in production).
const registry = new SignalRegistry([...catalogSignalTypes, botUnhealthy, freightDelay]);
const fleet = [
  { name: 'jbot', channel: '#jbot', purpose: '' },
  { name: 'opsbot', channel: '#ops-bot', purpose: '' },
  { name: 'sysbot', channel: '#sys-bot', purpose: '' },
];
const MINUTE = 60_000;

// A Telegram outage on an injected clock: the outbox clock runs `offset` ahead of the wall clock,
// so two hours of retries take a few seconds. grammY talks to the emulator, which answers
// sendMessage with the injected failures (500s, a 429 with retry_after).
describe('jbot through a Telegram outage: no operator line is dropped', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  let jbot: RunningBot;
  let telegram: TelegramService;
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const logLines: Array<{ level: number; msg: string }> = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line) as { level: number; msg: string }) });
  const emitter = (bot: string) => createSignalEmitter({ db, registry, bot });
  const outboxRow = async (signalId: string) =>
    (await sql`select id, status, attempts, available_at, raised_at from telegram_outbox where signal_id = ${signalId}`)[0] as
      { id: string; status: string; attempts: number; available_at: Date; raised_at: Date | null } | undefined;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2 });
    emulator = await startTelegramEmulator();
    const definition = createJbot({
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
        FLEET_TZ: 'UTC',
        TELEGRAM_UNDELIVERED_ALERT_SECONDS: '600',
      },
      now: () => new Date('2026-11-25T12:00:00Z'),
      outboxClock: clock,
      onTelegram: (service) => (telegram = service),
    });
    jbot = await startBot(definition, { db, config: testBotConfig(), log, registry, fleet });
  });
  afterAll(async () => {
    await jbot?.stop();
    await emulator?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('a critical alert survives two hours of Telegram 500s: retried with a capped backoff, raised once on #jbot after 10 minutes, delivered once Telegram is back', async () => {
    emulator.fail({ method: 'sendMessage', status: 500, description: 'Internal Server Error' });
    const alert = await emitter('sysbot').emit('bot_unhealthy', { bot: 'shipbot', reason: 'no heartbeat for 5 minutes' }, { severity: 'critical' });
    const outageStart = clock().getTime();
    let attempts = 0;
    let longestWaitMs = 0;
    for (;;) {
      const failedAt = clock().getTime();
      const retried = await waitFor(
        async () => {
          const row = await outboxRow(alert.id);
          return row !== undefined && row.status === 'queued' && row.attempts > attempts ? row : undefined;
        },
        { what: `the alert re-queued after attempt ${attempts + 1}` },
      );
      attempts = retried.attempts;
      longestWaitMs = Math.max(longestWaitMs, retried.available_at.getTime() - failedAt);
      if (clock().getTime() - outageStart >= 2 * 60 * MINUTE) break;
      // Jump the outbox clock to the retry time and let the dispatcher look.
      offset = Math.max(offset, retried.available_at.getTime() - Date.now() + 1);
      telegram.dispatcher.wake();
    }
    expect(attempts).toBeGreaterThan(20);
    // Capped at 5 minutes (plus the real milliseconds between the failure and reading the row).
    expect(longestWaitMs).toBeLessThanOrEqual(5 * MINUTE + 5_000);
    expect((await outboxRow(alert.id))?.status).toBe('queued');
    expect(emulator.botMessages(OPERATOR).filter((message) => message.text.includes('shipbot is unhealthy'))).toHaveLength(0);

    // Raised once, after 10 minutes, on the work floor (#jbot; sysbot posts every bot_unhealthy on #sys-bot) and in the log.
    const raised = await sql`select id::text, payload, dedupe_key from bot_signals where source_bot = 'jbot' and signal_type = 'bot_unhealthy'`;
    expect(raised).toHaveLength(1);
    expect(String((raised[0]?.['payload'] as { reason: string }).reason)).toMatch(
      /^Telegram has not delivered 1 operator line for over 10 min \(last error: Telegram send failed \(500\): Internal Server Error\).*\n1\) to chat 1001 .*shipbot is unhealthy: no heartbeat for 5 minutes/s,
    );
    const raisedId = String(raised[0]?.['id']);
    await waitFor(async () => (await sql`select 1 from channel_messages where signal_id = ${raisedId} and target = '#jbot'`).length > 0, {
      what: 'the raise posted on #jbot',
    });
    expect(await sql`select 1 from telegram_outbox where signal_id = ${raisedId}`).toHaveLength(0);
    expect(logLines.filter((line) => line.level === 50 && line.msg.includes('Telegram line(s) undelivered for over 10 min'))).toHaveLength(1);
    const raisedAt = (await outboxRow(alert.id))?.raised_at;
    expect(raisedAt).not.toBeNull();
    expect((raisedAt?.getTime() ?? 0) - outageStart).toBeGreaterThanOrEqual(10 * MINUTE);

    // Telegram is back: the line goes out, once.
    emulator.clearFaults();
    offset = Math.max(offset, ((await outboxRow(alert.id))?.available_at.getTime() ?? 0) - Date.now() + 1);
    telegram.dispatcher.wake();
    const delivered = await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('shipbot is unhealthy')), {
      what: 'the alert delivered after the outage',
    });
    expect(delivered.text).toBe('🔴 shipbot is unhealthy: no heartbeat for 5 minutes.');
    await waitFor(async () => ((await outboxRow(alert.id))?.status === 'sent' ? true : undefined), { what: 'the line recorded as sent' });
    expect(emulator.botMessages(OPERATOR).filter((message) => message.text.includes('shipbot is unhealthy'))).toHaveLength(1);
  });

  it('a 429 with retry_after 120 is waited for: 120 s, not the 2 s backoff (and not given up on past grammY auto-retry 60 s cap)', async () => {
    emulator.fail({ method: 'sendMessage', status: 429, description: 'Too Many Requests: retry after 120', retryAfterSeconds: 120, times: 1 });
    const before = clock().getTime();
    const alert = await emitter('opsbot').emit('freight_delay', { shipment_id: 'SHKGH0525145', delay_days: 21, supplier: 'Ningbo Crafts' });
    const retried = await waitFor(
      async () => {
        const row = await outboxRow(alert.id);
        return row !== undefined && row.status === 'queued' && row.attempts === 1 ? row : undefined;
      },
      { what: 'the line re-queued after the 429' },
    );
    const after = clock().getTime();
    expect(emulator.failedCalls().filter((call) => call.status === 429)).toHaveLength(1);
    // The retry is at (the moment of the 429) + 120 s; that moment lies between `before` and `after`.
    expect(retried.available_at.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    expect(retried.available_at.getTime()).toBeLessThanOrEqual(after + 120_000);
    // The chat waits too: nothing else goes to it before then.
    const [chat] = await sql`select next_send_at from telegram_chats where chat_id = ${String(OPERATOR)}`;
    expect((chat?.['next_send_at'] as Date).getTime()).toBeGreaterThanOrEqual(before + 120_000);

    offset = Math.max(offset, retried.available_at.getTime() - Date.now() + 1);
    telegram.dispatcher.wake();
    const delivered = await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('SHKGH0525145')), {
      what: 'the line delivered after retry_after',
    });
    expect(delivered.text).toBe('🟠 Shipment SHKGH0525145 is 21 days late (Ningbo Crafts).');
  });
});
