import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { ConnectorError, createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeGoogleSearch, type FakeGoogleSearch, type TestDatabase } from '@jbot/testkit';
import { coreWebVitals, seoRankWatch } from '../src/index.js';
import { runContentJob } from './job-harness.js';

const SITE = 'https://harborandpine.example/';
const ORIGIN = 'https://harborandpine.example';

describe('Search Console and PageSpeed live adapter at the fake Google (OAuth included)', () => {
  let database: TestDatabase;
  let db: Db;
  let fake: FakeGoogleSearch;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
    // The fake holds the sample company's Search Console and field data, read from its tables.
    const raw = postgres(database.url, { max: 1, onnotice: () => {} });
    const rows = await raw<Array<{ day: string; page: string; query: string; clicks: number; impressions: number; position: string }>>`
      select to_char(day, 'YYYY-MM-DD') as day, page, query, clicks, impressions, position from sample_gsc_daily`;
    const vitals = await raw<Array<{ url: string; lcp_ms: number; inp_ms: number; cls: string }>>`select url, lcp_ms, inp_ms, cls from sample_cwv_current()`;
    const unindexed = await raw<Array<{ url: string }>>`select url from sample_site_pages where not indexed`;
    await raw.end();
    fake = await startFakeGoogleSearch({
      seed: {
        siteUrl: SITE,
        rows: rows.map((row) => ({
          date: row.day,
          page: `${ORIGIN}${row.page}`,
          query: row.query,
          clicks: row.clicks,
          impressions: row.impressions,
          position: Number(row.position),
        })),
        vitals: Object.fromEntries(vitals.map((page) => [`${ORIGIN}${page.url}`, { lcpMs: page.lcp_ms, inpMs: page.inp_ms, cls: Number(page.cls) }])),
        inspections: Object.fromEntries(unindexed.map((page) => [`${ORIGIN}${page.url}`, { verdict: 'NEUTRAL' as const }])),
      },
    });
    env = {
      GOOGLE_SEARCH_CONSOLE_SITE: SITE,
      GOOGLE_OAUTH_CLIENT_ID: fake.clientId,
      GOOGLE_OAUTH_CLIENT_SECRET: fake.clientSecret,
      GOOGLE_OAUTH_REFRESH_TOKEN: fake.refreshToken,
      GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
      GOOGLE_API_BASE: fake.url,
      PAGESPEED_API_KEY: fake.apiKey,
      PAGESPEED_URLS: vitals.map((page) => page.url).join(','),
    };
  });
  afterAll(async () => {
    await fake?.close();
    await db?.close();
    await database?.drop();
  });

  it('seo-rank-watch and core-web-vitals find the planted cases through the Google clients', async () => {
    const live = createConnectors({ db, env });
    expect(live.search.source).toBe('google');
    const seo = await runContentJob(db, seoRankWatch, { runId: 'live-seo', connectors: live });
    expect(seo.detail?.['regressions']).toEqual(['/collections/soy-candles']);
    expect(seo.detail?.['striking']).toEqual([expect.objectContaining({ url: '/products/dw-106', query: 'campfire candle tin' })]);
    const vitals = await runContentJob(db, coreWebVitals, { runId: 'live-cwv', connectors: live });
    expect(vitals.detail?.['findings']).toEqual(['/products/dw-101 lcp fail']);
    expect(fake.tokensIssued()).toBe(1);
    expect(fake.requests.filter((request) => request.path === '/pagespeedonline/v5/runPagespeed')).toHaveLength(20);
  });

  it('URL Inspection reports the two pages Google has not indexed', async () => {
    const live = createConnectors({ db, env });
    const status = await live.search.inspectUrls(['/products/sm-109', '/blogs/journal/beard-care-basics', '/products/dw-101']);
    expect(status).toEqual([
      { url: '/products/sm-109', indexed: false, googleCanonical: '/products/sm-109' },
      { url: '/blogs/journal/beard-care-basics', indexed: false, googleCanonical: '/blogs/journal/beard-care-basics' },
      { url: '/products/dw-101', indexed: true, googleCanonical: '/products/dw-101' },
    ]);
  });

  it('a revoked refresh token is a clear error naming the variables', async () => {
    const revoked = createConnectors({ db, env: { ...env, GOOGLE_OAUTH_REFRESH_TOKEN: '1//revoked-token-abc' } });
    const failure = await revoked.search.lastCompleteDay().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(String((failure as Error).message)).toContain('GOOGLE_OAUTH_');
    expect(String((failure as Error).message)).not.toContain('1//revoked-token-abc');
  });
});
