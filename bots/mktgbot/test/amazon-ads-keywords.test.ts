import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { amazonAdsKeywords, amazonKeywordsSettings, applyAmazonBidChanges, runAmazonAdsKeywords } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { approveAndExecute, executeAgain, searchJobContext } from './search-test-context.js';

const LOADED_AT = new Date('2026-12-01T14:00:00Z');
const NOW = new Date('2026-12-01T15:50:00Z');
const settings = amazonKeywordsSettings.load({});

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const amazon = (data.mktg_search as { amazon_ads: { planted_keywords: unknown[]; planted_search_terms: unknown[] } }).amazon_ads;
  amazon.planted_keywords = [];
  amazon.planted_search_terms = [];
  return data;
}

describe('mktgbot amazon-ads-keywords', () => {
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

  it('is declared daily at 07:50 with the catalogue thresholds as defaults', () => {
    expect(amazonAdsKeywords.schedule).toBe('50 7 * * *');
    expect(amazonAdsKeywords.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('amazon-ads-keywords');
    expect(mktgbot.actions?.map((action) => action.name)).toContain('apply_amazon_bid_changes');
    expect(settings).toMatchObject({
      AMAZON_ADS_TARGET_ACOS_PCT: 35,
      AMAZON_BID_DOWN_MIN_SPEND: 30,
      AMAZON_BID_DOWN_PCT: 15,
      AMAZON_BID_UP_PCT: 10,
      AMAZON_NEGATIVE_MIN_SPEND: 25,
      AMAZON_NEGATIVE_MIN_CLICKS: 15,
      AMAZON_ADS_REPORT_DAYS: 14,
    });
    expect(() => amazonKeywordsSettings.load({ AMAZON_BID_DOWN_PCT: '0' })).toThrow(/AMAZON_BID_DOWN_PCT/);
  });

  it('cuts the 3 keywords over target ACOS by 15%, raises the 2 efficient ones by 10%, negates the 2 wasteful terms, once per proposal set', async () => {
    const first = await runAmazonAdsKeywords(searchJobContext(db, 'amazon-ads-keywords', 'amazon-1', NOW), settings, NOW);
    expect(first.proposals.bids.map((bid) => [bid.keyword, bid.reason, bid.current_bid, bid.new_bid])).toEqual([
      ['luxury soy candle (exact)', 'bid_down', 1.85, 1.57],
      ['vitamin c serum (phrase)', 'bid_down', 2.1, 1.79],
      ['coffee beans (exact)', 'bid_down', 1.4, 1.19],
      ['maple pecan granola (exact)', 'bid_up', 0.9, 0.99],
      ['trailhead coffee (exact)', 'bid_up', 0.75, 0.83],
    ]);
    expect(first.proposals.negatives.map((negative) => [negative.search_term, negative.campaign_id])).toEqual([
      ['candle warmer lamp', '3120000005'],
      ['keto cereal', '3120000001'],
    ]);
    expect(first.outcome.outcome).toBe('7 SP changes, posted');
    expect(first.approval?.created).toBe(true);
    const again = await runAmazonAdsKeywords(
      searchJobContext(db, 'amazon-ads-keywords', 'amazon-2', NOW, { lastFingerprint: first.outcome.fingerprint ?? null }),
      settings,
      NOW,
    );
    expect(again.outcome.outcome).toBe('7 SP changes, unchanged since the last run (not reposted)');
    expect(again.approval).toEqual({ id: first.approval?.id, created: false });
    expect((await sql`select 1 from approvals where bot = 'mktgbot'`).length).toBe(1);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it('approving sets the bids and adds the negatives in the sample Amazon Ads once; the next review proposes nothing', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'apply_amazon_bid_changes'`;
    const done = await approveAndExecute(db, row?.id ?? '');
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    expect(done.result).toMatchObject({ bids_applied: 5, negatives_applied: 2, skipped: 0 });
    expect(await executeAgain(db, applyAmazonBidChanges, row?.id ?? '')).toMatchObject({ bids_applied: 0, negatives_applied: 0, skipped: 7 });
    const bids = await sql<
      Array<{ keyword_text: string; bid: string }>
    >`select keyword_text, bid::text from sample_amazon_ads_keywords where keyword_id like '4499%' order by keyword_id`;
    expect(bids.map((keyword) => [keyword.keyword_text, keyword.bid])).toEqual([
      ['luxury soy candle', '1.57'],
      ['vitamin c serum', '1.79'],
      ['coffee beans', '1.19'],
      ['maple pecan granola', '0.99'],
      ['trailhead coffee', '0.83'],
    ]);
    expect(
      (await sql`select keyword_text, match_type from sample_amazon_ads_negatives order by keyword_text`).map((negative) => negative['keyword_text']),
    ).toEqual(['candle warmer lamp', 'keto cereal']);
    // The sample's report period is fixed, so the cut keywords still read over target: the
    // negatives are gone from the proposals and the bids are proposed from their new values.
    const after = await runAmazonAdsKeywords(searchJobContext(db, 'amazon-ads-keywords', 'amazon-3', NOW, { manual: true }), settings, NOW);
    expect(after.proposals.negatives).toEqual([]);
    expect(after.proposals.bids.find((bid) => bid.keyword.startsWith('luxury'))?.current_bid).toBe(1.57);
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 3 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const run = await runAmazonAdsKeywords(searchJobContext(healthyDb, 'amazon-ads-keywords', 'healthy', NOW, { manual: true }), settings, NOW);
      expect(run.proposals).toEqual({ bids: [], negatives: [] });
      expect(run.outcome.outcome).toBe('nothing to report');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
