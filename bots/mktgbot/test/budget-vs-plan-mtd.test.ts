import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, readSampleCompanyData, type CampaignDay, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { mktgbot } from '../src/bot.js';
import { answerOperator } from '../src/operator-replies.js';
import { budgetVsPlanMtd, budgetVsPlanSettings, projectAgainstPlan, runBudgetVsPlan } from '../src/jobs/budget-vs-plan-mtd.js';
import { jobContext } from './paid-media-harness.js';

// Loaded and run mid-month (Wed 2026-12-16, 07:30 PT): 15 days of December behind, 16 to go.
const LOADED = new Date('2026-12-16T15:00:00Z');
const NOW = new Date('2026-12-16T15:30:00Z');
const settings = budgetVsPlanSettings.load({ FLEET_TZ: 'America/Los_Angeles' });

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  (data.paid_media as { plan_factors: unknown[] }).plan_factors = [];
  return data;
}

const day = (dayOfMonth: number, spend: number): CampaignDay => ({
  platform: 'tiktok',
  campaignId: 'c',
  day: `2026-12-${String(dayOfMonth).padStart(2, '0')}`,
  spend,
  revenue: 0,
  purchases: 0,
  impressions: 0,
  clicks: 0,
});

describe('mktgbot budget-vs-plan-mtd', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: LOADED });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared daily at 07:30 with +5% / −15% after day 10 and a 7-day run rate by default', () => {
    expect(budgetVsPlanMtd.schedule).toBe('30 7 * * *');
    expect(budgetVsPlanMtd.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('budget-vs-plan-mtd');
    expect(settings).toMatchObject({ PAID_PLAN_OVER_PCT: 5, PAID_PLAN_UNDER_PCT: 15, PAID_PLAN_UNDER_AFTER_DAY: 10, PAID_PLAN_RUN_RATE_DAYS: 7 });
  });

  it('projects MTD + 7-day run rate × days left; under plan counts only after day 10', () => {
    const brands = new Map([['tiktok:c', 'KC']]);
    const spend = Array.from({ length: 15 }, (_, index) => day(index + 1, index < 8 ? 100 : 50));
    const [row] = projectAgainstPlan(spend, [{ month: '2026-12-01', platform: 'tiktok', brand: 'KC', budget: 3100 }], brands, '2026-12-15', settings);
    // MTD 8×100 + 7×50 = 1150; run rate 50; 16 days left → 1950, −37% of 3100.
    expect(row).toMatchObject({ mtd: 1150, run_rate: 50, days_left: 16, projected: 1950, variance_pct: -37.1, verdict: 'under' });
    const [early] = projectAgainstPlan(
      spend.slice(0, 8),
      [{ month: '2026-12-01', platform: 'tiktok', brand: 'KC', budget: 3100 }],
      brands,
      '2026-12-08',
      settings,
    );
    expect(early?.verdict).toBe(null);
  });

  it('finds Pinterest projected over plan (Driftwood planned low) and nothing else; raises mktg_budget_variance as a warning', async () => {
    const result = await runBudgetVsPlan(jobContext(db, 'budget-vs-plan-mtd', 'bvp-1', NOW), settings, NOW);
    expect(result.platforms.map((row) => row.platform)).toEqual(['meta', 'google', 'tiktok', 'pinterest', 'amazon']);
    expect(result.platforms.filter((row) => row.verdict !== null).map((row) => [row.platform, row.verdict, row.brands[0]?.brand])).toEqual([
      ['pinterest', 'over', 'DW'],
    ]);
    expect(result.outcome.outcome).toBe('1 platform off plan, posted');
    const signals = await sql<Array<{ severity: string; payload: { platform: string; month: string; variance_pct: number } }>>`
      select severity, payload from bot_signals where signal_type = 'mktg_budget_variance'`;
    expect(signals.map((row) => [row.severity, row.payload.platform, row.payload.month])).toEqual([['warning', 'pinterest', '2026-12-01']]);
    expect(signals[0]?.payload.variance_pct).toBeGreaterThan(5);
    const again = await runBudgetVsPlan(jobContext(db, 'budget-vs-plan-mtd', 'bvp-2', NOW, { fingerprint: result.outcome.fingerprint ?? '' }), settings, NOW);
    expect([again.outcome.outcome, again.signals]).toEqual(['1 platform off plan, unchanged since the last run (not reposted)', 0]);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply with the projection and how much to cut", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'mktg_budget_variance'`;
    const answer = await answerOperator(
      { text: '?', operatorMessageId: 'm1', signalId: signal?.id ?? null, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      jobContext(db, 'reply', 'reply-1', NOW),
    );
    expect(answer).toMatch(
      /^pinterest 2026-12: projected \$[\d.]+ against a plan of \$[\d.]+ \(\+\d+\.\d%, \$[\d.]+ spent so far\)\. To land on plan, cut the rest of the month's daily spend on it by about \d+%/,
    );
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED });
      const result = await runBudgetVsPlan(jobContext(healthyDb, 'budget-vs-plan-mtd', 'bvp-h', NOW), settings, NOW);
      expect(result.platforms.filter((row) => row.verdict !== null)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
