import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { applyNegativeKeywords, googleSearchTerms, judgeSearchTerms, runGoogleSearchTerms, searchTermsSettings } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { approveAndExecute, executeAgain, searchJobContext } from './search-test-context.js';

const LOADED_AT = new Date('2026-12-01T14:00:00Z');
const NOW = new Date('2026-12-01T15:40:00Z');
const settings = searchTermsSettings.load({});

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  (data.mktg_search as { google_ads: { search_terms: { planted: unknown[] } } }).google_ads.search_terms.planted = [];
  return data;
}

describe('mktgbot google-search-terms', () => {
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

  it('is declared weekdays at 07:40 with the catalogue thresholds as defaults', () => {
    expect(googleSearchTerms.schedule).toBe('40 7 * * 1-5');
    expect(googleSearchTerms.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('google-search-terms');
    expect(mktgbot.actions?.map((action) => action.name)).toContain('apply_negative_keywords');
    expect(settings).toMatchObject({ GOOGLE_NEGATIVE_MIN_COST: 50, GOOGLE_NEGATIVE_MIN_CLICKS: 20, GOOGLE_ADD_MIN_CONVERSIONS: 3 });
    expect(settings.GOOGLE_ADS_BRAND_TERMS).toContain('driftwood candle');
    expect(() => searchTermsSettings.load({ GOOGLE_NEGATIVE_MIN_COST: 'fifty' })).toThrow(/GOOGLE_NEGATIVE_MIN_COST/);
  });

  it('finds the 6 wasteful terms and the 3 winners among the 120, and never negates the brand term', async () => {
    const googleAds = createConnectors({ db, env: {} }).googleAds;
    const terms = await googleAds.searchTerms();
    expect(terms).toHaveLength(120);
    const proposals = judgeSearchTerms(terms, await googleAds.listKeywords(), await googleAds.listCampaigns(), settings);
    expect(proposals.filter((item) => item.kind === 'negative').map((item) => item.term)).toEqual([
      'serum dupe',
      'free candle samples',
      'candle making kit',
      'cheap coffee beans bulk',
      'diy granola recipe',
      'how to clean candle jar',
    ]);
    expect(proposals.filter((item) => item.kind === 'add').map((item) => item.term)).toEqual([
      'soy candle gift set',
      'organic granola clusters',
      'whole bean coffee subscription',
    ]);
    expect(proposals.map((item) => item.term)).not.toContain('driftwood candle co reviews');
  });

  it('posts the proposals and asks apply_negative_keywords once; a rerun asks nothing new and calls no model', async () => {
    const first = await runGoogleSearchTerms(searchJobContext(db, 'google-search-terms', 'terms-1', NOW), settings);
    expect(first.outcome.outcome).toBe('9 keyword changes, posted');
    expect(first.approval?.created).toBe(true);
    const again = await runGoogleSearchTerms(
      searchJobContext(db, 'google-search-terms', 'terms-2', NOW, { lastFingerprint: first.outcome.fingerprint ?? null }),
      settings,
    );
    expect(again.outcome.outcome).toBe('9 keyword changes, unchanged since the last run (not reposted)');
    expect(again.approval).toEqual({ id: first.approval?.id, created: false });
    const approvals = await sql<Array<{ action: string; title: string }>>`select action, title from approvals where bot = 'mktgbot'`;
    expect(approvals).toEqual([{ action: 'apply_negative_keywords', title: 'Google Ads: 6 negative keyword(s) ($424 wasted in 14 d) and 3 new keyword(s)' }]);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it('approving adds the negatives and keywords in the sample Google Ads once; the next review proposes nothing', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'apply_negative_keywords'`;
    const done = await approveAndExecute(db, row?.id ?? '');
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    expect((done.result as { applied: number }).applied).toBe(9);
    const rerun = await executeAgain(db, applyNegativeKeywords, row?.id ?? '');
    expect(rerun).toMatchObject({ applied: 0, skipped: 9 });
    const added = await sql<
      Array<{ text: string; negative: boolean }>
    >`select text, negative from sample_google_keywords where idempotency_key is not null order by negative desc, text`;
    expect(added.filter((keyword) => keyword.negative)).toHaveLength(6);
    expect(added.filter((keyword) => !keyword.negative).map((keyword) => keyword.text)).toEqual([
      'organic granola clusters',
      'soy candle gift set',
      'whole bean coffee subscription',
    ]);
    const after = await runGoogleSearchTerms(searchJobContext(db, 'google-search-terms', 'terms-3', NOW, { manual: true }), settings);
    expect(after.proposals).toEqual([]);
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 3 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const run = await runGoogleSearchTerms(searchJobContext(healthyDb, 'google-search-terms', 'healthy', NOW, { manual: true }), settings);
      expect(run.proposals).toEqual([]);
      expect(run.outcome.outcome).toBe('nothing to report');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
