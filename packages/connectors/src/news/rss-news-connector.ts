import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { NewsConnector, NewsItem } from './news-connector.js';
import { parseFeedXml } from './parse-feed.js';

/** The feeds to read and how. */
export interface RssNewsOptions {
  feeds: readonly string[];
  /** SEC EDGAR refuses requests without a descriptive User-Agent with a contact address. */
  userAgent: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

/**
 * News and filings from RSS/Atom feeds (NEWS_FEED_URLS): each fetched under the vendor timeout and
 * the run's abort signal, parsed with rss-parser. A feed that fails is reported, the rest still read.
 */
export function createRssNewsConnector(options: RssNewsOptions): NewsConnector {
  return {
    source: 'rss',
    async listItems(since) {
      const items: NewsItem[] = [];
      const failures: Array<{ feed: string; error: string }> = [];
      for (const feed of options.feeds) {
        try {
          const xml = await callVendor(
            'RSS',
            `fetch ${new URL(feed).host}`,
            { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) },
            async (signal) => {
              const response = await fetch(feed, {
                signal,
                headers: { 'user-agent': options.userAgent, accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5' },
              });
              if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
              return response.text();
            },
          );
          items.push(...(await parseFeedXml(xml, feed)));
        } catch (error) {
          failures.push({ feed, error: error instanceof Error ? error.message : String(error) });
        }
      }
      return {
        items: items.filter((item) => Date.parse(item.publishedAt) > since.getTime()).sort((left, right) => right.publishedAt.localeCompare(left.publishedAt)),
        failures,
      };
    },
  };
}
