import type { Db } from '@jbot/core';
import { instant, jsonArray, text } from '../sample/row-values.js';
import type { CrawledPage, SiteConnector } from './site-connector.js';

/** The sample store's 120 pages as a crawl would see them (link statuses resolved against the page table). */
export function createSampleSiteConnector(db: Db): SiteConnector {
  return {
    source: 'sample',
    async crawl(options) {
      const rows = await db.rpc('sample_site_pages_list');
      return rows.slice(0, options.maxPages).map((row): CrawledPage => ({
        url: String(row['url']),
        status: Number(row['status']),
        title: text(row['title']),
        metaDescription: text(row['meta_description']),
        h1: text(row['h1']),
        images: jsonArray<{ src: string; alt: string | null }>(row['images']).map((image) => ({ src: String(image.src), alt: image.alt ?? null })),
        links: jsonArray<{ href: string; status: number; redirect_to: string | null }>(row['links']).map((link) => ({
          href: String(link.href),
          status: Number(link.status),
          redirects: link.redirect_to === null ? 0 : 1,
        })),
        jsonLd: row['json_ld'] === null || row['json_ld'] === undefined ? [] : [row['json_ld']],
        canonical: text(row['canonical']),
        productSku: text(row['product_sku']),
        updatedAt: instant(row['updated_at']),
      }));
    },
  };
}
