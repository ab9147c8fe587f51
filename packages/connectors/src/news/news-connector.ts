/** One news or filings item from a feed (untrusted text: titles and snippets are others' words). */
export interface NewsItem {
  url: string;
  title: string;
  snippet: string;
  /** The publisher as the feed names it (RSS <source>, or the feed's title). */
  outlet: string;
  /** The link's host without www. (reuters.com). */
  domain: string;
  /** ISO instant. */
  publishedAt: string;
  /** The feed it came from. */
  feed: string;
}

/** What a read of the feeds gave: the items, and the feeds that failed (the others still count). */
export interface NewsRead {
  items: NewsItem[];
  failures: Array<{ feed: string; error: string }>;
}

/** Press, competitor, retailer and filings feeds (Google News queries, SEC EDGAR, PR wires). */
export interface NewsConnector {
  readonly source: 'sample' | 'rss';
  /** Items published after `since`, newest first. */
  listItems(since: Date): Promise<NewsRead>;
}
