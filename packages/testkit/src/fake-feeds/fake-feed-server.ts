import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One feed the fake serves: its document, or a failure status. */
export interface FakeFeed {
  /** RSS 2.0 or Atom XML. */
  body?: string;
  contentType?: string;
  /** Answer with this status instead (a feed that is down). */
  status?: number;
}

/** The running fake: feeds by path, and what was asked. */
export interface FakeFeedServer {
  url: string;
  /** The full URL of a path (put it in NEWS_FEED_URLS). */
  feedUrl(path: string): string;
  requests: Array<{ path: string; userAgent: string | undefined }>;
  /** Replace or add a feed. */
  setFeed(path: string, feed: FakeFeed): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server for news and filings feeds (Google News RSS queries, SEC EDGAR Atom, PR wires):
 * GET <path> answers the feed's XML with its content type, or the status set for it; an unknown
 * path is a 404. EDGAR's rule is enforced: a request without a User-Agent is refused (403).
 */
export async function startFakeFeedServer(feeds: Record<string, FakeFeed> = {}): Promise<FakeFeedServer> {
  const table = new Map(Object.entries(feeds));
  const requests: FakeFeedServer['requests'] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake-feeds');
    const path = `${url.pathname}${url.search}`;
    requests.push({ path, userAgent: request.headers['user-agent'] });
    const feed = table.get(path) ?? table.get(url.pathname);
    if (request.headers['user-agent'] === undefined || request.headers['user-agent'] === '') {
      response.writeHead(403, { 'content-type': 'text/html' });
      response.end(
        '<html><body>Your request has been identified as part of a network of automated tools. Declare your traffic with a User-Agent.</body></html>',
      );
      return;
    }
    if (feed === undefined) {
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<html><body>Not Found</body></html>');
      return;
    }
    if (feed.status !== undefined && feed.status !== 200) {
      response.writeHead(feed.status, { 'content-type': 'text/html' });
      response.end(`<html><body>${feed.status}</body></html>`);
      return;
    }
    response.writeHead(200, { 'content-type': feed.contentType ?? 'application/rss+xml; charset=UTF-8' });
    response.end(feed.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    feedUrl: (path) => `${url}${path}`,
    requests,
    setFeed: (path, feed) => table.set(path, feed),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
