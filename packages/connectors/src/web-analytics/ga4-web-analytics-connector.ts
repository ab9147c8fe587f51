import type { BetaAnalyticsDataClient } from '@google-analytics/data';
import { googleAuth, googleCall, type GoogleOptions } from '../google/google-client.js';
import type { GoogleOAuthConfig } from '../search-ads/search-analytics-config.js';
import type { AnalyticsDay, FunnelHour, WebAnalyticsConnector } from './web-analytics-connector.js';

/** How to reach the GA4 property. */
export interface Ga4Options {
  propertyId: string;
  oauth: GoogleOAuthConfig;
  /** https://analyticsdata.googleapis.com, or a fake (GA4_API_BASE). */
  apiBase: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

type ReportRow = { dimensionValues?: Array<{ value?: string | null }> | null; metricValues?: Array<{ value?: string | null }> | null };

const compactDay = (value: string) => `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
const numberOf = (row: ReportRow, index: number) => Number(row.metricValues?.[index]?.value ?? 0) || 0;

/** The instant a property-local wall-clock time (YYYY-MM-DD, hour) falls on, in the property's zone. */
export function zonedHour(day: string, hour: number, timeZone: string): Date {
  const guess = Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  let instant = guess;
  for (let pass = 0; pass < 2; pass += 1) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
        .formatToParts(new Date(instant))
        .map((part) => [part.type, part.value]),
    );
    const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']));
    instant = guess - (wall - instant);
  }
  return new Date(instant);
}

/**
 * GA4 on Google's official `@google-analytics/data` (BetaAnalyticsDataClient.runReport), loaded on
 * first use. It runs in the SDK's HTTP/1.1 REST mode (`fallback: true`): the same client and
 * request shapes as gRPC, but a transport a local fake can speak (testkit's fake GA4 serves
 * `POST /v1beta/properties/{id}:runReport`), and no gRPC channel for an idle bot to hold.
 */
export function createGa4WebAnalyticsConnector(options: Ga4Options): WebAnalyticsConnector {
  const google: GoogleOptions = {
    clientId: options.oauth.clientId,
    clientSecret: options.oauth.clientSecret,
    refreshToken: options.oauth.refreshToken,
    ...(options.oauth.tokenUrl === undefined ? {} : { tokenUrl: options.oauth.tokenUrl }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
  };
  const auth = googleAuth(google);
  let client: Promise<BetaAnalyticsDataClient> | undefined;
  const getClient = () =>
    (client ??= (async () => {
      const [{ BetaAnalyticsDataClient }, authClient] = await Promise.all([import('@google-analytics/data'), auth()]);
      const url = new URL(options.apiBase);
      const protocol = url.protocol.replace(':', '');
      return new BetaAnalyticsDataClient({
        fallback: true,
        apiEndpoint: url.hostname,
        port: Number(url.port === '' ? (protocol === 'http' ? 80 : 443) : url.port),
        protocol,
        authClient: authClient as never,
      } as ConstructorParameters<typeof BetaAnalyticsDataClient>[0]);
    })());
  const property = `properties/${options.propertyId}`;
  const runReport = async (operation: string, request: Record<string, unknown>) =>
    googleCall(google, 'Analytics Data', operation, async () => {
      const [response] = await (await getClient()).runReport({ property, keepEmptyRows: false, limit: 100_000, ...request });
      return response;
    });
  return {
    source: 'ga4',
    async dailyPurchases(range): Promise<AnalyticsDay[]> {
      const response = await runReport('runReport (daily purchases)', {
        dateRanges: [{ startDate: range.from, endDate: range.to }],
        dimensions: [{ name: 'date' }],
        metrics: [{ name: 'ecommercePurchases' }, { name: 'purchaseRevenue' }],
        orderBys: [{ dimension: { dimensionName: 'date' } }],
      });
      return (response.rows ?? [])
        .map((row) => ({ day: compactDay(row.dimensionValues?.[0]?.value ?? ''), purchases: numberOf(row, 0), revenue: numberOf(row, 1) }))
        .sort((left, right) => left.day.localeCompare(right.day));
    },
    async hourlyFunnel(range): Promise<FunnelHour[]> {
      // dateHour is in the property's zone: ask by whole local days around the range, then keep
      // the hours whose start falls inside it.
      const from = new Date(range.from.getTime() - 86_400_000).toISOString().slice(0, 10);
      const to = new Date(range.to.getTime() + 86_400_000).toISOString().slice(0, 10);
      const response = await runReport('runReport (hourly funnel)', {
        dateRanges: [{ startDate: from, endDate: to }],
        dimensions: [{ name: 'dateHour' }, { name: 'deviceCategory' }],
        metrics: [{ name: 'sessions' }, { name: 'addToCarts' }, { name: 'checkouts' }, { name: 'ecommercePurchases' }],
      });
      const timeZone = response.metadata?.timeZone ?? 'UTC';
      return (response.rows ?? [])
        .map((row) => {
          const dateHour = row.dimensionValues?.[0]?.value ?? '';
          const hour = zonedHour(compactDay(dateHour), Number(dateHour.slice(8, 10)), timeZone);
          return {
            hour: hour.toISOString(),
            device: (row.dimensionValues?.[1]?.value ?? 'unknown').toLowerCase(),
            sessions: numberOf(row, 0),
            addToCarts: numberOf(row, 1),
            checkouts: numberOf(row, 2),
            purchases: numberOf(row, 3),
          };
        })
        .filter((row) => Date.parse(row.hour) >= range.from.getTime() && Date.parse(row.hour) < range.to.getTime())
        .sort((left, right) => left.hour.localeCompare(right.hour) || left.device.localeCompare(right.device));
    },
  };
}
