import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One EasyPost Tracker, in the API's shape (docs.easypost.com "Tracker"). */
export interface FakeEasyPostTracker {
  id: string;
  object: 'Tracker';
  tracking_code: string;
  carrier: string;
  status: string;
  updated_at: string;
  created_at: string;
  tracking_details: Array<{ object: 'TrackingDetail'; status: string; message: string; datetime: string }>;
}

/** A local HTTP server speaking EasyPost's `GET /v2/trackers` (list, filtered by tracking_code and carrier). */
export interface FakeEasyPostSeeding {
  /** Point EASYPOST_API_BASE here. */
  url: string;
  apiKey: string;
  requests: Array<{ path: string; query: Record<string, string> }>;
  /** Answer the next N requests with this status (429 / 5xx for retries). */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

/** Start the fake with its trackers. */
export async function startFakeEasyPostSeeding(options: { trackers: FakeEasyPostTracker[]; apiKey?: string; port?: number }): Promise<FakeEasyPostSeeding> {
  const apiKey = options.apiKey ?? 'EZTKfake0000';
  const requests: FakeEasyPostSeeding['requests'] = [];
  const failures: number[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams.entries());
    requests.push({ path: url.pathname, query });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const expected = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
    if (request.headers.authorization !== expected)
      return send(401, { error: { code: 'APIKEY.INACTIVE', message: 'This api key is no longer active.', errors: [] } });
    const failure = failures.shift();
    if (failure !== undefined)
      return send(
        failure,
        { error: { code: failure === 429 ? 'RATE_LIMITED' : 'INTERNAL_SERVER_ERROR', message: 'try again', errors: [] } },
        failure === 429 ? { 'retry-after': '0' } : {},
      );
    if (request.method !== 'GET' || url.pathname !== '/v2/trackers')
      return send(404, { error: { code: 'NOT_FOUND', message: 'The requested resource could not be found.', errors: [] } });
    const found = options.trackers.filter(
      (tracker) =>
        (query['tracking_code'] === undefined || tracker.tracking_code === query['tracking_code']) &&
        (query['carrier'] === undefined || tracker.carrier === query['carrier']),
    );
    return send(200, { trackers: found.slice(0, Number(query['page_size'] ?? 20)), has_more: false });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    failNext(status, count = 1) {
      for (let index = 0; index < count; index += 1) failures.push(status);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
}
