import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { staleDeals } from '@jbot/salesbot/signals';
import { catalogSignalTypes, createPostgresDb, createSignalEmitter, SignalRegistry, type Db } from '@jbot/core';
import { composeBody } from '@jbot/channels';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { keywordRouter } from '../src/index.js';
import { createOperatorInbox } from '../src/operator-inbox.js';

const CHAT = '4242';

// The e2e Monday flow failed on a loaded first run: the operator's reply reached jbot before the
// dispatcher had recorded the line it answered, so the reply was routed as free-form text and
// salesbot, given no signal, answered "tell me which deals" instead of drafting.
describe('a reply that overtakes the record of the line it answers', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 1 });
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('waits for the send in flight to be recorded, then links the reply to its signal', async () => {
    const registry = new SignalRegistry([...catalogSignalTypes, staleDeals]);
    const stale = await createSignalEmitter({ db, registry, bot: 'salesbot' }).emit('stale_deals', {
      deals: [
        { deal_id: 'D-7', name: 'Harbor Home — spring order', owner: 'Maya', days_since_activity: 19 },
        { deal_id: 'D-9', name: 'Cedar & Co restock', owner: 'Luis', days_since_activity: 16 },
      ],
      threshold_days: 14,
    });
    await db.rpc('enqueue_telegram_message', {
      p_chat_id: CHAT,
      p_bot: 'salesbot',
      p_text: '2 wholesale deals stale (>14 days). Review?',
      p_body: { kind: 'escalation' },
      p_signal_id: stale.id,
      p_idempotency_key: `escalation:${stale.id}`,
    });
    // The dispatcher has claimed the line and Telegram has shown it; its record is still to come.
    const rows = await db.rpc<{
      outbox_id: number;
      bot: string;
      text: string;
      body: Record<string, unknown>;
      signal_id: string | null;
      approval_id: string | null;
      repeat_count: number;
      severity: string | null;
    }>('claim_telegram_outbox', { p_min_interval_ms: 1000 });
    expect(rows).toHaveLength(1);

    // The inbox's database, observed (not changed): `looked` settles once its first look for the line came back.
    let looked!: () => void;
    const firstLook = new Promise<void>((resolve) => (looked = resolve));
    const observed = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'rpc') return Reflect.get(target, property, receiver);
        return async (name: string, args?: Record<string, unknown>) => {
          const result = await target.rpc(name, args);
          if (name === 'resolve_telegram_reply') looked();
          return result;
        };
      },
    }) as Db;
    const inbox = createOperatorInbox({ db: observed, log: pino({ level: 'silent' }), router: keywordRouter, lookbackHours: 24, wake: () => {} });
    const handling = inbox.onMessage({
      updateId: 9001,
      chatId: CHAT,
      senderId: CHAT,
      messageId: 501,
      text: 'Follow up on both, draft emails',
      replyToMessageId: 777,
    });

    await firstLook;
    const body = composeBody(rows.map((row) => ({ ...row, severity: row.severity as never })));
    await db.rpc('record_telegram_send', {
      p_outbox_ids: rows.map((row) => Number(row.outbox_id)),
      p_chat_id: CHAT,
      p_bot: 'salesbot',
      p_text: '2 wholesale deals stale (>14 days). Review?',
      p_body: body,
      p_signal_id: stale.id,
      p_approval_id: null,
      p_external_message_id: '777',
      p_channel: 'telegram',
    });
    await handling;

    const [stored] = await sql`select reply_to_signal_id::text, routed_to from operator_messages where external_update_id = '9001'`;
    expect(stored).toMatchObject({ reply_to_signal_id: stale.id, routed_to: 'salesbot' });
    const instructions = await sql`select payload from bot_signals where signal_type = 'operator_instruction'`;
    expect(instructions.map((row) => row['payload'])).toEqual([
      expect.objectContaining({ to_bot: 'salesbot', signal_id: stale.id, text: 'Follow up on both, draft emails' }),
    ]);
  });
});
