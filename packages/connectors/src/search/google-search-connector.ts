import { ConnectorError } from '../connector-error.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { FieldVitals, IndexStatus, SearchAnalyticsRow, SearchConnector } from './search-connector.js';

/** Options for Search Console (OAuth refresh token) and PageSpeed Insights (API key). */
export interface GoogleSearchOptions {
  /** The Search Console property: `sc-domain:example.com` or `https://example.com/`. */
  siteUrl: string;
  /** Our store's origin: Search Console's absolute URLs become the paths the jobs use. */
  storeOrigin: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** https://oauth2.googleapis.com/token unless overridden (GOOGLE_OAUTH_TOKEN_URL). */
  tokenUrl?: string;
  /** Both APIs' root URL override (GOOGLE_API_BASE; proxies, tests). */
  apiBase?: string;
  pageSpeedKey?: string;
  /** The key pages PageSpeed measures (PAGESPEED_URLS), absolute or store paths. */
  pageSpeedUrls: string[];
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

// A page's template from its path, as the store's theme names them.
function templateOf(path: string): string {
  if (path === '/' || path === '') return 'home';
  if (path.startsWith('/products/')) return 'product';
  if (path.startsWith('/collections/')) return 'collection';
  if (path.startsWith('/blogs/')) return 'article';
  return 'page';
}

type Json = Record<string, unknown>;
interface SearchConsoleApi {
  searchanalytics: { query(params: Json): Promise<{ data: Json }> };
  urlInspection: { index: { inspect(params: Json): Promise<{ data: Json }> } };
}
interface PageSpeedApi {
  pagespeedapi: { runpagespeed(params: Json): Promise<{ data: Json }> };
}

const ROW_LIMIT = 25_000;

function googleError(operation: string, error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const status = (error as { status?: number; response?: { status?: number } }).response?.status ?? (error as { status?: number }).status;
  const message = error instanceof Error ? error.message : String(error);
  // A refused token exchange comes back as a 400 invalid_grant / invalid_client from the OAuth endpoint.
  const auth = status === 401 || status === 403 || /invalid_grant|invalid_client|unauthorized_client/i.test(message);
  const hint = auth
    ? ' (check GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET, GOOGLE_OAUTH_REFRESH_TOKEN and that the account can read GOOGLE_SEARCH_CONSOLE_SITE)'
    : status === 429
      ? ' (quota: retry later)'
      : '';
  return new ConnectorError('google_request_failed', `Google ${operation} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${message}${hint}`, {
    facts: { operation, status: status ?? null },
    cause: error,
  });
}

/**
 * Search Console and PageSpeed Insights on Google's official clients, @googleapis/searchconsole
 * and @googleapis/pagespeedonline (loaded on first use). Search Console authenticates with an
 * OAuth refresh token (the client refreshes the access token itself); PageSpeed with an API key.
 */
export function createGoogleSearchConnector(options: GoogleSearchOptions): SearchConnector {
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const origin = new URL(options.storeOrigin).origin;
  const pathOf = (url: string) => {
    const parsed = new URL(url, origin);
    return parsed.origin === origin ? parsed.pathname : url;
  };
  const rootUrl = options.apiBase === undefined ? {} : { rootUrl: `${options.apiBase.replace(/\/+$/, '')}/` };
  let consolePromise: Promise<SearchConsoleApi> | undefined;
  let speedPromise: Promise<PageSpeedApi> | undefined;
  const consoleApi = () =>
    (consolePromise ??= import('@googleapis/searchconsole').then((module) => {
      const client = new module.auth.OAuth2({
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        ...(options.tokenUrl === undefined ? {} : { endpoints: { oauth2TokenUrl: options.tokenUrl } }),
      });
      client.setCredentials({ refresh_token: options.refreshToken });
      return module.searchconsole({ version: 'v1', auth: client, retry: false, ...rootUrl }) as unknown as SearchConsoleApi;
    }));
  const speedApi = () =>
    (speedPromise ??= import('@googleapis/pagespeedonline').then(
      (module) => module.pagespeedonline({ version: 'v5', retry: false, ...rootUrl }) as unknown as PageSpeedApi,
    ));
  const call = async <Result>(operation: string, run: () => Promise<Result>): Promise<Result> => {
    try {
      return await callVendor('Google', operation, limits, run);
    } catch (error) {
      throw googleError(operation, error);
    }
  };
  const query = async (range: { startDate: string; endDate: string }, dimensions: string[]) => {
    const api = await consoleApi();
    const rows: Json[] = [];
    for (let startRow = 0; ; startRow += ROW_LIMIT) {
      const answer = await call('searchanalytics.query', () =>
        api.searchanalytics.query({ siteUrl: options.siteUrl, requestBody: { ...range, dimensions, rowLimit: ROW_LIMIT, startRow, dataState: 'final' } }),
      );
      const page = (answer.data['rows'] as Json[] | undefined) ?? [];
      rows.push(...page);
      if (page.length < ROW_LIMIT) return rows;
    }
  };

  return {
    source: 'google',
    async lastCompleteDay() {
      const today = new Date();
      const start = new Date(today.getTime() - 10 * 86_400_000).toISOString().slice(0, 10);
      const rows = await query({ startDate: start, endDate: today.toISOString().slice(0, 10) }, ['date']);
      const days = rows.map((row) => String((row['keys'] as string[] | undefined)?.[0] ?? '')).filter((day) => day !== '');
      return days.length === 0 ? null : days.sort().at(-1)!;
    },
    async searchAnalytics(range) {
      const rows = await query(range, ['page', 'query']);
      return rows.map((row): SearchAnalyticsRow => {
        const keys = (row['keys'] as string[] | undefined) ?? [];
        return {
          page: pathOf(keys[0] ?? ''),
          query: keys[1] ?? '',
          clicks: Number(row['clicks'] ?? 0),
          impressions: Number(row['impressions'] ?? 0),
          ctr: Number(row['ctr'] ?? 0),
          position: Number(row['position'] ?? 0),
        };
      });
    },
    async inspectUrls(urls) {
      const api = await consoleApi();
      const results: IndexStatus[] = [];
      for (const url of urls) {
        const answer = await call('urlInspection.index.inspect', () =>
          api.urlInspection.index.inspect({ requestBody: { inspectionUrl: new URL(url, origin).toString(), siteUrl: options.siteUrl } }),
        );
        const status = ((answer.data['inspectionResult'] as Json | undefined)?.['indexStatusResult'] ?? {}) as Json;
        const canonical = typeof status['googleCanonical'] === 'string' ? pathOf(status['googleCanonical']) : null;
        results.push({ url, indexed: status['verdict'] === 'PASS', googleCanonical: canonical });
      }
      return results;
    },
    async fieldVitals() {
      const api = await speedApi();
      const vitals: FieldVitals[] = [];
      for (const url of options.pageSpeedUrls) {
        const answer = await call('pagespeedapi.runpagespeed', () =>
          api.pagespeedapi.runpagespeed({
            url: new URL(url, origin).toString(),
            strategy: 'MOBILE',
            category: ['PERFORMANCE'],
            ...(options.pageSpeedKey === undefined ? {} : { key: options.pageSpeedKey }),
          }),
        );
        const metrics = ((answer.data['loadingExperience'] as Json | undefined)?.['metrics'] ?? {}) as Record<string, { percentile?: number } | undefined>;
        const percentile = (name: string) => (typeof metrics[name]?.percentile === 'number' ? metrics[name].percentile : null);
        const cls = percentile('CUMULATIVE_LAYOUT_SHIFT_SCORE');
        const path = pathOf(new URL(url, origin).toString());
        vitals.push({
          url: path,
          template: templateOf(path),
          lcpMs: percentile('LARGEST_CONTENTFUL_PAINT_MS'),
          inpMs: percentile('INTERACTION_TO_NEXT_PAINT'),
          // The field data reports CLS × 100 as an integer percentile.
          cls: cls === null ? null : cls / 100,
        });
      }
      return vitals;
    },
  };
}
