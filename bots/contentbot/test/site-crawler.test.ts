import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, createHttpSiteCrawler, CRAWLER_USER_AGENT, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { findSiteDefects, siteCrawlAudit, siteCrawlAuditSettings } from '../src/index.js';
import { runContentJob } from './job-harness.js';

// A small store: robots.txt (a disallowed /cart, a crawl delay), a sitemap, product pages with a
// planted broken link, a missing meta description, an image without alt, a two-hop redirect.
const page = (title: string | null, description: string | null, body: string) =>
  `<!doctype html><html><head>${title === null ? '' : `<title>${title}</title>`}${description === null ? '' : `<meta name="description" content="${description}">`}<link rel="canonical" href="/x"></head><body>${body}</body></html>`;
const product = (sku: string, price: boolean) =>
  `<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'Product', sku, name: sku, offers: { '@type': 'Offer', ...(price ? { price: '30.24' } : {}), availability: 'https://schema.org/InStock' } })}</script>`;
const PAGES: Record<string, string> = {
  '/': page(
    'Harbor & Pine | Small-Batch Goods',
    'Granola, skincare, candles and coffee from Portland.',
    '<h1>Home</h1><a href="/products/dw-101">Candle</a><a href="/products/kc-101">Granola</a><a href="/cart">Cart</a><a href="https://elsewhere.example/">Other site</a>',
  ),
  '/products/dw-101': page(
    'Cedar Candle | Harbor & Pine',
    null,
    `<h1>Cedar Candle</h1><img src="/cdn/dw-101.jpg"><a href="/products/gone">Old</a><a href="/old-path">Moved</a>${product('DW-101', true)}`,
  ),
  '/products/kc-101': page(
    'Maple Granola | Harbor & Pine',
    'Maple pecan granola, small batch.',
    `<h1>Maple Granola</h1><img src="/cdn/kc-101.jpg" alt="Maple granola bag"><a href="/">Home</a>${product('KC-101', false)}`,
  ),
  '/new-path': page('New Path | Harbor & Pine', 'Where the old path went.', '<h1>New</h1>'),
};

describe('the polite crawler of our own store', () => {
  let server: http.Server;
  let storeUrl: string;
  let database: TestDatabase;
  let db: Db;
  const log: Array<{ path: string; method: string; agent: string; active: number }> = [];
  let active = 0;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      active += 1;
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      log.push({ path, method: request.method ?? 'GET', agent: String(request.headers['user-agent']), active });
      const done = (status: number, body: string, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
        response.end(request.method === 'HEAD' ? undefined : body);
        active -= 1;
      };
      if (path === '/robots.txt') return done(200, 'User-agent: *\nDisallow: /cart\nCrawl-delay: 0.05\n', { 'content-type': 'text/plain' });
      if (path === '/sitemap.xml')
        return done(
          200,
          `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${storeUrl}/products/dw-101</loc><lastmod>2026-11-30</lastmod></url><url><loc>${storeUrl}/cart</loc></url></urlset>`,
          { 'content-type': 'application/xml' },
        );
      if (path === '/old-path') return done(301, '', { location: '/older-path' });
      if (path === '/older-path') return done(301, '', { location: '/new-path' });
      const html = PAGES[path];
      return html === undefined ? done(404, page('Not found', null, '<h1>404</h1>')) : done(200, html);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    storeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db?.close();
    await database?.drop();
  });

  it('obeys robots.txt, stays on our origin, asks one page at a time and spaces requests by the crawl delay', async () => {
    log.length = 0;
    const waits: number[] = [];
    const crawler = createHttpSiteCrawler({
      storeUrl,
      delayMs: 10,
      // The spacing the crawler asks for is recorded; it still waits (briefly) so order is real.
      sleep: async (milliseconds) => {
        waits.push(milliseconds);
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
    });
    const pages = await crawler.crawl({ maxPages: 50 });
    // Internal links are crawled too (the redirect under its linked path, the missing page as its 404).
    expect(pages.map((crawled) => [crawled.url, crawled.status]).sort()).toEqual([
      ['/', 200],
      ['/old-path', 200],
      ['/products/dw-101', 200],
      ['/products/gone', 404],
      ['/products/kc-101', 200],
    ]);
    expect(log.some((entry) => entry.path === '/cart')).toBe(false);
    expect(log.every((entry) => entry.agent === CRAWLER_USER_AGENT)).toBe(true);
    expect(Math.max(...log.map((entry) => entry.active))).toBe(1);
    // robots.txt's Crawl-delay (50 ms) is longer than the configured 10 ms: every wait is for it.
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((wait) => wait <= 50)).toBe(true);
    expect(waits.some((wait) => wait > 10)).toBe(true);
    const candle = pages.find((crawled) => crawled.url === '/products/dw-101');
    expect(candle).toMatchObject({ metaDescription: null, productSku: 'DW-101', updatedAt: '2026-11-30T00:00:00.000Z' });
    expect(candle?.links).toEqual([
      { href: '/products/gone', status: 404, redirects: 0 },
      { href: '/old-path', status: 200, redirects: 2 },
    ]);
  });

  it('site-crawl-audit over the store finds the planted defects', async () => {
    const connectors = createConnectors({ db, env: { STORE_URL: storeUrl, SITE_CRAWL_DELAY_MS: '0' } });
    expect(connectors.site.source).toBe('http');
    const pages = await connectors.site.crawl({ maxPages: 50 });
    const defects = findSiteDefects(pages, [], siteCrawlAuditSettings.load({}));
    expect(defects.map((defect) => [defect.url, defect.kind])).toEqual([
      ['/products/dw-101', 'broken_link'],
      ['/products/dw-101', 'description_missing'],
      ['/products/dw-101', 'image_alt_missing'],
      ['/products/kc-101', 'product_schema_incomplete'],
      ['/products/dw-101', 'redirect_chain'],
    ]);
    const outcome = await runContentJob(db, siteCrawlAudit, { runId: 'store-crawl', connectors, env: { SITE_INSPECT_MAX_URLS: '0' } });
    expect(outcome.outcome).toBe('5 site defects, posted; update_product_seo open');
  });
});
