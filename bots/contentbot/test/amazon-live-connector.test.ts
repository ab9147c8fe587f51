import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { ConnectorError, createConnectors, loadSampleCompany, type Connectors } from '@jbot/connectors';
import { freshDatabase, startFakeHubSpot, startFakeSpApi, type FakeHubSpot, type FakeSpApi, type FakeSpApiSeed, type TestDatabase } from '@jbot/testkit';
import { amazonListingDrift, amazonListingHealth, amazonOfferWatch, reviewInsights } from '../src/index.js';
import { runContentJob } from './job-harness.js';

// The fake SP-API holds the sample company's Amazon account, read through the sample adapter:
// the live adapter over the wire must find exactly what the sample adapter finds.
async function seedFromSample(connectors: Connectors): Promise<FakeSpApiSeed> {
  const { marketplace } = connectors;
  const listings = await marketplace.listListings();
  const asins = listings.map((listing) => listing.asin);
  const [catalog, offers] = await Promise.all([marketplace.getCatalogPages(asins), marketplace.getCompetitiveSummaries(asins)]);
  const reviews = await Promise.all(asins.map((asin) => marketplace.getReviewTopics(asin)));
  return {
    sellerId: marketplace.sellerId,
    listings: listings.map((listing) => ({
      sku: listing.sku,
      asin: listing.asin,
      productType: listing.productType,
      itemName: listing.title,
      status: listing.statuses,
      issues: listing.issues.map((issue) => ({
        code: issue.code,
        message: issue.message,
        severity: issue.severity,
        attributeNames: issue.attributeNames,
        enforcements: issue.enforcements,
      })),
      price: listing.price,
    })),
    catalog: catalog.map((page) => ({ asin: page.asin, itemName: page.title, brand: page.brand, bullets: page.bullets, mainImage: page.mainImage })),
    offers: offers.map((offer) => ({
      asin: offer.asin,
      featured: offer.featuredOffer,
      competitivePrice: offer.competitivePrice,
      lowestPrice: offer.lowestPrice,
    })),
    reviews: reviews.map((item) => ({
      asin: item.asin,
      topics: item.current.map((topic) => ({ ...topic, priorShare: item.priorShare[topic.topic] ?? null })),
    })),
  };
}

