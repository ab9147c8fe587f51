import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type AdSetLearning, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { mktgbot } from '../src/bot.js';
import { findConsolidations, learningLimitedSettings, metaLearningLimited, runLearningLimited } from '../src/jobs/meta-learning-limited.js';
import { consolidateAdsets } from '../src/paid-media/consolidate-adsets.js';
import { executionContext, jobContext, LOADED_AT } from './paid-media-harness.js';

const NOW = new Date('2026-12-01T16:45:00Z'); // 08:45 PT
const settings = learningLimitedSettings.load({});
const TIDEPOOL_BROAD = '23860000000005';
const TIDEPOOL_HOOKS = '23860000000012';
const POUR_OVER = '23860000000013';

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const paid = data.paid_media as { ad_set_learning: Array<{ status: string }> };
  for (const row of paid.ad_set_learning) row.status = 'SUCCESS';
  return data;
}

const adSet = (adSetId: string, campaignId: string, events7d: number, daysLimited: number): AdSetLearning => ({
  platform: 'meta',
  adSetId,
  campaignId,
  name: adSetId,
  status: 'ACTIVE',
  dailyBudget: 50,
  learningStatus: 'FAIL',
  lastSignificantEditAt: new Date(NOW.getTime() - daysLimited * 86_400_000).toISOString(),
  optimizationGoal: 'OFFSITE_CONVERSIONS',
  events7d,
});

describe('mktgbot meta-learning-limited', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: LOADED_AT });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared daily at 08:45 with 7 days and 50 events/week by default', () => {
    expect(metaLearningLimited.schedule).toBe('45 8 * * *');
    expect(metaLearningLimited.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('meta-learning-limited');
    expect(settings).toEqual({ META_LEARNING_LIMITED_DAYS: 7, META_LEARNING_EVENTS_PER_WEEK: 50 });
  });

  it('merges only ≥ 2 ad sets of one campaign, limited ≥ 7 days, with ≥ 50 events together', () => {
    const { proposals } = findConsolidations(
      [adSet('a1', 'A', 30, 8), adSet('a2', 'A', 25, 9), adSet('b1', 'B', 20, 10), adSet('b2', 'B', 20, 10), adSet('c1', 'C', 40, 8), adSet('c2', 'C', 40, 3)],
      settings,
      NOW,
    );
    expect(
      proposals.map((proposal) => [proposal.campaign_id, proposal.keep.adSetId, proposal.pause.map((set) => set.adSetId), proposal.combined_events_7d]),
    ).toEqual([['A', 'a1', ['a2'], 55]]);
  });

  it('finds the three Learning-Limited ad sets and proposes merging the two Tidepool ones; a rerun asks nothing new', async () => {
    const result = await runLearningLimited(jobContext(db, 'meta-learning-limited', 'mll-1', NOW), settings, NOW);
    expect(result.limited.map((set) => set.adSetId).sort()).toEqual([TIDEPOOL_BROAD, TIDEPOOL_HOOKS, POUR_OVER].sort());
    expect(
      result.proposals.map((proposal) => [proposal.campaign, proposal.keep.adSetId, proposal.pause.map((set) => set.adSetId), proposal.combined_events_7d]),
    ).toEqual([['SM | Prospecting | Tidepool Serum', TIDEPOOL_BROAD, [TIDEPOOL_HOOKS], 54]]);
    expect(result.outcome.outcome).toBe('3 Learning-Limited ad sets, posted');
    const [approval] = await sql<Array<{ draft: { keep: { new_daily_budget: number } } }>>`select draft from approvals where action = 'consolidate_adsets'`;
    expect(approval?.draft.keep.new_daily_budget).toBe(170);
    const again = await runLearningLimited(
      jobContext(db, 'meta-learning-limited', 'mll-2', NOW, { fingerprint: result.outcome.fingerprint ?? '' }),
      settings,
      NOW,
    );
    expect(again.approvals.map((row) => row.created)).toEqual([false]);
    expect(again.outcome.outcome).toMatch(/unchanged since the last run/);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it('the approved consolidation raises the kept ad set and pauses the other, once', async () => {
    const [row] = await sql<Array<{ id: string; draft: unknown }>>`select id, draft from approvals where action = 'consolidate_adsets'`;
    const draft = consolidateAdsets.draft.parse(row?.draft);
    expect((await consolidateAdsets.execute(draft, executionContext(db, row?.id ?? ''), {} as never)).changed).toBe(2);
    expect((await consolidateAdsets.execute(draft, executionContext(db, row?.id ?? ''), {} as never)).changed).toBe(0);
    const sets = await createConnectors({ db, env: {} }).paidMedia.adSetLearning();
    expect(sets.find((set) => set.adSetId === TIDEPOOL_BROAD)).toMatchObject({ dailyBudget: 170, status: 'ACTIVE' });
    expect(sets.find((set) => set.adSetId === TIDEPOOL_HOOKS)?.status).toBe('PAUSED');
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const sets = await createConnectors({ db: healthyDb, env: {} }).paidMedia.adSetLearning();
      expect(sets).toHaveLength(11);
      expect(findConsolidations(sets, settings, NOW).limited).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
