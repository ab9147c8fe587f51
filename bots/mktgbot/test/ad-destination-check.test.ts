import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import {
  createConnectors,
  createHttpLandingPages,
  loadSampleCompany,
  readSampleCompanyData,
  type AdDestination,
  type SampleCompanyData,
} from '@jbot/connectors';
import { freshDatabase, startFakeStore, type TestDatabase } from '@jbot/testkit';
import { mktgbot } from '../src/bot.js';
import { answerOperator } from '../src/operator-replies.js';
import { adDestinationCheck, adDestinationSettings, judgeDestinations, runAdDestinationCheck } from '../src/jobs/ad-destination-check.js';
import { pauseCampaigns } from '../src/propose-pauses.js';
import { executionContext, jobContext, LOADED_AT } from './paid-media-harness.js';

const NOW = new Date('2026-12-01T15:30:00Z');
const settings = adDestinationSettings.load({});
const NIGHT_HARBOR_AD = '23860000000116';

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const destinations = (data.paid_media as { ad_destinations: Array<{ ad_id: string; url: string; sku: string | null; stated_price: number | null }> })
    .ad_destinations;
  for (const row of destinations) {
    if (row.ad_id === NIGHT_HARBOR_AD) row.url = row.url.replace('sm-night-harbor-serum', 'sm-103');
    if (row.sku === 'DW-104') {
      row.url = row.url.replace('dw-104', 'dw-101');
      row.sku = 'DW-101';
      row.stated_price = null;
    }
  }
  return data;
}

const ad = (adId: string, url: string, overrides: Partial<AdDestination> = {}): AdDestination => ({
  platform: 'meta',
  adId,
  name: adId,
  campaignId: 'c',
  campaignStatus: 'ACTIVE',
  sku: null,
  url,
  statedPrice: null,
  ...overrides,
});