describe('Amazon SP-API live connector at the fake SP-API (LWA included)', () => {
  let database: TestDatabase;
  let db: Db;
  let fake: FakeSpApi;
  let hubspot: FakeHubSpot;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    await loadSampleCompany(db);
    fake = await startFakeSpApi({ seed: await seedFromSample(createConnectors({ db, env: {} })), pageSize: 7 });
    hubspot = await startFakeHubSpot({
      seed: {
        objects: {
          companies: [
            { id: '90412014', properties: { name: 'Copper Kettle Provisions', amazon_seller_id: 'A3CPRKTL0PROV' } },
            { id: '90412000', properties: { name: 'Whole Harvest Market' } },
          ],
        },
      },
    });
    env = {
      AMAZON_SP_API_CLIENT_ID: fake.clientId,
      AMAZON_SP_API_CLIENT_SECRET: fake.clientSecret,
      AMAZON_SP_API_REFRESH_TOKEN: fake.refreshToken,
      AMAZON_SP_API_SELLER_ID: 'A2HPGOODS0CO1',
      AMAZON_SP_API_BASE: fake.url,
      AMAZON_LWA_TOKEN_URL: fake.tokenUrl,
      AMAZON_SP_API_RATE_LIMITER: 'false',
    };
  });
  afterAll(async () => {
    await fake?.close();
    await hubspot?.close();
    await db?.close();
    await database?.drop();
  });

  it('reads listings across pages, catalog pages, competitive summaries and review topics in the wire format', async () => {
    const live = createConnectors({ db, env });
    const sample = createConnectors({ db, env: {} });
    expect(live.marketplace.source).toBe('amazon');
    const listings = await live.marketplace.listListings();
    expect(listings.map((listing) => ({ ...listing, unitsSold30d: null }))).toEqual(
      (await sample.marketplace.listListings()).map((listing) => ({ ...listing, unitsSold30d: null })),
    );
    // 30 listings, 7 a page: five pages, one token.
    expect(fake.requests.filter((request) => request.path.startsWith('/listings/')).length).toBe(5);
    expect(fake.tokensIssued()).toBe(1);
    const asins = listings.map((listing) => listing.asin);
    const summaries = await live.marketplace.getCompetitiveSummaries(asins);
    const byAsin = (left: { asin: string }, right: { asin: string }) => left.asin.localeCompare(right.asin);
    expect(summaries.sort(byAsin)).toEqual((await sample.marketplace.getCompetitiveSummaries(asins)).sort(byAsin));
    // 30 ASINs: two batches (≤ 20 each).
    expect(
      fake.requests
        .filter((request) => request.path.includes('competitiveSummary'))
        .map((request) => (request.body as { requests: unknown[] }).requests.length),
    ).toEqual([20, 10]);
    const dw101 = listings.find((listing) => listing.sku === 'DW-101')?.asin ?? '';
    const topics = await live.marketplace.getReviewTopics(dw101);
    expect(topics.current.find((topic) => topic.topic === 'wax tunnelling')).toMatchObject({ share: 14, sentiment: 'negative' });
    expect(topics.priorShare['wax tunnelling']).toBe(4);
  });

  it('the Amazon jobs find the same planted cases live, the MAP case through HubSpot companies', async () => {
    const live = createConnectors({ db, env: { ...env, HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    const health = await runContentJob(db, amazonListingHealth, { runId: 'live-health', connectors: live });
    expect(health.detail?.['problems']).toEqual(['KC-110 18027', 'KC-110 not_buyable_discoverable', 'SM-105 90220', 'TH-103 title_policy']);
    const offers = await runContentJob(db, amazonOfferWatch, { runId: 'live-offers', connectors: live });
    expect(offers.outcome).toBe('2 Buy Box problems, posted');
    const raw = postgres(database.url, { max: 1, onnotice: () => {} });
    const lost = await raw<
      Array<{ payload: Record<string, unknown> }>
    >`select payload from bot_signals where signal_type = 'buy_box_lost' and payload->>'sku' = 'KC-103'`;
    expect(lost[0]?.payload).toMatchObject({ wholesale_account_id: '90412014', wholesale_account: 'Copper Kettle Provisions', below_map: true });
    await raw.end();
    const drift = await runContentJob(db, amazonListingDrift, { runId: 'live-drift', connectors: live });
    // The Catalog Items API does not say who contributed a value: the same drifts, without "(by amazon)".
    expect(drift.outcome).toBe('2 drifted fields, posted; 2 reverts asked');
    const reviews = await runContentJob(db, reviewInsights, { runId: 'live-reviews', connectors: live });
    expect(reviews.detail?.['shifts']).toEqual([{ sku: 'DW-101', kind: 'topic_rising', topic: 'wax tunnelling' }]);
  });

  it('patches a listing once per key, across a retry after a throttled first attempt', async () => {
    const live = createConnectors({ db, env });
    const input = {
      sku: 'KC-110',
      productType: 'GROCERY',
      patches: [
        {
          op: 'replace' as const,
          path: '/attributes/main_product_image_locator',
          value: [{ media_location: 'https://example.com/kc110.jpg', marketplace_id: 'ATVPDKIKX0DER' }],
        },
      ],
      idempotencyKey: 'approval:live-patch:patch:KC-110',
    };
    fake.failNext({ method: 'PATCH', path: /\/listings\/2021-08-01\/items\//, status: 429 });
    const throttled = await live.marketplace.patchListing(input).catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(ConnectorError);
    expect(String((throttled as Error).message)).toContain('HTTP 429');
    expect((throttled as { retryAfterMs?: number }).retryAfterMs).toBe(5000);
    const first = await live.marketplace.patchListing(input);
    expect(first).toMatchObject({ applied: true, status: 'ACCEPTED' });
    const again = await live.marketplace.patchListing(input);
    expect(again.applied).toBe(false);
    expect(fake.patches.filter((patch) => patch.sku === 'KC-110')).toHaveLength(1);
    expect((await live.marketplace.listListings()).find((listing) => listing.sku === 'KC-110')?.statuses).toEqual(['BUYABLE', 'DISCOVERABLE']);
  });

  it('a wrong LWA secret is a clear error that names the variables and never the secret', async () => {
    const wrong = createConnectors({ db, env: { ...env, AMAZON_SP_API_CLIENT_SECRET: 'not-the-secret-xyz' } });
    const failure = await wrong.marketplace.listListings().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectorError);
    const message = String((failure as Error).message);
    expect(message).toContain('AMAZON_SP_API_CLIENT_SECRET');
    expect(message).toContain('invalid_client');
    expect(message).not.toContain('not-the-secret-xyz');
    expect(JSON.stringify(fake.requests)).not.toContain('not-the-secret-xyz');
  });

  it('a half-configured SP-API account stops start-up naming the missing variables', () => {
    expect(() => createConnectors({ db, env: { AMAZON_SP_API_CLIENT_ID: 'x', AMAZON_SP_API_CLIENT_SECRET: 'y' } })).toThrow(/AMAZON_SP_API_REFRESH_TOKEN/);
  });
});
