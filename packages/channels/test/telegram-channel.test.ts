import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { freePort, freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase } from '@jbot/testkit';
import { createGrammyTransport, TelegramDispatcher, type InboundTelegramMessage } from '@jbot/channels';

const log = pino({ level: 'silent' });

describe('Telegram channel (grammY against the emulator)', () => {
  let database: TestDatabase;
  let db: Db;
  let emulator: TelegramEmulator;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 1 });
    emulator = await startTelegramEmulator();
  });
  afterAll(async () => {
    await emulator.close();
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('a burst into one chat is batched at the per-chat pace: every line arrives, none dropped', async () => {
    const transport = await createGrammyTransport(
      { token: emulator.token, apiRoot: emulator.apiRoot, operatorChatIds: ['42'], mode: 'polling', maxRetries: 2, minIntervalMs: 1000 },
      log,
    );
    const dispatcher = new TelegramDispatcher({ db, transport, log, minIntervalMs: 1000, pollMs: 100 });
    await dispatcher.start();
    try {
      for (let n = 1; n <= 25; n += 1)
        await db.rpc('enqueue_telegram_message', { p_chat_id: '42', p_bot: 'opsbot', p_text: `note ${n}`, p_body: { kind: 'note' } });
      dispatcher.wake();
      const all = () =>
        emulator
          .botMessages(42)
          .flatMap((message) => message.text.split('\n'))
          .filter((line) => /^note \d+$/.test(line));
      await waitFor(() => all().length === 25, { what: 'all 25 lines' });
      const messages = emulator.botMessages(42);
      expect(all().sort()).toEqual(Array.from({ length: 25 }, (_, index) => `note ${index + 1}`).sort());
      expect(messages.length).toBeLessThan(25);
      // The pacing is the brain's: each claim for the chat is at least the interval after the
      // previous one (read from the claims' lease stamps, so machine load cannot blur it).
      const claims =
        await sql`select external_message_id, extract(epoch from min(available_at)) * 1000 as claimed_ms from telegram_outbox where chat_id = '42' group by 1 order by 2`;
      expect(claims.length).toBe(messages.length);
      // (Rows of one claim are stamped microseconds apart, hence the 10 ms allowance.)
      for (let index = 1; index < claims.length; index += 1)
        expect(Number(claims[index]!['claimed_ms']) - Number(claims[index - 1]!['claimed_ms'])).toBeGreaterThanOrEqual(990);
    } finally {
      await dispatcher.stop();
    }
  });

  it('webhook mode serves only requests carrying the secret_token, and only operator chats', async () => {
    const port = await freePort();
    const transport = await createGrammyTransport(
      {
        token: emulator.token,
        apiRoot: emulator.apiRoot,
        operatorChatIds: ['42'],
        mode: 'webhook',
        webhook: { url: `http://127.0.0.1:${port}/telegram`, secret: 'hook-secret_1', port },
        maxRetries: 1,
        minIntervalMs: 1000,
      },
      log,
    );
    const received: InboundTelegramMessage[] = [];
    await transport.start({ onMessage: async (message) => void received.push(message) });
    try {
      const update = (updateId: number, chatId: number, text: string) =>
        JSON.stringify({
          update_id: updateId,
          message: { message_id: updateId, date: 1, text, chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'x' } },
        });
      const post = (body: string, secret?: string) =>
        fetch(`http://127.0.0.1:${port}/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
          body,
        });
      expect((await post(update(1, 42, 'no secret'))).status).toBe(401);
      expect((await post(update(2, 42, 'wrong secret'), 'nope')).status).toBe(401);
      expect((await post(update(3, 7, 'stranger'), 'hook-secret_1')).status).toBe(200);
      expect((await post(update(4, 42, 'hello jbot'), 'hook-secret_1')).status).toBe(200);
      expect(received.map((message) => message.text)).toEqual(['hello jbot']);
      expect(received[0]).toMatchObject({ updateId: 4, chatId: '42', replyToMessageId: null });
    } finally {
      await transport.stop();
    }
  });
});
