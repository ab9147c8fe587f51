import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { catalogSignalTypes, createPostgresDb, createSignalEmitter, SignalRegistry, startBot, type Db, type RunningBot } from '@jbot/core';
import { CLIP_NOTE } from '@jbot/channels';
import { freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { freightDelay } from '@jbot/opsbot/signals';
import { createJbot, type TelegramService } from '../src/index.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 1001;
// Every process registers the fleet's types (the roster does it in production).
const registry = new SignalRegistry([...catalogSignalTypes, freightDelay]);
const fleet = [
  { name: 'jbot', channel: '#jbot', purpose: '' },
  { name: 'opsbot', channel: '#ops-bot', purpose: '' },
  { name: 'sysbot', channel: '#sys-bot', purpose: '' },
];

// Outside text can make a line longer than Telegram's 4,096 characters. The emulator refuses such a
// message with 400 "message is too long", as Telegram does.
describe('over-long Telegram lines: clipped, batches split, a refused batch sent row by row', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  let jbot: RunningBot;
  let telegram: TelegramService;
  const emitter = (bot: string) => createSignalEmitter({ db, registry, bot });
  // jbot answers a message, so the chat is paced for 2.5 s and what is queued meanwhile goes out as one batch.
  const paceTheChat = async () => {
    const asked = await emulator.sendText(OPERATOR, 'hello jbot');
    await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.replyToMessageId === asked.messageId), { what: "jbot's answer" });
  };

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
        TELEGRAM_MIN_INTERVAL_MS: '2500',
      },
      now: () => new Date('2026-11-25T12:00:00Z'),
      onTelegram: (service) => (telegram = service),
    });
    jbot = await startBot(definition, { db, config: testBotConfig(), log: silent, registry, fleet });
  });
  afterAll(async () => {
    await jbot?.stop();
    await emulator?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('a 5,000-character supplier name: its alert goes out clipped and the alert batched with it goes out too', async () => {
    await paceTheChat();
    const supplier = `Ningbo Crafts ${'& Partners International Trading '.repeat(160)}`.slice(0, 5000);
    expect(supplier).toHaveLength(5000);
    const ops = emitter('opsbot');
    const long = await ops.emit('freight_delay', { shipment_id: 'SHKGH0525145', delay_days: 21, supplier });
    const short = await ops.emit('freight_delay', { shipment_id: 'SHMSK0525301', delay_days: 9, supplier: 'Maersk' });
    // A second long one: two clipped lines do not fit one message, so the batch is split.
    const longer = await ops.emit('freight_delay', { shipment_id: 'SHCMA0525777', delay_days: 12, supplier: `Qingdao ${'Export Holding Group '.repeat(250)}` });

    const longLine = await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('SHKGH0525145')), {
      what: 'the long alert delivered',
    });
    const shortLine = await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('SHMSK0525301')), {
      what: 'the alert batched with it delivered',
    });
    expect(longLine.text.length).toBeLessThanOrEqual(4096);
    expect(longLine.text).toContain('🟠 Shipment SHKGH0525145 is 21 days late (Ningbo Crafts & Partners');
    expect(longLine.text).toContain(CLIP_NOTE);
    expect(shortLine.text).toContain('🟠 Shipment SHMSK0525301 is 9 days late (Maersk).');
    const longerLine = await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('SHCMA0525777')), {
      what: 'the second long alert delivered',
    });
    expect(longerLine.text.length).toBeLessThanOrEqual(4096);
    expect(longerLine.messageId).not.toBe(longLine.messageId);
    const rows = await waitFor(
      async () => {
        const found = await sql`select status, attempts from telegram_outbox where signal_id in (${long.id}, ${short.id}, ${longer.id})`;
        return found.length === 3 && found.every((row) => row['status'] === 'sent') ? found : undefined;
      },
      { what: 'the three lines recorded as sent' },
    );
    // Clipped and split before sending: Telegram never saw an over-long message, each line went out on its first attempt.
    expect(rows.map((row) => Number(row['attempts']))).toEqual([1, 1, 1]);
    expect(emulator.failedCalls()).toHaveLength(0);
    // They were claimed together (one pacing window), then split into two messages.
    const [claims] =
      await sql`select count(distinct external_message_id)::int as messages from telegram_outbox where signal_id in (${long.id}, ${short.id}, ${longer.id})`;
    expect(claims?.['messages']).toBe(2);
    // The full text stays where the detail lives: the work floor.
    const [floor] = await sql`select text from channel_messages where signal_id = ${long.id} and target = '#ops-bot'`;
    expect(String(floor?.['text'])).toContain(supplier);
  });

  it('a batch Telegram refuses with 400 is sent again line by line: the good lines arrive, the bad one keeps being retried', async () => {
    emulator.fail({ method: 'sendMessage', status: 400, description: "Bad Request: can't parse entities", textMatches: /Bad Supplier/ });
    await paceTheChat();
    const ops = emitter('opsbot');
    const good = await ops.emit('freight_delay', { shipment_id: 'SHGOOD00001', delay_days: 5, supplier: 'Good Supplier' });
    const bad = await ops.emit('freight_delay', { shipment_id: 'SHBAD000002', delay_days: 6, supplier: 'Bad Supplier' });
    const alsoGood = await ops.emit('freight_delay', { shipment_id: 'SHGOOD00003', delay_days: 7, supplier: 'Fine Supplier' });
    telegram.dispatcher.wake();
    await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('SHGOOD00001')), { what: 'the first good line' });
    await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('SHGOOD00003')), { what: 'the second good line' });
    // The refused batch first, then the bad line alone.
    expect(emulator.failedCalls().filter((call) => call.status === 400 && (call.text ?? '').includes('SHGOOD00001'))).toHaveLength(1);
    const [badRow] = await waitFor(
      async () => {
        const found = await sql`select status, error from telegram_outbox where signal_id = ${bad.id}`;
        return found[0]?.['status'] === 'queued' ? found : undefined;
      },
      { what: 'the bad line re-queued' },
    );
    expect(String(badRow?.['error'])).toContain("can't parse entities");
    expect(emulator.botMessages(OPERATOR).filter((message) => message.text.includes('SHBAD000002'))).toHaveLength(0);
    for (const signal of [good, alsoGood]) {
      await waitFor(async () => ((await sql`select status from telegram_outbox where signal_id = ${signal.id}`)[0]?.['status'] === 'sent' ? true : undefined), {
        what: 'a good line recorded as sent',
      });
    }
    emulator.clearFaults();
  });
});
