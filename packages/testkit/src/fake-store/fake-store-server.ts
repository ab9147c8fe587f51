import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake store answers one path: a status, or a redirect to another path. */
export type FakeStoreRoute = { status: number } | { redirect: string; status?: 301 | 302 };

/** A local HTTP server standing in for our Shopify storefront (product pages, removed-product redirects, 404s). */
export interface FakeStore {
  url: string;
  requests: Array<{ method: string; path: string }>;
  routes: Map<string, FakeStoreRoute>;
  close(): Promise<void>;
}

/** Start the fake store: unknown paths answer 404, as Shopify does for an unknown handle. */
export async function startFakeStore(routes: Record<string, FakeStoreRoute> = {}): Promise<FakeStore> {
  const table = new Map(Object.entries(routes));
  const requests: FakeStore['requests'] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({ method: request.method ?? 'GET', path: url.pathname });
    const route = table.get(url.pathname) ?? (url.pathname === '/' ? { status: 200 } : { status: 404 });
    if ('redirect' in route) {
      response.writeHead(route.status ?? 301, { location: route.redirect });
      response.end();
      return;
    }
    response.writeHead(route.status, { 'content-type': 'text/html' });
    response.end(route.status === 200 ? '<html><body>ok</body></html>' : '<html><body>Not found</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    routes: table,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
