import { rpcOne, type Db } from '@jbot/core';
import { jsonArray, numberOrNull, stringRecord, text } from '../sample/row-values.js';
import type { AmazonListing, ListingIssue, MarketplaceConnector, ReviewTopic } from './marketplace-connector.js';

/** The sample company's seller id (sample-data/amazon.json). */
export const SAMPLE_SELLER_ID = 'A2HPGOODS0CO1';

// The sample keeps Seller Central's status line ("Active", "Inactive (suppressed: …)"); the API's
// summaries carry BUYABLE / DISCOVERABLE instead, so an active listing is both and any other is neither.
function statusesOf(status: string): string[] {
  return status === 'Active' ? ['BUYABLE', 'DISCOVERABLE'] : [];
}

/**
 * Amazon over the sample company's tables: listings with their issues, the catalog snapshot,
 * hourly competitive summaries (the latest at the time of the call), review topics. A patch goes
 * through a SQL function keyed on its idempotency key, so a retried approval patches once.
 */
export function createSampleMarketplaceConnector(db: Db, options: { now?: () => Date } = {}): MarketplaceConnector {
  const now = options.now ?? (() => new Date());
  return {
    source: 'sample',
    sellerId: SAMPLE_SELLER_ID,
    async listListings() {
      const rows = await db.rpc('sample_amazon_listing_status');
      return rows.map((row): AmazonListing => ({
        sku: String(row['sku']),
        asin: String(row['asin']),
        productType: String(row['product_type']),
        title: String(row['title']),
        statuses: statusesOf(String(row['status'])),
        issues: jsonArray<Record<string, unknown>>(row['issues']).map((issue): ListingIssue => ({
          code: String(issue['code']),
          message: String(issue['message']),
          severity: String(issue['severity']) as ListingIssue['severity'],
          enforcements: jsonArray<string>(issue['enforcements']),
          attributeNames: jsonArray<string>(issue['attributes']),
        })),
        price: numberOrNull(row['price']),
        unitsSold30d: numberOrNull(row['units_30d']),
      }));
    },
    async getCatalogPages(asins) {
      const rows = await db.rpc('sample_amazon_catalog_pages', { p_asins: [...asins] });
      return rows.map((row) => ({
        asin: String(row['asin']),
        title: String(row['title']),
        bullets: jsonArray<string>(row['bullets']),
        brand: String(row['brand']),
        mainImage: text(row['main_image']),
        contributors: stringRecord(row['contributors']),
      }));
    },
    async getCompetitiveSummaries(asins) {
      const rows = await db.rpc('sample_amazon_competitive_summaries', { p_asins: [...asins], p_at: now().toISOString() });
      return rows.map((row) => {
        const sellerId = text(row['featured_seller_id']);
        const price = numberOrNull(row['featured_price']);
        return {
          asin: String(row['asin']),
          featuredOffer: sellerId === null || price === null ? null : { sellerId, price },
          competitivePrice: numberOrNull(row['competitive_price']),
          lowestPrice: numberOrNull(row['lowest_price']),
        };
      });
    },
    async patchListing(input) {
      const row = await rpcOne(db, 'sample_amazon_patch_listing', {
        p_idempotency_key: input.idempotencyKey,
        p_sku: input.sku,
        p_patches: input.patches,
      });
      return { sku: input.sku, submissionId: String(row['submission_id']), status: 'ACCEPTED', applied: row['applied'] === true, issues: [] };
    },
    async getReviewTopics(asin) {
      const rows = await db.rpc('sample_amazon_review_topics', { p_asin: asin });
      const topic = (row: Record<string, unknown>): ReviewTopic => ({
        topic: String(row['topic']),
        sentiment: row['sentiment'] === 'negative' ? 'negative' : 'positive',
        share: Number(row['share']),
        mentions: Number(row['mentions']),
        starImpact: Number(row['star_impact']),
      });
      const priorShare: Record<string, number> = {};
      for (const row of rows) if (row['period'] === 'prior') priorShare[String(row['topic'])] = Number(row['share']);
      return {
        asin,
        current: rows.filter((row) => row['period'] === 'current').map(topic),
        priorShare,
        ratingNow: numberOrNull(rows[0]?.['rating_now']),
        rating30dAgo: numberOrNull(rows[0]?.['rating_30d_ago']),
      };
    },
  };
}
