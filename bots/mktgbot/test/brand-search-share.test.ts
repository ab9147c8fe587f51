import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { adjustCampaignBudget, answerOperator, brandSearchSettings, brandSearchShare, runBrandSearchShare } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { approveAndExecute, executeAgain, searchJobContext } from './search-test-context.js';

const LOADED_AT = new Date('2026-12-01T14:00:00Z');
const NOW = new Date('2026-12-01T16:20:00Z');
const TRAILHEAD = '1710000004';
const settings = brandSearchSettings.load({ FLEET_TZ: 'America/Los_Angeles' });

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  (data.mktg_search as { google_ads: { brand_share: { planted: unknown[] } } }).google_ads.brand_share.planted = [];
  return data;
}

describe('mktgbot brand-search-share', () => {
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

  const reply = (signalId: string | null, text: string) =>
    answerOperator(
      { text, operatorMessageId: `m-${text}`, signalId, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      searchJobContext(db, 'reply', `reply-${text}`, NOW),
    );

  it('is declared daily at 08:20 with the catalogue thresholds as defaults', () => {
    expect(brandSearchShare.schedule).toBe('20 8 * * *');
    expect(brandSearchShare.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('brand-search-share');
    expect(brandSearchSettings.load({})).toMatchObject({
      BRAND_IS_MIN_PCT: 90,
      BRAND_BUDGET_LOST_MAX_PCT: 5,
      BRAND_TOP_IS_DROP_POINTS: 15,
      BRAND_BUDGET_STEP_PCT: 25,
    });
    expect(() => brandSearchSettings.load({ BRAND_IS_MIN_PCT: '101' })).toThrow(/BRAND_IS_MIN_PCT/);
    expect(() => brandSearchSettings.load({ GOOGLE_ADS_BRAND_CAMPAIGN_PATTERN: 'brand(' })).toThrow(/GOOGLE_ADS_BRAND_CAMPAIGN_PATTERN/);
  });

  it('while tracking_broken is open: finds Trailhead at 82% IS, raises brand_search_loss, and proposes no budget increase', async () => {
    await searchJobContext(db, 'tracking-health', 'seed', NOW).signals.emit(
      'tracking_broken',
      { platform: 'ga4', ratio_now: 0.3, ratio_median: 0.93, shopify_orders: 21, platform_purchases: 6 },
      { severity: 'alert' },
    );
    const run = await runBrandSearchShare(searchJobContext(db, 'brand-search-share', 'brand-1', NOW), settings, NOW);
    expect(run.findings.map((finding) => [finding.campaign_id, finding.impression_share, finding.lost_budget, finding.budget_limited])).toEqual([
      [TRAILHEAD, 0.82, 0.12, true],
    ]);
    expect(run.approvals).toEqual([]);
    expect(run.held).toMatch(/conversion tracking is broken on ga4/);
    expect(run.signals).toBe(1);
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'mktgbot' and text like '%budget increase held%'`;
    expect(posts).toHaveLength(1);
    expect((await sql`select 1 from approvals where action = 'adjust_campaign_budget'`).length).toBe(0);
  });

  it('the operator replying "fixed" to the tracking alert lifts the hold; the next run proposes +25% once', async () => {
    const [broken] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'tracking_broken'`;
    expect(await reply(broken?.id ?? null, 'why?')).toMatch(/^tracking broken — .*Budget increases are held while it is open; reply "fixed"/);
    expect(await reply(broken?.id ?? null, 'fixed, the tag is back')).toMatch(/^noted — ga4 tracking marked fixed; budget increases may be proposed again/);
    const run = await runBrandSearchShare(searchJobContext(db, 'brand-search-share', 'brand-2', NOW), settings, NOW);
    expect(run.held).toBeNull();
    expect(run.approvals.map((approval) => [approval.campaign_id, approval.created])).toEqual([[TRAILHEAD, true]]);
    expect(run.signals).toBe(0);
    const [approval] = await sql<Array<{ draft: { new_daily_budget: number; current_daily_budget: number; platform: string } }>>`
      select draft from approvals where action = 'adjust_campaign_budget'`;
    expect(approval?.draft).toMatchObject({ platform: 'google', current_daily_budget: 60, new_daily_budget: 75 });
    const again = await runBrandSearchShare(searchJobContext(db, 'brand-search-share', 'brand-3', NOW), settings, NOW);
    expect(again.approvals.map((entry) => entry.created)).toEqual([false]);
    const [loss] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'brand_search_loss'`;
    expect(await reply(loss?.id ?? null, 'what now?')).toMatch(
      /^brand search — TH \| Search Brand \| Trailhead Coffee: impression share 82\.0%.*Approve [0-9a-f-]+ /,
    );
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it('approving sets the budget in the sample Google Ads once', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'adjust_campaign_budget'`;
    const done = await approveAndExecute(db, row?.id ?? '');
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    expect(await executeAgain(db, adjustCampaignBudget, row?.id ?? '')).toMatchObject({ changed: false, daily_budget: 75 });
    expect(await sql`select daily_budget::text as budget from sample_google_campaigns where id = ${TRAILHEAD}`).toEqual([{ budget: '75.00' }]);
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 3 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const run = await runBrandSearchShare(searchJobContext(healthyDb, 'brand-search-share', 'healthy', NOW, { manual: true }), settings, NOW);
      expect(run.findings).toEqual([]);
      expect(run.outcome.outcome).toBe('nothing to report');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
