import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { catalogSignalTypes, createPostgresDb, createSignalEmitter, defineBot, SignalRegistry, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { createJbot } from '../src/index.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 1001;
const STRANGER = 6666;
const registry = new SignalRegistry([...catalogSignalTypes]);
const fleet = [
  { name: 'jbot', channel: '#jbot', purpose: '' },
  { name: 'salesbot', channel: '#sales-bot', purpose: '' },
];

// The acknowledgement of an operator_instruction goes to the chat its payload names. A payload
// (a bug, or a bot steered by injected text) that names a chat which is not an operator chat must
// not make jbot message it: the line is refused, visibly, and nothing reaches that chat.
describe('outbound Telegram goes only to operator chats', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  const running: RunningBot[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2 });
    emulator = await startTelegramEmulator();
    const jbot = createJbot({
      env: { TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR), FLEET_TZ: 'UTC' },
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    running.push(await startBot(jbot, { db, config: testBotConfig(), log: silent, registry, fleet }));
    const salesbot = defineBot({ name: 'salesbot', purpose: 'test salesbot', channel: '#sales-bot', onInstruction: () => 'noted' });
    running.push(await startBot(salesbot, { db, config: testBotConfig(), log: silent, registry, fleet }));
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await emulator?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  async function instruct(chatId: string, text: string): Promise<string> {
    const [message] = await sql<{ id: string }[]>`
      insert into operator_messages (channel, sender_id, text, status)
      values ('telegram', 'telegram:1', ${text}, 'routed') returning id`;
    const operatorMessageId = message?.id ?? '';
    await createSignalEmitter({ db, registry, bot: 'jbot' }).emit('operator_instruction', {
      to_bot: 'salesbot',
      text,
      operator_message_id: operatorMessageId,
      channel: 'telegram',
      sender_id: 'telegram:1',
      chat_id: chatId,
    });
    return operatorMessageId;
  }

  it('an acknowledgement addressed to a stranger is refused with the reason; one to the operator arrives', async () => {
    const foreign = await instruct(String(STRANGER), 'send the price list');
    await waitFor(async () => (await sql`select 1 from telegram_outbox where idempotency_key = ${`ack:${foreign}`} and status = 'failed'`).length === 1, {
      what: 'the foreign acknowledgement to be refused',
    });
    const [refused] = await sql<{ error: string }[]>`select error from telegram_outbox where idempotency_key = ${`ack:${foreign}`}`;
    expect(refused?.error).toMatch(/not an operator chat/);

    const honest = await instruct(String(OPERATOR), 'follow up with Dana');
    await waitFor(() => emulator.botMessages(OPERATOR).some((message) => message.text.includes('salesbot: noted')), { what: "the operator's acknowledgement" });
    await waitFor(async () => (await sql`select 1 from telegram_outbox where idempotency_key = ${`ack:${honest}`} and status = 'sent'`).length === 1, {
      what: 'the operator line to be recorded sent',
    });
    expect(emulator.botMessages(STRANGER)).toEqual([]);
  });
});
