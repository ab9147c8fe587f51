/** One internal link as the crawl found it. */
export interface CrawledLink {
  href: string;
  /** The final HTTP status after following redirects (0 when the request failed). */
  status: number;
  /** Redirect hops before the final answer. */
  redirects: number;
}

/** One page of our store as the crawler saw it. */
export interface CrawledPage {
  /** The path (`/products/dw-101`), relative to the store. */
  url: string;
  status: number;
  title: string | null;
  metaDescription: string | null;
  h1: string | null;
  images: Array<{ src: string; alt: string | null }>;
  links: CrawledLink[];
  /** Parsed JSON-LD blocks. */
  jsonLd: unknown[];
  canonical: string | null;
  /** The product the page sells, when the store says (JSON-LD sku). */
  productSku: string | null;
  /** When the page last changed, when the source knows (sitemap lastmod); null otherwise. */
  updatedAt: string | null;
}

/** The crawl's limits. */
export interface CrawlOptions {
  maxPages: number;
}

/** A crawl of our own store (never anyone else's). */
export interface SiteConnector {
  readonly source: 'sample' | 'http';
  crawl(options: CrawlOptions): Promise<CrawledPage[]>;
}
