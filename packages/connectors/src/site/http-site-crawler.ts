import { ConnectorError } from '../connector-error.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { CrawledLink, CrawledPage, SiteConnector } from './site-connector.js';

/** Options for crawling our own store over HTTP. */
export interface HttpSiteCrawlerOptions {
  /** The store's origin (STORE_URL), e.g. https://harborandpine.com. Only this origin is crawled. */
  storeUrl: string;
  /** Minimum milliseconds between two requests (SITE_CRAWL_DELAY_MS); robots.txt's Crawl-delay wins when longer. */
  delayMs: number;
  userAgent?: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
  /** The clock the rate limit waits on (tests may pass a fast one; the spacing is still enforced). */
  sleep?: (milliseconds: number) => Promise<void>;
}

/** The crawler's user agent: robots.txt rules for it (or for *) apply. */
export const CRAWLER_USER_AGENT = 'JBOTFleetSiteAudit/1.0 (+own-store audit)';
const MAX_REDIRECTS = 5;

// The slice of robots-parser's Robot used here.
interface RobotsRules {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
  getCrawlDelay(userAgent?: string): number | undefined;
}

interface Fetched {
  status: number;
  redirects: number;
  finalUrl: string;
  body: string | null;
  contentType: string;
}

/**
 * A polite crawler of our own store: reads robots.txt first and obeys it (Disallow, Crawl-delay),
 * starts from sitemap.xml (falling back to the home page), stays on the store's origin, spaces
 * requests at least `delayMs` apart, one at a time, and stops at `maxPages`. Redirects are
 * followed by hand so a chain's hops are counted. Pages are parsed with cheerio.
 */
