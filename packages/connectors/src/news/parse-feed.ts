import type { NewsItem } from './news-connector.js';

type ParserClass = typeof import('rss-parser');
type Parser = InstanceType<ParserClass>;
let parser: Promise<Parser> | undefined;

// rss-parser loads on first use; RSS 2.0 and Atom both (EDGAR's company feeds are Atom).
function feedParser(): Promise<Parser> {
  return (parser ??= import('rss-parser').then((module) => {
    // A CommonJS module (`export =`): the class is the ESM default export at run time.
    const RssParser = (module as unknown as { default?: ParserClass }).default ?? (module as unknown as ParserClass);
    return new RssParser({ customFields: { item: [['source', 'source']] } });
  }));
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** Parse a feed document into items; entries without a link or a date are skipped. */
export async function parseFeedXml(xml: string, feedUrl: string): Promise<NewsItem[]> {
  const feed = await (await feedParser()).parseString(xml);
  const items: NewsItem[] = [];
  for (const entry of feed.items) {
    const url = entry.link ?? (typeof entry.guid === 'string' && /^https?:/.test(entry.guid) ? entry.guid : undefined);
    const published = entry.isoDate ?? (entry.pubDate === undefined ? undefined : new Date(entry.pubDate).toISOString());
    if (url === undefined || published === undefined || Number.isNaN(Date.parse(published))) continue;
    const source = (entry as { source?: unknown }).source;
    const outlet =
      typeof source === 'string'
        ? source
        : typeof source === 'object' && source !== null && '_' in source
          ? String((source as { _: unknown })._)
          : (feed.title ?? hostOf(url));
    items.push({
      url,
      title: (entry.title ?? '').trim(),
      snippet: (entry.contentSnippet ?? entry.summary ?? '').trim().slice(0, 500),
      outlet: outlet.trim(),
      domain: hostOf(url),
      publishedAt: new Date(published).toISOString(),
      feed: feedUrl,
    });
  }
  return items;
}
