import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../http-body.js';

/** One Search Analytics row the fake holds: a day, a page (absolute URL) and a query. */
export interface FakeGscRow {
  date: string;
  page: string;
  query: string;
  clicks: number;
  impressions: number;
  position: number;
}

/** What the fake starts with. */
export interface FakeGoogleSearchSeed {
  siteUrl: string;
  rows: FakeGscRow[];
  /** URL Inspection verdicts by absolute URL (default PASS, canonical = itself). */
  inspections?: Record<string, { verdict: 'PASS' | 'NEUTRAL' | 'FAIL'; googleCanonical?: string }>;
  /** PageSpeed field p75 by absolute URL: LCP ms, INP ms, CLS (as a decimal; the wire carries it × 100). */
  vitals?: Record<string, { lcpMs: number; inpMs: number; cls: number }>;
}

/** A local HTTP server speaking Google's OAuth token endpoint, Search Console v1/v3 and PageSpeed Insights v5. */
export interface FakeGoogleSearch {
  /** Point GOOGLE_API_BASE here. */
  url: string;
  /** Point GOOGLE_OAUTH_TOKEN_URL here. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  apiKey: string;
  requests: Array<{ method: string; path: string; body: unknown }>;
  tokensIssued(): number;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const googleError = (code: number, status: string, message: string) => ({
  error: { code, message, status, errors: [{ message, domain: 'global', reason: status.toLowerCase() }] },
});

/**
 * Start a fake of Google's search APIs: the OAuth 2.0 refresh-token grant, `searchAnalytics.query`
 * (dimensions date/page/query, aggregated like Search Console, rowLimit and startRow paging),
 * `urlInspection.index.inspect` and `pagespeedapi.runpagespeed` (loadingExperience p75 metrics).
 * Search Console calls need the bearer token; PageSpeed needs the API key.
 */
export async function startFakeGoogleSearch(options: {
  seed: FakeGoogleSearchSeed;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  apiKey?: string;
}): Promise<FakeGoogleSearch> {
  const clientId = options.clientId ?? 'fake-client.apps.googleusercontent.com';
  const clientSecret = options.clientSecret ?? 'fake-google-secret';
  const refreshToken = options.refreshToken ?? '1//fake-refresh-token';
  const apiKey = options.apiKey ?? 'fake-psi-key';
  const seed = options.seed;
  const tokens = new Set<string>();
  const requests: FakeGoogleSearch['requests'] = [];

  const route = (method: string, url: URL, body: unknown, headers: http.IncomingHttpHeaders): { status: number; body: unknown } => {
    const path = url.pathname;
    if (method === 'POST' && path === '/token') {
      const form = typeof body === 'string' ? new URLSearchParams(body) : new URLSearchParams(Object.entries((body ?? {}) as Record<string, string>));
      if (form.get('grant_type') !== 'refresh_token') return { status: 400, body: { error: 'unsupported_grant_type' } };
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret)
        return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
      if (form.get('refresh_token') !== refreshToken)
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
      const token = `ya29.fake-${tokens.size + 1}`;
      tokens.add(token);
      return {
        status: 200,
        body: { access_token: token, expires_in: 3599, scope: 'https://www.googleapis.com/auth/webmasters.readonly', token_type: 'Bearer' },
      };
    }
    if (path === '/pagespeedonline/v5/runPagespeed') {
      if (url.searchParams.get('key') !== apiKey)
        return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.') };
      const target = url.searchParams.get('url') ?? '';
      const vitals = seed.vitals?.[target];
      if (url.searchParams.get('strategy') !== 'MOBILE')
        return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'this fake answers strategy=MOBILE only') };
      const category = (value: number, good: number, poor: number) => (value <= good ? 'FAST' : value <= poor ? 'AVERAGE' : 'SLOW');
      return {
        status: 200,
        body: {
          id: target,
          analysisUTCTimestamp: new Date().toISOString(),
          loadingExperience:
            vitals === undefined
              ? { id: target, initial_url: target }
              : {
                  id: target,
                  metrics: {
                    LARGEST_CONTENTFUL_PAINT_MS: { percentile: vitals.lcpMs, category: category(vitals.lcpMs, 2500, 4000) },
                    INTERACTION_TO_NEXT_PAINT: { percentile: vitals.inpMs, category: category(vitals.inpMs, 200, 500) },
                    CUMULATIVE_LAYOUT_SHIFT_SCORE: { percentile: Math.round(vitals.cls * 100), category: category(vitals.cls, 0.1, 0.25) },
                  },
                  overall_category: category(vitals.lcpMs, 2500, 4000),
                  initial_url: target,
                },
          lighthouseResult: { requestedUrl: target, finalUrl: target, categories: { performance: { score: 0.8 } } },
        },
      };
    }
    const bearer = String(headers['authorization'] ?? '').replace(/^Bearer /, '');
    if (!tokens.has(bearer)) return { status: 401, body: googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.') };
    const analytics = /^\/webmasters\/v3\/sites\/([^/]+)\/searchAnalytics\/query$/.exec(path);
    if (method === 'POST' && analytics !== null) {
      if (decodeURIComponent(analytics[1] ?? '') !== seed.siteUrl)
        return {
          status: 403,
          body: googleError(
            403,
            'PERMISSION_DENIED',
            'User does not have sufficient permission for site. See also: https://support.google.com/webmasters/answer/2451999.',
          ),
        };
      const request = body as { startDate: string; endDate: string; dimensions?: string[]; rowLimit?: number; startRow?: number };
      const dimensions = request.dimensions ?? [];
      const groups = new Map<string, { keys: string[]; clicks: number; impressions: number; weighted: number }>();
      for (const row of seed.rows) {
        if (row.date < request.startDate || row.date > request.endDate) continue;
        const keys = dimensions.map((dimension) => String((row as unknown as Json)[dimension] ?? ''));
        const group = groups.get(keys.join('\u0000')) ?? { keys, clicks: 0, impressions: 0, weighted: 0 };
        group.clicks += row.clicks;
        group.impressions += row.impressions;
        group.weighted += row.position * row.impressions;
        groups.set(keys.join('\u0000'), group);
      }
      const all = [...groups.values()].sort((left, right) => right.clicks - left.clicks || left.keys.join().localeCompare(right.keys.join()));
      const start = request.startRow ?? 0;
      const rows = all.slice(start, start + (request.rowLimit ?? 1000)).map((group) => ({
        keys: group.keys,
        clicks: group.clicks,
        impressions: group.impressions,
        ctr: group.impressions === 0 ? 0 : group.clicks / group.impressions,
        position: group.impressions === 0 ? 0 : group.weighted / group.impressions,
      }));
      return { status: 200, body: rows.length === 0 ? { responseAggregationType: 'byPage' } : { rows, responseAggregationType: 'byPage' } };
    }
    if (method === 'POST' && path === '/v1/urlInspection/index:inspect') {
      const request = body as { inspectionUrl: string; siteUrl: string };
      if (request.siteUrl !== seed.siteUrl)
        return { status: 403, body: googleError(403, 'PERMISSION_DENIED', 'You do not own this site, or the inspected URL is not part of this property.') };
      const verdict = seed.inspections?.[request.inspectionUrl] ?? { verdict: 'PASS' };
      return {
        status: 200,
        body: {
          inspectionResult: {
            inspectionResultLink: `https://search.google.com/search-console/inspect?resource_id=${encodeURIComponent(seed.siteUrl)}`,
            indexStatusResult: {
              verdict: verdict.verdict,
              coverageState: verdict.verdict === 'PASS' ? 'Submitted and indexed' : 'Crawled - currently not indexed',
              robotsTxtState: 'ALLOWED',
              indexingState: 'INDEXING_ALLOWED',
              googleCanonical: verdict.googleCanonical ?? request.inspectionUrl,
              userCanonical: request.inspectionUrl,
            },
          },
        },
      };
    }
    return { status: 404, body: googleError(404, 'NOT_FOUND', `fake Google: no route for ${method} ${path}`) };
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = request.method ?? 'GET';
      const raw = await readRequestText(request);
      const isForm = (request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
      const body: unknown = raw === '' ? undefined : isForm ? raw : (JSON.parse(raw) as unknown);
      requests.push({ method, path: url.pathname, body: isForm ? '[form]' : body });
      const answer = route(method, url, body, request.headers);
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify(answer.body));
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(googleError(500, 'INTERNAL', error instanceof Error ? error.message : String(error))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    clientId,
    clientSecret,
    refreshToken,
    apiKey,
    requests,
    tokensIssued: () => tokens.size,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
