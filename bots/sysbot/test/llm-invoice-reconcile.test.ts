import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { AnthropicAdminError, fetchAnthropicCostReport, loadSampleCompany, probeAnthropicAdmin } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropicAdmin, type FakeAnthropicAdmin, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { llmInvoiceReconcile, llmInvoiceReconcileSettings, previousMonth } from '../src/jobs/llm-invoice-reconcile.js';
import { answerOperator } from '../src/operator-replies.js';
import { replyTo, runSysbotJob, sysbotContext } from './sysbot-job-harness.js';

// The 1st of this month at 12:00 UTC (the job's tick), or a minute ago when that is still ahead (the brain refuses future ticks).
const THIS_MONTH = new Date(Math.min(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1, 12), Date.now() - 60_000));
const { from: MONTH_START, month: MONTH } = previousMonth(THIS_MONTH);
const dayOf = (day: number) => new Date(MONTH_START.getTime() + (day - 1) * 86_400_000 + 3_600_000);

describe('sysbot llm-invoice-reconcile', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropicAdmin;

  // A recorded month: haiku calls priced right, sonnet calls priced by a stale table (half the real price).
  const record = (model: string, day: number, inputTokens: number, outputTokens: number, costUsd: number) =>
    sql`insert into llm_usage (bot, job, run_id, model, input_tokens, output_tokens, cost_usd, status, day, created_at)
        values ('salesbot', 'followup-replies', 'r', ${model}, ${inputTokens}, ${outputTokens}, ${costUsd}, 'settled', ${dayOf(day).toISOString().slice(0, 10)}, ${dayOf(day)})`;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2 });
    await loadSampleCompany(db);
    for (let day = 1; day <= 28; day += 1) {
      await record('claude-haiku-5-5', day, 1_000_000, 200_000, 0.2); // 1M in × $0.10 + 0.2M out × $0.50
      await record('claude-sonnet-5-5', day, 500_000, 100_000, 1); // billed at $2/$10: $2.00 a day
    }
    anthropic = await startFakeAnthropicAdmin({
      pageDays: 10,
      costs: Array.from({ length: 28 }, (_, index) => [
        {
          day: dayOf(index + 1)
            .toISOString()
            .slice(0, 10),
          model: 'claude-haiku-5-5',
          usd: 0.1,
        },
        {
          day: dayOf(index + 1)
            .toISOString()
            .slice(0, 10),
          model: 'claude-haiku-5-5',
          tokenType: 'output_tokens',
          usd: 0.1,
        },
        {
          day: dayOf(index + 1)
            .toISOString()
            .slice(0, 10),
          model: 'claude-sonnet-5-5',
          usd: 2,
        },
      ]).flat(),
    });
  });
  afterAll(async () => {
    await anthropic.close();
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared monthly on the 1st at 12:00 UTC, catching up once, with 5% / $5 as defaults', () => {
    expect(sysbot.jobs?.find((job) => job.id === 'llm-invoice-reconcile')).toMatchObject({ schedule: '0 12 1 * *', tz: 'UTC', missed: 'once' });
    expect(llmInvoiceReconcileSettings.load({})).toEqual({ LLM_RECONCILE_MAX_SHARE: 0.05, LLM_RECONCILE_MAX_USD: 5 });
  });

  it("the client reads Anthropic's cost report across pages with the admin key and version header, amounts in cents", async () => {
    const to = new Date(MONTH_START.getTime() + 28 * 86_400_000);
    const buckets = await fetchAnthropicCostReport({ adminApiKey: anthropic.adminApiKey, baseUrl: anthropic.url, timeoutMs: 5000 }, { from: MONTH_START, to });
    expect(buckets).toHaveLength(28);
    expect(anthropic.requests).toHaveLength(3); // 10 + 10 + 8 days
    expect(anthropic.requests.every((request) => request.apiKey === anthropic.adminApiKey && request.version === '2023-06-01')).toBe(true);
    expect(anthropic.requests[0]?.path).toContain('group_by%5B%5D=description');
    expect(buckets[0]?.lines).toEqual([
      {
        model: 'claude-haiku-5-5',
        description: 'claude-haiku-5-5 uncached_input_tokens',
        costType: 'tokens',
        tokenType: 'uncached_input_tokens',
        amountUsd: 0.1,
      },
      { model: 'claude-haiku-5-5', description: 'claude-haiku-5-5 output_tokens', costType: 'tokens', tokenType: 'output_tokens', amountUsd: 0.1 },
      {
        model: 'claude-sonnet-5-5',
        description: 'claude-sonnet-5-5 uncached_input_tokens',
        costType: 'tokens',
        tokenType: 'uncached_input_tokens',
        amountUsd: 2,
      },
    ]);
    const refused = fetchAnthropicCostReport({ adminApiKey: 'sk-ant-api03-not-admin', baseUrl: anthropic.url, timeoutMs: 5000 }, { from: MONTH_START, to });
    await expect(refused).rejects.toBeInstanceOf(AnthropicAdminError);
    await expect(refused).rejects.toThrow(/ANTHROPIC_ADMIN_API_KEY must be an admin key/);
    await expect(refused).rejects.not.toThrow(/not-admin/);
  });

  it('fleet doctor probes the admin key with one day of the report: valid, or the HTTP status of a refused key', async () => {
    expect(await probeAnthropicAdmin({ adminApiKey: anthropic.adminApiKey, baseUrl: anthropic.url, timeoutMs: 5000 })).toMatchObject({ ok: true });
    expect(await probeAnthropicAdmin({ adminApiKey: 'sk-ant-admin01-revoked', baseUrl: anthropic.url, timeoutMs: 5000 })).toEqual({ ok: false, status: 401 });
  });

  it("live: last month's $33.60 against Anthropic's $61.60 is llm_cost_mismatch with sonnet as the gap", async () => {
    const result = await runSysbotJob(db, llmInvoiceReconcile, {
      scheduledFor: THIS_MONTH,
      connectorsEnv: { ANTHROPIC_ADMIN_API_KEY: anthropic.adminApiKey, ANTHROPIC_ADMIN_BASE_URL: anthropic.url },
    });
    expect(result.detail).toMatchObject({ month: MONTH, oursUsd: 33.6, anthropicUsd: 61.6, mismatch: true });
    const [signal, ...more] = await sql`select id, severity::text, payload from bot_signals where signal_type = 'llm_cost_mismatch'`;
    expect(more).toEqual([]);
    expect(signal).toMatchObject({
      severity: 'warning',
      payload: {
        month: MONTH,
        ours_usd: 33.6,
        anthropic_usd: 61.6,
        by_model: [
          { model: 'claude-sonnet-5-5', ours_usd: 28, anthropic_usd: 56, difference_usd: -28 },
          { model: 'claude-haiku-5-5', ours_usd: 5.6, anthropic_usd: 5.6, difference_usd: 0 },
        ],
      },
    });
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' and text like '%LLM bill%'`;
    expect(post?.['text']).toContain('claude-sonnet-5-5: ours $28.00, Anthropic $56.00 (-28.00)');
    expect(post?.['text']).not.toContain('claude-haiku-5-5: ours');
    expect(await answerOperator(replyTo(String(signal?.['id'])), sysbotContext(db))).toMatch(
      /The largest gap is claude-sonnet-5-5: ours \$28\.00, Anthropic \$56\.00; set LLM_PRICES/,
    );
  });

  it('sample: the same tokens priced by the sample bill agree within 5% for haiku-only use; nothing to report', async () => {
    const other = await freshDatabase();
    const otherDb = createPostgresDb({ url: other.url, poolMax: 2 });
    const otherSql = postgres(other.url, { max: 1 });
    try {
      await loadSampleCompany(otherDb);
      for (let day = 1; day <= 28; day += 1)
        await otherSql`insert into llm_usage (bot, model, input_tokens, output_tokens, cost_usd, status, day, created_at)
                       values ('jbot', 'claude-haiku-5-5', 1000000, 200000, 0.2, 'settled', ${dayOf(day).toISOString().slice(0, 10)}, ${dayOf(day)})`;
      const result = await runSysbotJob(otherDb, llmInvoiceReconcile, { scheduledFor: new Date(THIS_MONTH.getTime() - 1000), manual: true });
      expect(result.outcome).toBe('nothing to report');
      expect(result.detail).toMatchObject({ oursUsd: 5.6, anthropicUsd: 5.6, mismatch: false });
      const [line] = await otherSql`select text from channel_messages where bot = 'sysbot'`;
      expect(line?.['text']).toContain(`${MONTH}: ours $5.60, Anthropic $5.60 (sample) — within 5% and $5.`);
    } finally {
      await otherSql.end();
      await otherDb.close();
      await other.drop();
    }
  });
});