export function createHttpSiteCrawler(options: HttpSiteCrawlerOptions): SiteConnector {
  const origin = new URL(options.storeUrl).origin;
  const userAgent = options.userAgent ?? CRAWLER_USER_AGENT;
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const sleep = options.sleep ?? ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));

  return {
    source: 'http',
    async crawl(crawlOptions) {
      const cheerio = await import('cheerio');
      // robots-parser is CommonJS: its function is the module itself, whichever way the loader wraps it.
      const robotsModule = (await import('robots-parser')) as unknown as { default?: unknown };
      const robotsParser = (robotsModule.default ?? robotsModule) as (url: string, body: string) => RobotsRules;
      let lastRequestAt = Number.NEGATIVE_INFINITY;
      let delayMs = options.delayMs;
      const get = async (url: string, method: 'GET' | 'HEAD'): Promise<Fetched> => {
        let current = url;
        for (let redirects = 0; ; redirects += 1) {
          const wait = lastRequestAt + delayMs - Date.now();
          if (wait > 0) await sleep(wait);
          lastRequestAt = Date.now();
          const response = await callVendor('store', `${method} ${new URL(current).pathname}`, limits, (signal) =>
            fetch(current, { method, redirect: 'manual', headers: { 'user-agent': userAgent, accept: 'text/html,application/xml;q=0.9,*/*;q=0.5' }, signal }),
          ).catch((error: unknown) => {
            if (error instanceof ConnectorError && error.code !== 'vendor_call_aborted') return null;
            throw error;
          });
          if (response === null) return { status: 0, redirects, finalUrl: current, body: null, contentType: '' };
          const location = response.headers.get('location');
          if (response.status >= 300 && response.status < 400 && location !== null && redirects < MAX_REDIRECTS) {
            await response.body?.cancel();
            current = new URL(location, current).toString();
            continue;
          }
          const contentType = response.headers.get('content-type') ?? '';
          const body = method === 'GET' ? await response.text() : (await response.body?.cancel(), null);
          return { status: response.status, redirects, finalUrl: current, body, contentType };
        }
      };

      const robotsUrl = `${origin}/robots.txt`;
      const robotsAnswer = await get(robotsUrl, 'GET');
      const robots = robotsParser(robotsUrl, robotsAnswer.status === 200 ? (robotsAnswer.body ?? '') : '');
      const crawlDelay = robots.getCrawlDelay(userAgent);
      if (crawlDelay !== undefined) delayMs = Math.max(delayMs, crawlDelay * 1000);
      const allowed = (url: string) => robots.isAllowed(url, userAgent) !== false;

      const queue: string[] = [];
      const seen = new Set<string>();
      const lastModified = new Map<string, string>();
      const enqueue = (url: string) => {
        const normal = new URL(url, origin);
        normal.hash = '';
        if (normal.origin !== origin) return;
        const key = normal.toString();
        if (!seen.has(key) && allowed(key)) {
          seen.add(key);
          queue.push(key);
        }
      };
      const sitemap = await get(`${origin}/sitemap.xml`, 'GET');
      if (sitemap.status === 200 && sitemap.body !== null) {
        const $ = cheerio.load(sitemap.body, { xml: true });
        $('url').each((_, element) => {
          const loc = $(element).find('loc').first().text().trim();
          const modified = $(element).find('lastmod').first().text().trim();
          if (loc === '') return;
          enqueue(loc);
          if (modified !== '') lastModified.set(new URL(loc, origin).toString(), new Date(modified).toISOString());
        });
      }
      enqueue(`${origin}/`);

      const pages: CrawledPage[] = [];
      const linkStatus = new Map<string, Promise<CrawledLink>>();
      const checkLink = (href: string): Promise<CrawledLink> => {
        const known = linkStatus.get(href);
        if (known !== undefined) return known;
        const checked = get(href, 'HEAD').then(async (answer) => {
          // Some servers answer HEAD with 405: ask again with GET before calling the link broken.
          const final = answer.status === 405 ? await get(href, 'GET') : answer;
          return { href: new URL(href).pathname, status: final.status, redirects: final.redirects };
        });
        linkStatus.set(href, checked);
        return checked;
      };

      while (queue.length > 0 && pages.length < crawlOptions.maxPages) {
        const url = queue.shift() ?? '';
        const answer = await get(url, 'GET');
        linkStatus.set(url, Promise.resolve({ href: new URL(url).pathname, status: answer.status, redirects: answer.redirects }));
        if (answer.body === null || !answer.contentType.includes('html')) {
          pages.push(emptyPage(url, answer.status, lastModified.get(url) ?? null));
          continue;
        }
        const $ = cheerio.load(answer.body);
        const internal: string[] = [];
        $('a[href]').each((_, element) => {
          const href = $(element).attr('href') ?? '';
          if (href.startsWith('mailto:') || href.startsWith('tel:') || href.startsWith('#')) return;
          const target = new URL(href, answer.finalUrl);
          target.hash = '';
          if (target.origin !== origin || !allowed(target.toString())) return;
          if (!internal.includes(target.toString())) internal.push(target.toString());
        });
        for (const target of internal) enqueue(target);
        const jsonLd: unknown[] = [];
        $('script[type="application/ld+json"]').each((_, element) => {
          try {
            jsonLd.push(JSON.parse($(element).text()));
          } catch {
            jsonLd.push({ invalid: true });
          }
        });
        const product = jsonLd.find((block) => (block as { '@type'?: unknown })['@type'] === 'Product') as { sku?: unknown } | undefined;
        const links: CrawledLink[] = [];
        // Links not crawled as pages (past maxPages, or not listed) are still checked, one request each.
        for (const target of internal) links.push(await checkLink(target));
        const canonical = $('link[rel="canonical"]').attr('href');
        pages.push({
          url: new URL(url).pathname,
          status: answer.status,
          title: $('title').first().text().trim() || null,
          metaDescription: $('meta[name="description"]').attr('content')?.trim() || null,
          h1: $('h1').first().text().trim() || null,
          images: $('img')
            .toArray()
            .map((element) => ({ src: $(element).attr('src') ?? '', alt: $(element).attr('alt') ?? null })),
          links,
          jsonLd,
          canonical: canonical === undefined ? null : new URL(canonical, origin).pathname,
          productSku: typeof product?.sku === 'string' ? product.sku : null,
          updatedAt: lastModified.get(url) ?? null,
        });
      }
      return pages;
    },
  };
}

function emptyPage(url: string, status: number, updatedAt: string | null): CrawledPage {
  return {
    url: new URL(url).pathname,
    status,
    title: null,
    metaDescription: null,
    h1: null,
    images: [],
    links: [],
    jsonLd: [],
    canonical: null,
    productSku: null,
    updatedAt,
  };
}
