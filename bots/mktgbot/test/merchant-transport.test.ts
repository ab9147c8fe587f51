import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeGoogleMarketing, type FakeGoogleMarketing, type TestDatabase } from '@jbot/testkit';
import { judgeFeeds, productFeedSettings } from '../src/index.js';

const LOADED_AT = new Date('2026-12-01T13:00:00Z');

describe('Google Merchant live adapter at the transport (@google-shopping/products, REST fallback)', () => {
  let database: TestDatabase;
  let db: Db;
  let google: FakeGoogleMarketing;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 3 });
    await loadSampleCompany(db, { now: LOADED_AT });
    // The Merchant Center account holds the sample company's Google feed.
    const items = (await createConnectors({ db, env: {} }).feeds.listItems()).filter((item) => item.feed === 'google');
    google = await startFakeGoogleMarketing({
      seed: {
        merchant: {
          merchantId: '5550001234',
          products: items.map((item) => ({
            offerId: item.sku,
            title: item.title,
            ...(item.gtin === null ? {} : { gtin: item.gtin }),
            price: item.price,
            availability: item.availability === 'in_stock' ? 'in stock' : 'out of stock',
            status: item.status,
            itemLevelIssues: item.issues.map((issue) => ({
              code: 'item_missing_required_attribute',
              description: issue.detail,
              servability: 'disapproved' as const,
              attribute: 'gtin',
            })),
          })),
        },
      },
    });
    env = {
      GOOGLE_MERCHANT_ID: '5550001234',
      GOOGLE_MERCHANT_API_BASE: google.url,
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

  it('lists every product with its status across pages, and the job finds the same missing GTINs', async () => {
    const feeds = createConnectors({ db, env }).feeds;
    expect(feeds.source).toBe('merchant');
    const items = await feeds.listItems();
    expect(items).toHaveLength(40);
    expect(items.find((item) => item.sku === 'KC-104')).toMatchObject({
      status: 'disapproved',
      gtin: null,
      issues: [{ code: 'missing_gtin' }],
      availability: 'in_stock',
    });
    expect(items.find((item) => item.sku === 'KC-101')).toMatchObject({ status: 'approved', price: 9.5, adSpend7d: null });
    const commerce = createConnectors({ db, env: {} }).commerce;
    const prices = new Map((await commerce.listPrices()).map((price) => [price.sku, price.price]));
    const onHand = new Map<string, number>();
    for (const level of await commerce.listInventory()) onHand.set(level.sku, (onHand.get(level.sku) ?? 0) + level.onHand);
    const [verdict] = judgeFeeds(items, { prices, onHand }, productFeedSettings.load({}));
    expect(verdict?.problems.map((problem) => `${problem.sku}:${problem.issue}`)).toEqual([
      'KC-104:missing_gtin',
      'SM-107:missing_gtin',
      'TH-106:missing_gtin',
    ]);
    expect(verdict?.raise).toBe(true);
    const calls = google.requests.filter((request) => request.path === '/products/v1/accounts/5550001234/products');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(String(calls[0]?.headers['authorization'])).toMatch(/^Bearer ya29\./);
  });
});
