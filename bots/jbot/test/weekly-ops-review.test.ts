import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, loadLlmConfig, rpcOne, type Db } from '@jbot/core';
import { loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { jbot, weeklyOpsReview, weeklyReviewSettings } from '../src/index.js';
import { runJbotJob } from './jbot-job-harness.js';

// Monday the 14th: the review covers Mon 7th → Sun 13th of the sample company's sales.
const LOADED_AT = new Date('2026-12-14T06:00:00Z');
const REVIEW_AT = new Date('2026-12-14T08:15:00Z');

describe('jbot weekly-ops-review', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;

  const emit = async (bot: string, type: string, severity: string, payload: Record<string, unknown>, daysAgo: number, escalation?: 'open' | 'answered') => {
    const { signal_id } = await rpcOne<{ signal_id: string }>(db, 'emit_signal', {
      p_source_bot: bot,
      p_signal_type: type,
      p_severity: severity,
      p_payload: payload,
      p_dedupe_key: `${type}:${daysAgo}:${bot}`,
      p_dedupe_window_seconds: 60,
    });
    await sql`update bot_signals set created_at = now() - ${daysAgo} * interval '1 day' where id = ${signal_id}`;
    if (escalation !== undefined) {
      await db.rpc('escalate_signal', { p_signal_id: signal_id, p_line: `${bot}: ${type} line`, p_hold: false, p_chat_ids: ['local-operator'] });
      await sql`update escalations set created_at = now() - ${daysAgo} * interval '1 day', status = ${escalation} where signal_id = ${signal_id}`;
    }
    return signal_id;
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    anthropic = await startFakeAnthropic();
    await loadSampleCompany(db, { now: LOADED_AT });
  });
  afterAll(async () => {
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared on jbot for Mondays at 08:15 with the catalogue decision age', () => {
    expect(weeklyOpsReview.schedule).toBe('15 8 * * 1');
    expect(jbot.jobs?.map((job) => job.id)).toContain('weekly-ops-review');
    expect(weeklyReviewSettings.load({})).toEqual({ WEEKLY_REVIEW_DECISION_AGE_DAYS: 3, WEEKLY_REVIEW_MAX_DECISIONS: 3 });
  });

  it('a quiet week: KPIs and no decisions, still one page and one Telegram line', async () => {
    const result = await runJbotJob<{ outcome: string; detail: { decisions: string[]; broke: number } }>(weeklyOpsReview, {
      db,
      runId: 'review-quiet',
      scheduledFor: REVIEW_AT,
    });
    expect(result.detail).toMatchObject({ decisions: [], broke: 0 });
    const [post] = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'jbot' and text like 'Weekly ops review 2026-12-07 → 2026-12-13%'`;
    expect(post?.text).toMatch(/• Revenue \(7 days\): \$[\d,]+ — \d+(\.\d)?% of plan \(\$[\d,]+\)/);
    expect(post?.text).toContain('• nothing: every job ran and every approval executed');
    expect(post?.text).toContain('• none: nothing has waited more than the decision age');
    expect((await sql`select 1 from telegram_outbox where idempotency_key = 'weekly-review:review-quiet:local-operator'`).length).toBe(1);
  });

  it('a planted week: the escalation open 5 days is the decision (not the answered or the young one); what broke, MER, stockouts and LLM spend; one smart call with the lines fenced', async () => {
    const stale = await emit('salesbot', 'stale_deals', 'warning', { deals: [] }, 5, 'open');
    await emit('opsbot', 'freight_delay', 'alert', { shipment_id: 'SHKGH0525145' }, 4, 'answered');
    await emit('shipbot', 'stockout_risk', 'warning', { sku: 'DW-104' }, 1, 'open');
    await emit('mktgbot', 'paid_media_daily', 'info', { spend: 1000, revenue: 3200 }, 2);
    await emit('mktgbot', 'paid_media_daily', 'info', { spend: 1000, revenue: 2800 }, 3);
    await sql`insert into cron_runs (bot, job, scheduled_for, status, idempotency_key, error) values ('opsbot', 'freight-watch', now() - interval '2 days', 'failed', 'k1', 'boom')`;
    await sql`insert into llm_usage (bot, job, model, input_tokens, output_tokens, cost_usd, day) values ('salesbot', 'followups', 'claude-sonnet-5-5', 1000, 200, 0.42, current_date)`;
    anthropic.respondWith(() => ({
      text: JSON.stringify({
        summary: 'Sales were steady; one freight run failed; the stale deals wait on you.',
        decisions: [{ signal_id: stale, ask: 'Chase the two stale wholesale deals or let them go?' }],
      }),
    }));
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
    const result = await runJbotJob<{ outcome: string; detail: { decisions: string[]; broke: number } }>(weeklyOpsReview, {
      db,
      runId: 'review-1',
      scheduledFor: REVIEW_AT,
      llm,
    });
    expect(result.detail.decisions).toEqual([stale]);
    expect(result.outcome).toMatch(/^Weekly ops review 2026-12-07 → 2026-12-13: \$[\d,]+ revenue, 1 decision needed, posted$/);
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.model).toBe(llm.models.smart);
    expect(JSON.stringify(anthropic.requests[0]?.messages)).toMatch(
      /<data label=\\"Escalations open longer than the decision age[^"]*\\">\\n[0-9a-f-]+ \| salesbot \| warning \| 5 \| salesbot: stale_deals line\\n<\/data>/,
    );

    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'jbot' and text like 'Weekly ops review%1 decision needed%'`;
    const text = posts[0]?.text ?? '';
    expect(text).toContain('Sales were steady; one freight run failed; the stale deals wait on you.');
    expect(text).toContain('• MER: 3.00× — $6,000 on $2,000 ad spend (2 days)');
    expect(text).toContain('• Stockout risks: 1 — DW-104');
    expect(text).toContain('• LLM spend: $0.42');
    expect(text).toContain('• opsbot: 1 failed run');
    expect(text).toContain('• opsbot: 1 raised, 1 acted on');
    expect(text).toContain('• salesbot: 1 raised, 0 acted on');
    expect(text).toMatch(/1\. Chase the two stale wholesale deals or let them go\? \[salesbot, warning, 5 d\]/);
  });
});
