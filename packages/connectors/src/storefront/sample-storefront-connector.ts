import { rpcOne, type Db } from '@jbot/core';
import { instant, stringRecord, text } from '../sample/row-values.js';
import type { StorefrontConnector } from './storefront-connector.js';

/** The store's product copy, SEO fields and reviews over the sample company's tables; writes keyed once per idempotency key. */
export function createSampleStorefrontConnector(db: Db): StorefrontConnector {
  return {
    source: 'sample',
    async listProductContent() {
      const rows = await db.rpc('sample_product_content_list');
      return rows.map((row) => ({
        sku: String(row['sku']),
        handle: String(row['handle']),
        title: String(row['title']),
        brand: String(row['brand']),
        descriptionHtml: String(row['description_html']),
        seoTitle: text(row['seo_title']),
        seoDescription: text(row['seo_description']),
        metafields: stringRecord(row['metafields']),
        size: text(row['size']),
        price: Number(row['price']),
        updatedAt: instant(row['updated_at']) ?? '',
      }));
    },
    async listReviews(since) {
      const rows = await db.rpc('sample_store_reviews', { p_since: since.toISOString() });
      return rows.map((row) => ({
        id: String(row['review_id']),
        sku: String(row['sku']),
        rating: Number(row['rating']),
        title: String(row['title']),
        body: String(row['body']),
        createdAt: instant(row['created_at']) ?? '',
      }));
    },
    async updatePageSeo(input) {
      const row = await rpcOne(db, 'sample_update_page_seo', {
        p_idempotency_key: input.idempotencyKey,
        p_url: input.url,
        p_title: input.title ?? null,
        p_description: input.description ?? null,
        p_image_alts: input.imageAlts ?? {},
      });
      return { applied: row['applied'] === true };
    },
    async publishProductCopy(input) {
      const row = await rpcOne(db, 'sample_publish_product_copy', {
        p_idempotency_key: input.idempotencyKey,
        p_sku: input.sku,
        p_description_html: input.descriptionHtml,
        p_metafields: input.metafields ?? {},
      });
      return { applied: row['applied'] === true };
    },
  };
}
