import type { Db } from '@jbot/core';
import { jsonArray, numberOrNull, text } from '../sample/row-values.js';
import type { FeedItem, ProductFeedsConnector } from './product-feeds-connector.js';

/** The three sample feeds (Google, Meta, Pinterest), 40 SKUs each. */
export function createSampleProductFeedsConnector(db: Db): ProductFeedsConnector {
  return {
    source: 'sample',
    async listItems() {
      const rows = await db.rpc('sample_feed_items_list');
      return rows.map((row): FeedItem => ({
        feed: String(row['feed']) as FeedItem['feed'],
        sku: String(row['sku']),
        title: String(row['title']),
        gtin: text(row['gtin']),
        price: numberOrNull(row['price']) ?? 0,
        availability: String(row['availability']) as FeedItem['availability'],
        status: String(row['status']) as FeedItem['status'],
        issues: jsonArray<{ code: string; detail: string }>(row['issues']),
        adSpend7d: numberOrNull(row['ad_spend_7d']),
      }));
    },
  };
}
