import type { Db } from '@jbot/core';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';

/** What one URL answered: the final status after redirects and where it ended up. */
export interface LandingCheck {
  url: string;
  status: number;
  /** The final URL's path (after redirects). */
  finalPath: string;
  redirects: number;
}

/** Checks where ads land, on our own store only. */
export interface LandingPageConnector {
  readonly source: 'sample' | 'http';
  check(urls: readonly string[]): Promise<LandingCheck[]>;
}

/** The sample store: product handles it has answer 200, unknown ones 404 (sample_product_content). */
export function createSampleLandingPages(db: Db): LandingPageConnector {
  return {
    source: 'sample',
    async check(urls) {
      const paths = urls.map((url) => new URL(url).pathname);
      const rows = await db.rpc('sample_store_page_status', { p_paths: [...new Set(paths)] });
      const status = new Map(rows.map((row) => [String(row['path']), Number(row['status'])]));
      return urls.map((url, index) => ({ url, status: status.get(paths[index] ?? '') ?? 404, finalPath: paths[index] ?? '/', redirects: 0 }));
    },
  };
}

/**
 * Our store over HTTP (STORE_URL): GET each URL, following up to five redirects by hand so the
 * final path is known (a product removed from Shopify redirects to the home page or a
 * collection). URLs on other hosts are answered with status 0 and never fetched.
 */
export function createHttpLandingPages(options: { storeUrl: string; timeoutMs?: number; abortSignal?: AbortSignal }): LandingPageConnector {
  const storeHost = new URL(options.storeUrl).host.replace(/^www\./, '');
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const ours = (url: URL) => url.host.replace(/^www\./, '') === storeHost;
  return {
    source: 'http',
    async check(urls) {
      const results: LandingCheck[] = [];
      for (const url of urls) {
        let current = new URL(url);
        if (!ours(current)) {
          results.push({ url, status: 0, finalPath: current.pathname, redirects: 0 });
          continue;
        }
        let redirects = 0;
        let status = 0;
        for (;;) {
          const target = current;
          const response = await callVendor('Store', 'landing page', limits, (signal) =>
            fetch(target, { redirect: 'manual', signal, headers: { 'user-agent': 'jbot-fleet ad-destination-check' } }),
          );
          status = response.status;
          await response.body?.cancel();
          const location = response.headers.get('location');
          if (status < 300 || status >= 400 || location === null || redirects >= 5) break;
          current = new URL(location, current);
          redirects += 1;
          if (!ours(current)) break;
        }
        results.push({ url, status, finalPath: current.pathname, redirects });
      }
      return results;
    },
  };
}
