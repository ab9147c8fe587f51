import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { staleDeals } from '@jbot/salesbot/signals';
import { freightDelay } from '@jbot/opsbot/signals';
import { botUnhealthy } from '@jbot/sysbot/signals';
import {
  catalogSignalTypes,
  createPostgresDb,
  createSignalEmitter,
  defineBot,
  SignalRegistry,
  startBot,
  type Db,
  type OperatorInstruction,
  type RunningBot,
} from '@jbot/core';
import { freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { createJbot, keywordRouter, queueMorningBrief, type MessageRouter, type TelegramService } from '../src/index.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 1001;
const STRANGER = 666_999;
const DAY = new Date('2026-11-25T12:00:00Z');
const NIGHT = new Date('2026-11-25T23:30:00Z');

const botConfig = testBotConfig();

describe('jbot on Telegram (grammY against the telegram-test-api emulator, real Postgres)', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  let jbot: RunningBot;
  let salesbot: RunningBot;
  let telegram: TelegramService;
  let clock = DAY;
  const routed: string[] = [];
  const instructions: OperatorInstruction[] = [];
  // The router seam records what reached it: an LLM router would be called exactly here.
  const countingRouter: MessageRouter = {
    route(text) {
      routed.push(text);
      return keywordRouter.route(text);
    },
  };
  // Every process registers the fleet's types (the roster does it in production).
  const registry = new SignalRegistry([...catalogSignalTypes, staleDeals, freightDelay, botUnhealthy]);
  const emitter = (bot: string) => createSignalEmitter({ db, registry, bot });
  const receipt = async (signalId: string, consumer: string) =>
    (await sql`select status::text from signal_receipts where signal_id = ${signalId} and consumer_bot = ${consumer}`)[0]?.['status'] as string | undefined;
  const linesAbout = (fragment: string) => emulator.botMessages(OPERATOR).filter((message) => message.text.includes(fragment));

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
        TELEGRAM_QUIET_HOURS: '22:00-07:00',
        FLEET_TZ: 'UTC',
      },
      router: countingRouter,
      now: () => clock,
      onTelegram: (service) => (telegram = service),
    });
    jbot = await startBot(definition, {
      db,
      config: botConfig,
      log: silent,
      registry,
      fleet: [
        { name: 'jbot', channel: '#jbot', purpose: '' },
        { name: 'opsbot', channel: '#ops-bot', purpose: '' },
        { name: 'salesbot', channel: '#sales-bot', purpose: '' },
      ],
    });
    salesbot = await startBot(
      defineBot({
        name: 'salesbot',
        purpose: 'test salesbot',
        channel: '#sales-bot',
        onInstruction(instruction) {
          instructions.push(instruction);
          return 'drafting 2 follow-up emails for approval';
        },
      }),
      { db, config: botConfig, log: silent },
    );
  });

  afterAll(async () => {
    await salesbot?.stop();
    await jbot?.stop();
    await emulator?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('an alert becomes one Telegram line linked to its signal; info sends nothing', async () => {
    const alert = await emitter('opsbot').emit('freight_delay', { shipment_id: 'SHKGH0525145', delay_days: 21, supplier: 'Ningbo Crafts' });
    const [line] = await waitFor(() => (linesAbout('SHKGH0525145').length > 0 ? linesAbout('SHKGH0525145') : null), { what: 'the alert line' });
    expect(line?.text).toBe('🟠 Shipment SHKGH0525145 is 21 days late (Ningbo Crafts).');
    const recorded = await waitFor(
      async () =>
        (await sql`select signal_id::text, external_message_id, target from channel_messages where channel = 'telegram' and signal_id = ${alert.id}`)[0],
      { what: 'the line recorded in channel_messages' },
    );
    expect(recorded).toMatchObject({ signal_id: alert.id, external_message_id: String(line?.messageId), target: String(OPERATOR) });
    // Full detail went to the source bot's work floor.
    const [floor] = await sql`select target, bot from channel_messages where channel = 'local' and signal_id = ${alert.id}`;
    expect(floor).toMatchObject({ target: '#ops-bot', bot: 'opsbot' });

    const info = await emitter('contentbot').emit('bot_note', { text: 'Refreshed 12 product descriptions' });
    await waitFor(async () => (await receipt(info.id, 'jbot')) === 'handled', { what: 'jbot to handle the info signal' });
    expect(await sql`select 1 from telegram_outbox where signal_id = ${info.id}`).toHaveLength(0);
    expect(await sql`select 1 from escalations where signal_id = ${info.id}`).toHaveLength(0);
    expect(linesAbout('product descriptions')).toHaveLength(0);
    expect(linesAbout('SHKGH0525145')).toHaveLength(1);
  });

  it('ten warnings with the same dedupe_key are one line with a count', async () => {
    const sales = emitter('salesbot');
    const payload = { deals: [{ deal_id: 'D-1', name: 'Northwind wholesale' }], threshold_days: 30 };
    for (let repeat = 0; repeat < 10; repeat += 1) await sales.emit('stale_deals', payload, { dedupeKey: 'stale:northwind', dedupeWindowMs: 3_600_000 });
    const counted = await waitFor(() => linesAbout('>30 days').find((message) => message.text.includes('(×10)')), { what: 'the line to show ×10' });
    expect(counted.text).toBe('🟡 1 wholesale deal stale (>30 days). Review? (×10)');
    expect(linesAbout('>30 days')).toHaveLength(1);
  });

  it('critical goes out at once in quiet hours; a warning waits for the morning brief', async () => {
    clock = NIGHT;
    try {
      await emitter('sysbot').emit('bot_unhealthy', { bot: 'shipbot', reason: 'no heartbeat for 5 minutes' }, { severity: 'critical' });
      const critical = await waitFor(() => linesAbout('shipbot is unhealthy')[0], { what: 'the critical line at night' });
      expect(critical.text).toBe('🔴 shipbot is unhealthy: no heartbeat for 5 minutes.');

      const warning = await emitter('opsbot').emit('job_missed', {
        bot: 'opsbot',
        job: 'freight-watch',
        scheduled_for: '2026-11-25T23:00:00Z',
        status: 'missed',
      });
      await waitFor(async () => (await receipt(warning.id, 'jbot')) === 'handled', { what: 'jbot to handle the night warning' });
      expect((await sql`select status from escalations where signal_id = ${warning.id}`)[0]?.['status']).toBe('held');
      expect(await sql`select 1 from telegram_outbox where signal_id = ${warning.id}`).toHaveLength(0);
      expect(linesAbout('freight-watch')).toHaveLength(0);
    } finally {
      clock = DAY;
    }
    await queueMorningBrief(db, { chats: [String(OPERATOR)], lookbackHours: 72, key: 'test-morning' });
    telegram.dispatcher.wake();
    const brief = await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.startsWith('Good morning')), { what: 'the morning brief' });
    const items = brief.text.split('\n').filter((line) => /^\d\. /.test(line));
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(5);
    // Ranked: the critical first, and the held warning is in it.
    expect(items[0]).toContain('shipbot is unhealthy');
    expect(brief.text).toContain("opsbot's freight-watch was missed");
    expect((await sql`select status from escalations e join bot_signals s on s.id = e.signal_id where s.signal_type = 'job_missed'`)[0]?.['status']).toBe(
      'open',
    );
  });

  it('a message from an unknown chat: nothing stored, nothing routed, no router (LLM) call', async () => {
    const stranger = await emulator.sendText(STRANGER, 'show me all the deals and pipeline');
    // Updates are handled in order: once a later operator message is stored, the stranger's was handled.
    const sentinel = await emulator.sendText(OPERATOR, 'status');
    await waitFor(async () => (await sql`select 1 from operator_messages where external_update_id = ${String(sentinel.updateId)}`).length === 1, {
      what: 'the sentinel message to be stored',
    });
    expect(emulator.deliveredUpdateIds).toContain(stranger.updateId);
    expect(await sql`select 1 from operator_messages where sender_id = ${String(STRANGER)} or external_update_id = ${String(stranger.updateId)}`).toHaveLength(
      0,
    );
    expect(await sql`select 1 from bot_signals where signal_type = 'operator_instruction' and payload->>'text' like '%pipeline%'`).toHaveLength(0);
    expect(routed).not.toContain('show me all the deals and pipeline');
    expect(emulator.botMessages(STRANGER)).toHaveLength(0);
  });

  it('a reply to the stale-deals line reaches salesbot as an instruction linked to that signal, once', async () => {
    const stale = await emitter('salesbot').emit('stale_deals', {
      deals: [
        { deal_id: 'D-7', name: 'Harbor Home — spring order', owner: 'Maya', days_since_activity: 19 },
        { deal_id: 'D-9', name: 'Cedar & Co restock', owner: 'Luis', days_since_activity: 16 },
      ],
      threshold_days: 14,
    });
    const line = await waitFor(() => linesAbout('2 wholesale deals stale')[0], { what: 'the stale-deals line' });
    expect(line.text).toContain('🟡 2 wholesale deals stale (>14 days). Review?');
    // Lines queued inside one second of each other share a message (numbered); pick ours by number.
    // The dispatcher records a message just after Telegram accepted it: wait for the record.
    const sent = await waitFor(
      async () => (await sql`select body from channel_messages where channel = 'telegram' and external_message_id = ${String(line.messageId)}`)[0],
      { what: 'the line recorded in channel_messages' },
    );
    const items = (sent['body'] as { items: Array<{ n: number; signal_id: string }> }).items;
    const prefix = items.length > 1 ? `${items.find((item) => item.signal_id === stale.id)?.n} ` : '';

    const reply = await emulator.sendText(OPERATOR, `${prefix}Follow up on both, draft emails`, { replyToMessageId: line.messageId });
    await waitFor(() => instructions.length === 1, { what: 'salesbot to receive the instruction' });
    expect(instructions[0]).toMatchObject({ text: 'Follow up on both, draft emails', signalId: stale.id, channel: 'telegram', senderId: String(OPERATOR) });
    const [stored] = await sql`select reply_to_signal_id::text, routed_to, status from operator_messages where external_update_id = ${String(reply.updateId)}`;
    expect(stored).toMatchObject({ reply_to_signal_id: stale.id, routed_to: 'salesbot' });
    // salesbot acknowledges in Telegram, under the operator's message, and shows its work on its channel.
    const ack = await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.startsWith('salesbot:')), {
      what: "salesbot's acknowledgement",
    });
    expect(ack).toMatchObject({ text: 'salesbot: drafting 2 follow-up emails for approval', replyToMessageId: reply.messageId });
    const [floor] = await sql`select text from channel_messages where channel = 'local' and target = '#sales-bot' and text like 'Operator instruction%'`;
    expect(floor?.['text']).toContain(`re signal ${stale.id}`);
    expect((await sql`select status from escalations where signal_id = ${stale.id}`)[0]?.['status']).toBe('answered');
    await waitFor(
      async () => (await sql`select status from operator_messages where external_update_id = ${String(reply.updateId)}`)[0]?.['status'] === 'handled',
      { what: 'the operator message marked handled' },
    );

    // Telegram redelivers the same update_id: handled once.
    emulator.redeliver(reply.updateId);
    const sentinel = await emulator.sendText(OPERATOR, 'status');
    await waitFor(async () => (await sql`select 1 from operator_messages where external_update_id = ${String(sentinel.updateId)}`).length === 1, {
      what: 'the sentinel after the redelivery',
    });
    expect(emulator.deliveredUpdateIds.filter((id) => id === reply.updateId)).toHaveLength(2);
    expect(await sql`select 1 from operator_messages where external_update_id = ${String(reply.updateId)}`).toHaveLength(1);
    expect(await sql`select 1 from bot_signals where signal_type = 'operator_instruction' and payload->>'signal_id' = ${stale.id}`).toHaveLength(1);
    await waitFor(
      async () =>
        (await receipt(
          (await sql`select id::text from bot_signals where signal_type = 'operator_instruction' and payload->>'signal_id' = ${stale.id}`)[0]?.['id'] as string,
          'salesbot',
        )) === 'handled',
      { what: 'the instruction receipt handled' },
    );
    expect(instructions).toHaveLength(1);
  });
});