describe('mktgbot ad-destination-check', () => {
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

  it('is declared daily at 06:30, catching up once', () => {
    expect(adDestinationCheck.schedule).toBe('30 6 * * *');
    expect(adDestinationCheck.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('ad-destination-check');
  });

  it('applies the rules: 4xx, removed (redirect to home or a collection), no units, another price', () => {
    const store = {
      skuByHandle: new Map([
        ['kc-101', 'KC-101'],
        ['kc-102', 'KC-102'],
      ]),
      available: new Map([
        ['KC-101', 5],
        ['KC-102', 0],
      ]),
      price: new Map([['KC-101', 9.5]]),
    };
    const base = 'https://harborandpine.example';
    const found = judgeDestinations(
      [
        ad('gone', `${base}/products/x`),
        ad('moved', `${base}/products/y`),
        ad('sold', `${base}/products/kc-102`),
        ad('price', `${base}/products/kc-101`, { statedPrice: 8 }),
        ad('fine', `${base}/products/kc-101`, { statedPrice: 9.5 }),
      ],
      [
        { url: `${base}/products/x`, status: 404, finalPath: '/products/x', redirects: 0 },
        { url: `${base}/products/y`, status: 200, finalPath: '/collections/all', redirects: 1 },
        { url: `${base}/products/kc-102`, status: 200, finalPath: '/products/kc-102', redirects: 0 },
        { url: `${base}/products/kc-101`, status: 200, finalPath: '/products/kc-101', redirects: 0 },
      ],
      store,
      settings,
    );
    expect(found.map((row) => [row.ad_id, row.problem])).toEqual([
      ['gone', 'http_4xx'],
      ['moved', 'removed'],
      ['sold', 'out_of_stock'],
      ['price', 'price_mismatch'],
    ]);
  });

  it('finds the ad on a removed handle (404) and the ads landing on sold-out DW-104; proposes pausing the Meta campaigns once', async () => {
    const result = await runAdDestinationCheck(jobContext(db, 'ad-destination-check', 'adc-1', NOW), settings, NOW);
    expect(result.checked).toBe(41);
    expect([...new Set(result.broken.map((row) => `${row.problem}:${row.sku ?? row.ad_id}`))].sort()).toEqual([
      'http_4xx:23860000000116',
      'out_of_stock:DW-104',
    ]);
    expect(result.broken.find((row) => row.problem === 'http_4xx')?.url).toContain('/products/sm-night-harbor-serum');
    const signals = await sql<Array<{ severity: string }>>`select severity from bot_signals where signal_type = 'ad_destination_broken'`;
    expect(signals.length).toBe(result.broken.length);
    expect(new Set(signals.map((row) => row.severity))).toEqual(new Set(['warning']));
    expect(result.approval?.created).toBe(true);
    const [approval] = await sql<Array<{ draft: { campaigns: Array<{ campaign_id: string }> } }>>`select draft from approvals where action = 'pause_campaigns'`;
    expect(approval?.draft.campaigns.map((row) => row.campaign_id).sort()).toEqual(['120210000000000', '120210000004468']);
    const again = await runAdDestinationCheck(
      jobContext(db, 'ad-destination-check', 'adc-2', NOW, { fingerprint: result.outcome.fingerprint ?? '' }),
      settings,
      NOW,
    );
    expect([again.signals, again.approval?.created]).toEqual([0, false]);
    expect(again.outcome.outcome).toMatch(/unchanged since the last run/);
  });

  it("answers the operator's reply with the page's problem and the pending pause; the approved pause changes the sample campaigns", async () => {
    const [signal] = await sql<
      Array<{ id: string }>
    >`select id from bot_signals where signal_type = 'ad_destination_broken' and payload ->> 'problem' = 'http_4xx'`;
    const answer = await answerOperator(
      { text: '?', operatorMessageId: 'm1', signalId: signal?.id ?? null, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      jobContext(db, 'reply', 'reply-1', NOW),
    );
    expect(answer).toMatch(/^meta ad 23860000000116 lands on .*sm-night-harbor-serum.*: http 4xx .* Approve /);
    const [row] = await sql<Array<{ id: string; draft: unknown }>>`select id, draft from approvals where action = 'pause_campaigns'`;
    const draft = pauseCampaigns.draft.parse(row?.draft);
    await pauseCampaigns.execute(draft, executionContext(db, row?.id ?? ''), {} as never);
    const campaigns = await sql<Array<{ status: string }>>`select status from sample_ad_campaigns where id in ('120210000000000', '120210000004468')`;
    expect(campaigns.map((campaign) => campaign.status)).toEqual(['PAUSED', 'PAUSED']);
  });

  it('checks live pages over HTTP: a removed product redirecting to a collection, a 404, other hosts never fetched', async () => {
    const store = await startFakeStore({
      '/products/dw-101': { status: 200 },
      '/products/dw-199': { redirect: '/collections/candles' },
      '/collections/candles': { status: 200 },
    });
    try {
      const landing = createHttpLandingPages({ storeUrl: store.url });
      const checks = await landing.check([
        `${store.url}/products/dw-101?utm_source=meta`,
        `${store.url}/products/dw-199`,
        `${store.url}/products/gone`,
        'https://elsewhere.example/products/dw-101',
      ]);
      expect(checks.map((check) => [check.status, check.finalPath, check.redirects])).toEqual([
        [200, '/products/dw-101', 0],
        [200, '/collections/candles', 1],
        [404, '/products/gone', 0],
        [0, '/products/dw-101', 0],
      ]);
      expect(store.requests.map((request) => request.path)).toEqual(['/products/dw-101', '/products/dw-199', '/collections/candles', '/products/gone']);
    } finally {
      await store.close();
    }
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const result = await runAdDestinationCheck(
        jobContext(healthyDb, 'ad-destination-check', 'adc-h', NOW, null, createConnectors({ db: healthyDb, env: {} })),
        settings,
        NOW,
      );
      expect(result.broken).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
