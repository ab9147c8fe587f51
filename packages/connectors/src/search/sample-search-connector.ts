import type { Db } from '@jbot/core';
import { day, numberOrNull } from '../sample/row-values.js';
import type { SearchConnector } from './search-connector.js';

/** Search Console and PageSpeed over the sample company's tables (56 days of queries, 28 of field vitals). */
export function createSampleSearchConnector(db: Db): SearchConnector {
  return {
    source: 'sample',
    async lastCompleteDay() {
      const [row] = await db.rpc('sample_gsc_last_day');
      const value = row?.['sample_gsc_last_day'];
      return value === null || value === undefined ? null : day(value);
    },
    async searchAnalytics(range) {
      const rows = await db.rpc('sample_gsc_query', { p_start: range.startDate, p_end: range.endDate });
      return rows.map((row) => ({
        page: String(row['page']),
        query: String(row['query']),
        clicks: Number(row['clicks']),
        impressions: Number(row['impressions']),
        ctr: Number(row['ctr'] ?? 0),
        position: Number(row['avg_position'] ?? 0),
      }));
    },
    async inspectUrls(urls) {
      const rows = await db.rpc('sample_url_inspection', { p_urls: [...urls] });
      return rows.map((row) => ({
        url: String(row['url']),
        indexed: row['indexed'] === true,
        googleCanonical: row['google_canonical'] === null ? null : String(row['google_canonical']),
      }));
    },
    async fieldVitals() {
      const rows = await db.rpc('sample_cwv_current');
      return rows.map((row) => ({
        url: String(row['url']),
        template: String(row['template']),
        lcpMs: numberOrNull(row['lcp_ms']),
        inpMs: numberOrNull(row['inp_ms']),
        cls: numberOrNull(row['cls']),
      }));
    },
  };
}
