import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, rpcOne, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { BRIEF_MAX_ITEMS, queueMorningBrief, synthesiseLine } from '../src/index.js';

// The planted day's jbot warnings (a pace miss, six VIP emails, two held drafts) on top of the
// fleet's freight alert: each gets a line of its own, and the brief still ranks at most five.
const PLANTED: Array<{ bot: string; type: string; severity: string; payload: Record<string, unknown> }> = [
  { bot: 'opsbot', type: 'freight_delay', severity: 'alert', payload: { shipment_id: 'SHKGH0525145', delay_days: 21, supplier: 'Shenzhen Lumin' } },
  {
    bot: 'jbot',
    type: 'revenue_pace_miss',
    severity: 'warning',
    payload: { month: '2026-11', pace_pct: 87.6, mtd_revenue: 70064, plan_to_date: 80000, channels_behind: [{ channel: 'amazon' }] },
  },
  ...['Sarah Bennett', 'Hannah Kowalski', 'Chloe Rossi', 'Isabel Yamamoto', 'Rebecca Hale', 'Michael Chen'].map((name, index) => ({
    bot: 'jbot',
    type: 'operator_action_needed',
    severity: 'warning',
    payload: { message_id: `m${index}`, from: `${name} <x${index}@example.com>`, subject: `Ask ${index}`, reason: 'purchase order' },
  })),
  {
    bot: 'jbot',
    type: 'disclosure_hold',
    severity: 'warning',
    payload: {
      approval_id: null,
      bot: 'socialbot',
      item: 'social:1',
      excerpt: 'Driftwood just had a record quarter',
      rule: 'record, quarter',
      quiet_period_until: '2027-01-03',
    },
  },
];

describe('the morning brief with jbot’s own signals', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('synthesises a line per new type and ranks at most five, the alert first', async () => {
    expect(synthesiseLine({ type: 'revenue_pace_miss', sourceBot: 'jbot', payload: PLANTED[1]?.payload })).toBe(
      '2026-11 revenue at 88% of plan to date (behind: amazon).',
    );
    expect(synthesiseLine({ type: 'operator_action_needed', sourceBot: 'jbot', payload: PLANTED[2]?.payload })).toBe(
      'Sarah Bennett needs you: "Ask 0" (purchase order).',
    );
    expect(synthesiseLine({ type: 'disclosure_hold', sourceBot: 'jbot', payload: PLANTED.at(-1)?.payload })).toBe(
      'Quiet period: socialbot\'s draft held (record, quarter) until 2027-01-03: "Driftwood just had a record quarter"',
    );
    for (const [index, signal] of PLANTED.entries()) {
      const { signal_id } = await rpcOne<{ signal_id: string }>(db, 'emit_signal', {
        p_source_bot: signal.bot,
        p_signal_type: signal.type,
        p_severity: signal.severity,
        p_payload: signal.payload,
        p_dedupe_key: `planted:${index}`,
        p_dedupe_window_seconds: 60,
      });
      await db.rpc('escalate_signal', {
        p_signal_id: signal_id,
        p_line: synthesiseLine({ type: signal.type, sourceBot: signal.bot, payload: signal.payload }),
        p_hold: true,
        p_chat_ids: ['local-operator'],
      });
    }
    const result = await queueMorningBrief(db, { chats: ['local-operator'], lookbackHours: 72, key: 'planted-day' });
    expect(result).toEqual({ items: BRIEF_MAX_ITEMS, total: PLANTED.length });
    const [brief] = await sql<Array<{ text: string; body: { items: Array<{ n: number; line: string; severity: string }> } }>>`
      select text, body from telegram_outbox where idempotency_key = 'brief:planted-day:local-operator'`;
    expect(brief?.text).toBe(`Good morning — what needs you now (5 of ${PLANTED.length}). Reply with the number first to answer one:`);
    expect(brief?.body.items.map((item) => item.n)).toEqual([1, 2, 3, 4, 5]);
    expect(brief?.body.items[0]).toMatchObject({ severity: 'alert', line: 'Shipment SHKGH0525145 is 21 days late (Shenzhen Lumin).' });
    expect(brief?.body.items[1]?.line).toBe('2026-11 revenue at 88% of plan to date (behind: amazon).');
  });
});
