import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';

describe('contentbot sample company', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('loads the Amazon, search, site and storefront data', async () => {
    const connectors = createConnectors({ db, env: {} });
    const listings = await connectors.marketplace.listListings();
    expect(listings).toHaveLength(30);
    const kc110 = listings.find((listing) => listing.sku === 'KC-110');
    expect(kc110?.statuses).toEqual([]);
    expect(kc110?.issues[0]?.enforcements).toEqual(['LISTING_SUPPRESSED']);
    const offers = await connectors.marketplace.getCompetitiveSummaries(listings.map((listing) => listing.asin));
    expect(offers).toHaveLength(30);
    expect(offers.find((offer) => offer.asin === kc110?.asin)?.featuredOffer).toBeNull();
    const pages = await connectors.site.crawl({ maxPages: 500 });
    expect(pages).toHaveLength(120);
    const rows = await connectors.search.searchAnalytics({ startDate: '2000-01-01', endDate: '2100-01-01' });
    expect(new Set(rows.map((row) => row.page)).size).toBe(60);
    expect(await connectors.search.fieldVitals()).toHaveLength(20);
    expect(await connectors.storefront.listProductContent()).toHaveLength(40);
    const topics = await connectors.marketplace.getReviewTopics(listings.find((listing) => listing.sku === 'DW-101')?.asin ?? '');
    expect(topics.current.find((topic) => topic.topic === 'wax tunnelling')).toMatchObject({ share: 14 });
  });
});
