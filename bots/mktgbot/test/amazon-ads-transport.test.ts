import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { ConnectorError, createConnectors, loadConnectorsConfig, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeAmazonAds, type FakeAmazonAds, type TestDatabase } from '@jbot/testkit';
import { amazonKeywordsSettings, judgeAmazonKeywords } from '../src/index.js';

const LOADED_AT = new Date('2026-12-01T14:00:00Z');
const NOW = new Date('2026-12-01T15:50:00Z');

describe('Amazon Ads live adapter at the transport (v3 reports, SP keywords, LWA)', () => {
  let database: TestDatabase;
  let db: Db;
  let amazon: FakeAmazonAds;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 3 });
    await loadSampleCompany(db, { now: LOADED_AT });
    const sample = createConnectors({ db, env: {} }).amazonAds;
    const [keywords, targeting, terms] = await Promise.all([
      sample.listKeywords(),
      sample.targetingReport({ days: 14, end: NOW }),
      sample.searchTermReport({ days: 14, end: NOW }),
    ]);
    amazon = await startFakeAmazonAds({
      keywords: keywords.map((keyword) => {
        const row = targeting.find((candidate) => candidate.keywordId === keyword.keywordId);
        return {
          ...keyword,
          state: 'ENABLED' as const,
          cost: row?.cost ?? 0,
          clicks: row?.clicks ?? 0,
          purchases14d: row?.purchases ?? 0,
          sales14d: row?.sales ?? 0,
        };
      }),
      searchTerms: terms.map((term) => ({
        campaignId: term.campaignId,
        adGroupId: term.adGroupId,
        searchTerm: term.searchTerm,
        cost: term.cost,
        clicks: term.clicks,
        purchases14d: term.purchases,
        sales14d: term.sales,
      })),
    });
    env = {
      AMAZON_ADS_CLIENT_ID: amazon.clientId,
      AMAZON_ADS_CLIENT_SECRET: amazon.clientSecret,
      AMAZON_ADS_REFRESH_TOKEN: amazon.refreshToken,
      AMAZON_ADS_PROFILE_ID: amazon.profileId,
      AMAZON_ADS_API_BASE: amazon.url,
      AMAZON_LWA_TOKEN_URL: amazon.tokenUrl,
      AMAZON_ADS_REPORT_POLL_MS: '0',
    };
  });
  afterAll(async () => {
    await amazon?.close();
    await db?.close();
    await database?.drop();
  });

  it('is live with all four Amazon Ads variables; three of them is a config error naming the fourth', () => {
    expect(createConnectors({ db, env }).amazonAds.source).toBe('amazon_ads');
    const { AMAZON_ADS_PROFILE_ID: _profile, ...partial } = env;
    expect(() => loadConnectorsConfig(partial)).toThrow(/AMAZON_ADS_PROFILE_ID/);
  });

  it('reads both 14-day reports (create → poll → download gzip JSON) and finds what the sample finds', async () => {
    const amazonAds = createConnectors({ db, env }).amazonAds;
    const range = { days: 14, end: NOW };
    const [keywords, negatives, targeting, terms] = await Promise.all([
      amazonAds.listKeywords(),
      amazonAds.listNegativeKeywords(),
      amazonAds.targetingReport(range),
      amazonAds.searchTermReport(range),
    ]);
    const proposals = judgeAmazonKeywords(keywords, targeting, terms, amazonKeywordsSettings.load({}), negatives);
    expect(proposals.bids.map((bid) => [bid.keyword_id.startsWith('4499'), bid.reason])).toEqual([
      [true, 'bid_down'],
      [true, 'bid_down'],
      [true, 'bid_down'],
      [true, 'bid_up'],
      [true, 'bid_up'],
    ]);
    expect(proposals.negatives.map((negative) => negative.search_term)).toEqual(['candle warmer lamp', 'keto cereal']);
    const created = amazon.requests.filter((request) => request.path === '/reporting/reports' && request.method === 'POST');
    expect(created.map((request) => (request.body as { configuration: { reportTypeId: string } }).configuration.reportTypeId).sort()).toEqual([
      'spSearchTerm',
      'spTargeting',
    ]);
    expect(created[0]?.body).toMatchObject({
      startDate: '2026-11-17',
      endDate: '2026-11-30',
      configuration: { adProduct: 'SPONSORED_PRODUCTS', timeUnit: 'SUMMARY', format: 'GZIP_JSON' },
    });
    expect(amazon.requests.filter((request) => request.path.startsWith('/reporting/reports/')).length).toBe(4);
    expect(amazon.requests.filter((request) => request.path === '/auth/o2/token')).toHaveLength(1);
  });

  it('applies bids and negatives once per key: a retry after a lost response finds them and writes nothing again', async () => {
    const amazonAds = createConnectors({ db, env }).amazonAds;
    const input = {
      idempotencyKey: 'approval:amz-1:sp',
      bids: [{ keywordId: '44990001', bid: 1.57 }],
      negatives: [{ campaignId: '3120000005', adGroupId: '31200000051', keywordText: 'candle warmer lamp' }],
    };
    amazon.failNext('/sp/negativeKeywords', 502, true);
    await expect(amazonAds.applyChanges(input)).rejects.toThrow(/Amazon Ads create SP negative keywords failed \(HTTP 502\)/);
    expect(await amazonAds.applyChanges(input)).toEqual({ bidsApplied: 0, negativesApplied: 0, skipped: 2 });
    expect(amazon.keywords.find((keyword) => keyword.keywordId === '44990001')?.bid).toBe(1.57);
    expect(amazon.negatives.map((negative) => [negative.keywordText, negative.matchType])).toEqual([['candle warmer lamp', 'NEGATIVE_EXACT']]);
    expect(amazon.requests.filter((request) => request.method === 'PUT' && request.path === '/sp/keywords')).toHaveLength(1);
    expect(amazon.requests.filter((request) => request.method === 'POST' && request.path === '/sp/negativeKeywords')).toHaveLength(1);
  });

  it('a refused refresh token is a ConnectorError naming the Amazon Ads variables, without the token', async () => {
    const error = await createConnectors({ db, env: { ...env, AMAZON_ADS_REFRESH_TOKEN: 'Atzr|revoked' } })
      .amazonAds.listKeywords()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(/Amazon Ads LWA token exchange failed.*AMAZON_ADS_CLIENT_ID/);
    expect((error as Error).message).not.toContain('Atzr|revoked');
  });
  it('retries a read on 429 (the keyword list), never a write', async () => {
    const before = amazon.requests.length;
    amazon.failNext('/sp/keywords/list', 429);
    expect((await createConnectors({ db, env }).amazonAds.listKeywords()).length).toBeGreaterThan(30);
    expect(amazon.requests.slice(before).filter((request) => request.path === '/sp/keywords/list')).toHaveLength(2);
  });
});
