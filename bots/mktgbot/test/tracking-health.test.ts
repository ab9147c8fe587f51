import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, shopifyObjectsFromSample, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeGoogleMarketing, startFakeShopify, type TestDatabase } from '@jbot/testkit';
import { budgetIncreasesHeld, judgeTracking, judgeUtmCoverage, runTrackingHealth, trackingHealth, trackingHealthSettings } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { searchJobContext } from './search-test-context.js';

// Loaded at 07:00 PT; the check runs at its catalogue time, 09:00 PT.
const LOADED_AT = new Date('2026-12-01T15:00:00Z');
const NOW = new Date('2026-12-01T17:00:00Z');
const settings = trackingHealthSettings.load({ FLEET_TZ: 'America/Los_Angeles' });

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  (data.mktg_search as { ga4_daily: { planted: unknown[] } }).ga4_daily.planted = [];
  return data;
}

describe('mktgbot tracking-health', () => {
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

  it('is declared on mktgbot daily at 09:00 with the catalogue thresholds as defaults', () => {
    expect(trackingHealth.schedule).toBe('0 9 * * *');
    expect(trackingHealth.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('tracking-health');
    expect(trackingHealthSettings.load({})).toMatchObject({
      TRACKING_DROP_PCT: 40,
      TRACKING_MEDIAN_DAYS: 14,
      TRACKING_SHOPIFY_BAND_PCT: 20,
      TRACKING_UTM_MIN_PCT: 80,
    });
    expect(() => trackingHealthSettings.load({ TRACKING_DROP_PCT: 'lots' })).toThrow(/TRACKING_DROP_PCT/);
  });

  it('judges the ratio against its median only while Shopify orders are normal', () => {
    const days = Array.from({ length: 15 }, (_, index) => `2026-11-${String(16 + index).padStart(2, '0')}`);
    const shopify = new Map(days.map((day) => [day, 20]));
    const healthy = new Map(days.map((day) => [day, 18]));
    const broken = new Map(days.map((day, index) => [day, index === 14 ? 6 : 18]));
    const day = days[14] ?? '';
    expect(judgeTracking('meta', shopify, healthy, day, settings)).toBeNull();
    expect(judgeTracking('meta', shopify, broken, day, settings)).toMatchObject({ platform: 'meta', ratio_now: 0.3, ratio_median: 0.9, shopify_orders: 20 });
    // A slow Shopify day (−50%) is not a broken tag even if the platform fell with it.
    const slow = new Map(shopify).set(day, 10);
    expect(judgeTracking('meta', slow, broken, day, settings)).toBeNull();
    const visits = Array.from({ length: 10 }, (_, index) => ({ sourceType: 'paid', utm: index < 7 ? { source: 'facebook', medium: 'paid' } : null }));
    expect(judgeUtmCoverage(visits, day, settings)).toMatchObject({ platform: 'utm', ratio_now: 0.7, shopify_orders: 10, platform_purchases: 7 });
  });

  it('finds GA4 at 30% of Shopify orders yesterday, raises tracking_broken (alert) once, and holds budget increases', async () => {
    const first = await runTrackingHealth(searchJobContext(db, 'tracking-health', 'tracking-1', NOW), settings, NOW);
    expect(first.result.sources).toEqual(['ga4', 'meta', 'google_ads']);
    expect(first.result.findings.map((finding) => [finding.platform, finding.day])).toEqual([['ga4', '2026-11-30']]);
    expect(first.result.findings[0]?.ratio_now).toBeLessThan(0.4);
    expect(first.result.findings[0]?.ratio_median).toBeGreaterThan(0.85);
    expect(first.outcome.outcome).toBe('1 tracking problem, posted');
    const signals = await sql<Array<{ severity: string; payload: { platform: string; shopify_orders: number } }>>`
      select severity, payload from bot_signals where signal_type = 'tracking_broken'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.platform])).toEqual([['alert', 'ga4']]);
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'mktgbot' and text like '%proposes no budget increases%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(/proposes no budget increases while tracking is broken/);
    expect(await budgetIncreasesHeld(db, NOW)).toMatchObject({ held: true, breaks: [{ platform: 'ga4' }] });

    const again = await runTrackingHealth(
      searchJobContext(db, 'tracking-health', 'tracking-2', NOW, { lastFingerprint: first.outcome.fingerprint ?? null }),
      settings,
      NOW,
    );
    expect(again.outcome.outcome).toBe('1 tracking problem, unchanged since the last run (not reposted)');
    expect(again.result.signals).toBe(0);
    expect((await sql`select 1 from bot_signals where signal_type = 'tracking_broken'`).length).toBe(1);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it('finds nothing on a healthy variant, and a healthy run clears an open break so budget proposals resume', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 3 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      // A break raised earlier (as if yesterday's run had found one).
      await searchJobContext(healthyDb, 'tracking-health', 'seed', NOW).signals.emit(
        'tracking_broken',
        { platform: 'ga4', ratio_now: 0.3, ratio_median: 0.93, shopify_orders: 20, platform_purchases: 6 },
        { severity: 'alert' },
      );
      expect((await budgetIncreasesHeld(healthyDb, NOW)).held).toBe(true);
      const run = await runTrackingHealth(searchJobContext(healthyDb, 'tracking-health', 'healthy-1', NOW, { manual: true }), settings, NOW);
      expect(run.result.findings).toEqual([]);
      expect(run.outcome.outcome).toBe('nothing to report');
      expect(run.result.restored).toEqual(['ga4']);
      expect((await budgetIncreasesHeld(healthyDb, NOW)).held).toBe(false);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
  it("holds the platforms to the live store's orders: with Shopify and GA4 live, a Shopify day half as busy is a slow day, not a broken tag", async () => {
    const sample = createConnectors({ db, env: {} });
    const ga4Days = await sample.analytics.dailyPurchases({ from: '2026-11-01', to: '2026-11-30' });
    const google = await startFakeGoogleMarketing({
      seed: {
        ga4: {
          propertyId: '312345678',
          timeZone: 'America/Los_Angeles',
          days: ga4Days.map((entry) => ({ date: entry.day, ecommercePurchases: entry.purchases, purchaseRevenue: entry.revenue })),
        },
      },
    });
    const seed = shopifyObjectsFromSample(readSampleCompanyData(), LOADED_AT);
    // The live store took half of yesterday's orders the sample company shows.
    const yesterday = seed.orders.filter((order) => order.createdAt >= '2026-11-30T08:00:00Z' && order.createdAt < '2026-12-01T08:00:00Z');
    const dropped = new Set(yesterday.filter((_, index) => index % 2 === 0).map((order) => order.id));
    const shopify = await startFakeShopify({ seed: { ...seed, orders: seed.orders.filter((order) => !dropped.has(order.id)) } });
    try {
      const connectors = createConnectors({
        db,
        env: {
          SHOPIFY_STORE_DOMAIN: shopify.storeDomain,
          SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken,
          SHOPIFY_API_BASE: shopify.url,
          GA4_PROPERTY_ID: '312345678',
          GA4_API_BASE: google.url,
          GOOGLE_OAUTH_CLIENT_ID: google.clientId,
          GOOGLE_OAUTH_CLIENT_SECRET: google.clientSecret,
          GOOGLE_OAUTH_REFRESH_TOKEN: google.refreshToken,
          GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl,
        },
      });
      const run = await runTrackingHealth(searchJobContext(db, 'tracking-health', 'tracking-live', NOW, { connectors, manual: true }), settings, NOW);
      expect(dropped.size).toBeGreaterThan(5);
      expect(run.result.findings.map((finding) => finding.platform)).not.toContain('ga4');
      expect(shopify.requests.some((request) => request.fields.includes('orders'))).toBe(true);
    } finally {
      await shopify.close();
      await google.close();
    }
  });
});
