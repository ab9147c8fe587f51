import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded cost line: a day (UTC, YYYY-MM-DD), a model, a token type and dollars. */
export interface FakeCostLine {
  day: string;
  model: string;
  tokenType?: string;
  usd: number;
}

/** A local server speaking Anthropic's Admin API cost report (GET /v1/organizations/cost_report). */
export interface FakeAnthropicAdmin {
  /** Point ANTHROPIC_ADMIN_BASE_URL here. */
  url: string;
  adminApiKey: string;
  /** Every request received (path with query), in order. */
  requests: Array<{ path: string; apiKey: string | null; version: string | null }>;
  close(): Promise<void>;
}

/** Options: the recorded month, the admin key it accepts, and the page size (days per page) to exercise paging. */
export interface FakeAnthropicAdminOptions {
  costs: FakeCostLine[];
  adminApiKey?: string;
  pageDays?: number;
}

const DAY_MS = 86_400_000;

/**
 * Anthropic's cost_report wire format: daily buckets {starting_at, ending_at, results[]}, each
 * result's `amount` a decimal string in cents, `currency` "USD"; with group_by[]=description the
 * model, cost_type and token_type are filled, otherwise null and one summed line per day. Paged
 * by has_more / next_page. 401 with Anthropic's error envelope for a wrong key.
 */
export async function startFakeAnthropicAdmin(options: FakeAnthropicAdminOptions): Promise<FakeAnthropicAdmin> {
  const adminApiKey = options.adminApiKey ?? 'sk-ant-admin01-fake';
  const requests: FakeAnthropicAdmin['requests'] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const apiKey = typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : null;
    const version = typeof request.headers['anthropic-version'] === 'string' ? request.headers['anthropic-version'] : null;
    requests.push({ path: `${url.pathname}${url.search}`, apiKey, version });
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET' || url.pathname !== '/v1/organizations/cost_report')
      return send(404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
    if (apiKey !== adminApiKey) return send(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    if (version === null) return send(400, { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version header is required' } });
    const startingAt = url.searchParams.get('starting_at');
    if (startingAt === null) return send(400, { type: 'error', error: { type: 'invalid_request_error', message: 'starting_at: Field required' } });
    const pageToken = url.searchParams.get('page');
    const from = pageToken === null ? Date.parse(startingAt) : Date.parse(Buffer.from(pageToken.replace(/^page_/, ''), 'base64').toString('utf8'));
    const start = Math.floor(from / DAY_MS) * DAY_MS;
    const ending = url.searchParams.get('ending_at');
    const end = ending === null ? start + 7 * DAY_MS : Date.parse(ending);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 7), 31, options.pageDays ?? 31);
    const grouped = url.searchParams.getAll('group_by[]').includes('description');
    const data = [];
    let day = start;
    for (; day < end && data.length < limit; day += DAY_MS) {
      const key = new Date(day).toISOString().slice(0, 10);
      const lines = options.costs.filter((line) => line.day === key);
      const results = grouped
        ? lines.map((line) => ({
            currency: 'USD',
            amount: (line.usd * 100).toFixed(6),
            workspace_id: null,
            description: `${line.model} ${line.tokenType ?? 'uncached_input_tokens'}`,
            cost_type: 'tokens',
            context_window: '0-200k',
            model: line.model,
            service_tier: 'standard',
            token_type: line.tokenType ?? 'uncached_input_tokens',
            inference_geo: 'not_available',
          }))
        : lines.length === 0
          ? []
          : [
              {
                currency: 'USD',
                amount: (lines.reduce((sum, line) => sum + line.usd, 0) * 100).toFixed(6),
                workspace_id: null,
                description: null,
                cost_type: null,
                context_window: null,
                model: null,
                service_tier: null,
                token_type: null,
                inference_geo: null,
              },
            ];
      data.push({ starting_at: new Date(day).toISOString(), ending_at: new Date(day + DAY_MS).toISOString(), results });
    }
    const hasMore = day < end;
    send(200, { data, has_more: hasMore, next_page: hasMore ? `page_${Buffer.from(new Date(day).toISOString()).toString('base64')}` : null });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    adminApiKey,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
