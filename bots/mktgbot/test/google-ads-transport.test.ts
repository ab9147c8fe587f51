import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadConnectorsConfig, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeGoogleMarketing, type FakeGoogleMarketing, type TestDatabase } from '@jbot/testkit';
import { brandSearchSettings, judgeBrandSearch, judgeSearchTerms, searchTermsSettings } from '../src/index.js';

// The fake Google Ads account holds what the sample company holds, so the live adapter must find the same.
const LOADED_AT = new Date('2026-12-01T14:00:00Z');

describe('Google Ads live adapter at the transport (REST googleAds:search / :mutate)', () => {
  let database: TestDatabase;
  let db: Db;
  let google: FakeGoogleMarketing;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 3 });
    await loadSampleCompany(db, { now: LOADED_AT });
    const sample = createConnectors({ db, env: {} }).googleAds;
    const [campaigns, days, terms, keywords] = await Promise.all([
      sample.listCampaigns(),
      sample.campaignMetrics({ from: '2026-11-01', to: '2026-11-30' }),
      sample.searchTerms(),
      sample.listKeywords(),
    ]);
    google = await startFakeGoogleMarketing({
      seed: {
        googleAds: {
          customerId: '4821937705',
          campaigns: campaigns.map((campaign) => ({
            id: campaign.id,
            name: campaign.name,
            status: campaign.status,
            budgetId: `9${campaign.id}`,
            amountMicros: campaign.dailyBudget * 1e6,
          })),
          days: days.map((day) => ({
            campaignId: day.campaignId,
            date: day.day,
            costMicros: Math.round(day.cost * 1e6),
            clicks: day.clicks,
            conversions: day.conversions,
            conversionsValue: day.conversionsValue,
            ...(day.impressionShare === null
              ? {}
              : {
                  searchImpressionShare: day.impressionShare,
                  searchBudgetLostImpressionShare: day.budgetLostImpressionShare ?? 0,
                  searchRankLostImpressionShare: day.rankLostImpressionShare ?? 0,
                  searchTopImpressionShare: day.topImpressionShare ?? 0,
                }),
          })),
          searchTerms: terms.map((term) => ({
            campaignId: term.campaignId,
            adGroupId: term.adGroupId,
            searchTerm: term.term,
            costMicros: Math.round(term.cost * 1e6),
            clicks: term.clicks,
            conversions: term.conversions,
            conversionsValue: term.conversionsValue,
          })),
          criteria: keywords.map((keyword, index) => ({
            resourceName: `customers/4821937705/adGroupCriteria/${keyword.campaignId}01~${index + 1}`,
            campaignId: keyword.campaignId,
            adGroupId: `${keyword.campaignId}01`,
            text: keyword.text,
            matchType: keyword.matchType,
            negative: keyword.negative,
          })),
        },
      },
    });
    env = {
      GOOGLE_ADS_CUSTOMER_ID: '482-193-7705',
      GOOGLE_ADS_DEVELOPER_TOKEN: google.developerToken,
      GOOGLE_ADS_API_BASE: google.url,
      GOOGLE_OAUTH_CLIENT_ID: google.clientId,
      GOOGLE_OAUTH_CLIENT_SECRET: google.clientSecret,
      GOOGLE_OAUTH_REFRESH_TOKEN: google.refreshToken,
      GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl,
    };
  });
  afterAll(async () => {
    await google?.close();
    await db?.close();
    await database?.drop();
  });

  it('is live with a customer id, developer token and the OAuth client; a customer id without a developer token is a config error', () => {
    expect(createConnectors({ db, env }).googleAds.source).toBe('google_ads');
    expect(() => loadConnectorsConfig({ ...env, GOOGLE_ADS_DEVELOPER_TOKEN: '' })).toThrow(/GOOGLE_ADS_DEVELOPER_TOKEN/);
    expect(() => loadConnectorsConfig({ ...env, GOOGLE_ADS_CUSTOMER_ID: '12345' })).toThrow(/GOOGLE_ADS_CUSTOMER_ID.*10-digit/);
  });

  it('reads the same search terms (paged GAQL) and brand impression shares as the sample, so the jobs find the same', async () => {
    const googleAds = createConnectors({ db, env }).googleAds;
    const [terms, keywords, campaigns, days] = await Promise.all([
      googleAds.searchTerms(),
      googleAds.listKeywords(),
      googleAds.listCampaigns(),
      googleAds.campaignMetrics({ from: '2026-11-20', to: '2026-11-30' }),
    ]);
    expect(terms).toHaveLength(120);
    const proposals = judgeSearchTerms(terms, keywords, campaigns, searchTermsSettings.load({}));
    expect(proposals.filter((item) => item.kind === 'negative')).toHaveLength(6);
    expect(proposals.filter((item) => item.kind === 'add').map((item) => item.term)).toEqual([
      'soy candle gift set',
      'organic granola clusters',
      'whole bean coffee subscription',
    ]);
    expect(
      judgeBrandSearch(campaigns, days, '2026-11-30', brandSearchSettings.load({})).map((finding) => [finding.campaign_id, finding.impression_share]),
    ).toEqual([['1710000004', 0.82]]);
    const searches = google.requests.filter((request) => request.path === '/v23/customers/4821937705/googleAds:search');
    expect(
      searches.some((request) => String((request.body as { query: string }).query).includes('FROM search_term_view WHERE segments.date DURING LAST_14_DAYS')),
    ).toBe(true);
    expect(searches.some((request) => (request.body as { pageToken?: string }).pageToken === '50')).toBe(true);
    expect(searches.every((request) => request.headers['developer-token'] === google.developerToken)).toBe(true);
  });

  it('applies negatives and keywords once per key: a retry after a lost response looks first and does not add them twice', async () => {
    const googleAds = createConnectors({ db, env }).googleAds;
    const items = [
      { campaignId: '1710000007', text: 'free candle samples', matchType: 'EXACT' as const, negative: true },
      { campaignId: '1710000007', adGroupId: '171000000701', text: 'soy candle gift set', matchType: 'EXACT' as const, negative: false },
    ];
    google.failNext('adGroupCriteria:mutate', 503, true);
    await expect(googleAds.applyKeywords({ idempotencyKey: 'approval:gads-1:keywords', items })).rejects.toThrow(
      /Google Ads mutate adGroupCriteria failed \(HTTP 503\)/,
    );
    const mutatesAfterFailure = google.googleAds.mutates;
    expect(await googleAds.applyKeywords({ idempotencyKey: 'approval:gads-1:keywords', items })).toEqual({ applied: 0, skipped: 2 });
    expect(google.googleAds.mutates).toBe(mutatesAfterFailure);
    expect(await googleAds.applyKeywords({ idempotencyKey: 'approval:gads-1:keywords', items })).toEqual({ applied: 0, skipped: 2 });
    expect(google.googleAds.criteria.filter((criterion) => criterion.text === 'free candle samples' || criterion.text === 'soy candle gift set')).toHaveLength(
      2,
    );
    const negative = google.googleAds.criteria.find((criterion) => criterion.text === 'free candle samples');
    expect(negative).toMatchObject({ negative: true, matchType: 'EXACT', campaignId: '1710000007' });
    expect(negative?.adGroupId).toBeUndefined();
  });

  it('sets a campaign budget once (amount_micros on its campaign_budget)', async () => {
    const googleAds = createConnectors({ db, env }).googleAds;
    expect(await googleAds.setCampaignBudget({ idempotencyKey: 'approval:gads-2:budget', campaignId: '1710000004', dailyBudget: 75 })).toEqual({
      campaignId: '1710000004',
      dailyBudget: 75,
      changed: true,
    });
    expect(await googleAds.setCampaignBudget({ idempotencyKey: 'approval:gads-2:budget', campaignId: '1710000004', dailyBudget: 75 })).toMatchObject({
      changed: false,
    });
    expect(google.googleAds.campaigns.find((campaign) => campaign.id === '1710000004')?.amountMicros).toBe(75_000_000);
    const budgetCalls = google.requests.filter((request) => request.path.endsWith('campaignBudgets:mutate'));
    expect(budgetCalls).toHaveLength(1);
    expect(budgetCalls[0]?.body).toEqual({
      operations: [{ update: { resourceName: 'customers/4821937705/campaignBudgets/91710000004', amountMicros: '75000000' }, updateMask: 'amount_micros' }],
    });
  });
  it('retries a read on 503 (GAQL search), never a write', async () => {
    const before = google.requests.length;
    google.failNext('googleAds:search', 503);
    expect((await createConnectors({ db, env }).googleAds.listCampaigns()).map((campaign) => campaign.id)).toContain('1710000004');
    expect(google.requests.slice(before).filter((request) => request.path.endsWith('googleAds:search'))).toHaveLength(2);
  });
});
