import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../http-body.js';

/** One GA4 day: ecommerce purchases and revenue. */
export interface FakeGa4Day {
  /** YYYY-MM-DD in the property's zone. */
  date: string;
  ecommercePurchases: number;
  purchaseRevenue: number;
}

/** One GA4 hour × device of the funnel. */
export interface FakeGa4Hour {
  /** YYYYMMDDHH in the property's zone, as GA4 reports dateHour. */
  dateHour: string;
  deviceCategory: string;
  sessions: number;
  addToCarts: number;
  checkouts: number;
  ecommercePurchases: number;
}

/** A Google Ads campaign as the fake holds it. */
export interface FakeGoogleAdsCampaign {
  id: string;
  name: string;
  status: 'ENABLED' | 'PAUSED' | 'REMOVED';
  budgetId: string;
  amountMicros: number;
}

/** One campaign-day of Google Ads metrics. */
export interface FakeGoogleAdsCampaignDay {
  campaignId: string;
  date: string;
  costMicros: number;
  clicks: number;
  conversions: number;
  conversionsValue: number;
  searchImpressionShare?: number;
  searchBudgetLostImpressionShare?: number;
  searchRankLostImpressionShare?: number;
  searchTopImpressionShare?: number;
}

/** One search term over LAST_14_DAYS. */
export interface FakeGoogleAdsSearchTerm {
  campaignId: string;
  adGroupId: string;
  searchTerm: string;
  costMicros: number;
  clicks: number;
  conversions: number;
  conversionsValue: number;
}

/** A keyword criterion (campaign negative or ad group keyword). */
export interface FakeGoogleAdsCriterion {
  resourceName: string;
  campaignId: string;
  adGroupId?: string;
  text: string;
  matchType: 'EXACT' | 'PHRASE' | 'BROAD';
  negative: boolean;
}

/** One Merchant Center product with its status. */
export interface FakeMerchantProduct {
  offerId: string;
  title: string;
  gtin?: string;
  price: number;
  availability: 'in stock' | 'out of stock' | 'preorder' | 'backorder';
  /** Destination statuses: approved / disapproved / pending. */
  status: 'approved' | 'disapproved' | 'pending';
  itemLevelIssues?: Array<{ code: string; description: string; servability: 'disapproved' | 'demoted' | 'unaffected'; attribute?: string }>;
}

/** What the fake starts with. */
export interface FakeGoogleMarketingSeed {
  ga4?: { propertyId: string; timeZone: string; days?: FakeGa4Day[]; hours?: FakeGa4Hour[] };
  googleAds?: {
    customerId: string;
    campaigns: FakeGoogleAdsCampaign[];
    days?: FakeGoogleAdsCampaignDay[];
    searchTerms?: FakeGoogleAdsSearchTerm[];
    criteria?: FakeGoogleAdsCriterion[];
  };
  merchant?: { merchantId: string; products: FakeMerchantProduct[] };
}

/** A local HTTP server speaking Google's OAuth token endpoint, the GA4 Data API, Google Ads REST and the Merchant API. */
export interface FakeGoogleMarketing {
  /** Point GA4_API_BASE, GOOGLE_ADS_API_BASE and GOOGLE_MERCHANT_API_BASE here. */
  url: string;
  /** Point GOOGLE_OAUTH_TOKEN_URL here. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  developerToken: string;
  requests: Array<{ method: string; path: string; body: unknown; headers: http.IncomingHttpHeaders }>;
  /** The Google Ads state (criteria added, budgets set) for assertions. */
  googleAds: NonNullable<FakeGoogleMarketingSeed['googleAds']> & { criteria: FakeGoogleAdsCriterion[]; mutates: number };
  /** Fail the next request whose path contains this with an HTTP status (one-shot). */
  failNext(pathPart: string, status: number, afterApply?: boolean): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const googleError = (code: number, status: string, message: string) => ({ error: { code, message, status } });

/** GA4 runReport: the rows for the requested dimensions over the date range (REST v1beta JSON). */
function ga4Report(seed: NonNullable<FakeGoogleMarketingSeed['ga4']>, body: Json): Json {
  const dimensions = ((body['dimensions'] as Array<{ name: string }> | undefined) ?? []).map((dimension) => dimension.name);
  const metrics = ((body['metrics'] as Array<{ name: string }> | undefined) ?? []).map((metric) => metric.name);
  const range = (body['dateRanges'] as Array<{ startDate: string; endDate: string }> | undefined)?.[0];
  if (range === undefined) throw Object.assign(new Error('dateRanges is required'), { status: 400 });
  const inRange = (day: string) => day >= range.startDate && day <= range.endDate;
  let rows: Array<{ dimensionValues: Array<{ value: string }>; metricValues: Array<{ value: string }> }>;
  if (dimensions.join(',') === 'date') {
    rows = (seed.days ?? [])
      .filter((day) => inRange(day.date))
      .map((day) => ({
        dimensionValues: [{ value: day.date.replace(/-/g, '') }],
        metricValues: metrics.map((metric) => ({ value: String((day as unknown as Record<string, number>)[metric] ?? 0) })),
      }));
  } else if (dimensions.join(',') === 'dateHour,deviceCategory') {
    rows = (seed.hours ?? [])
      .filter((hour) => inRange(`${hour.dateHour.slice(0, 4)}-${hour.dateHour.slice(4, 6)}-${hour.dateHour.slice(6, 8)}`))
      .map((hour) => ({
        dimensionValues: [{ value: hour.dateHour }, { value: hour.deviceCategory }],
        metricValues: metrics.map((metric) => ({ value: String((hour as unknown as Record<string, number>)[metric] ?? 0) })),
      }));
  } else {
    throw Object.assign(new Error(`the fake GA4 has no report for dimensions ${dimensions.join(',')}`), { status: 400 });
  }
  return {
    dimensionHeaders: dimensions.map((name) => ({ name })),
    metricHeaders: metrics.map((name) => ({ name, type: name === 'purchaseRevenue' ? 'TYPE_CURRENCY' : 'TYPE_INTEGER' })),
    rows,
    rowCount: rows.length,
    metadata: { currencyCode: 'USD', timeZone: seed.timeZone },
    kind: 'analyticsData#runReport',
  };
}

/** Google Ads GAQL `search`: the FROM resource decides the rows; the WHERE date range and status filters the fake honours. */
function googleAdsSearch(state: FakeGoogleMarketing['googleAds'], query: string): Json[] {
  const from = /\bFROM\s+(\w+)/i.exec(query)?.[1]?.toLowerCase();
  const between = /segments\.date\s+BETWEEN\s+'(\d{4}-\d{2}-\d{2})'\s+AND\s+'(\d{4}-\d{2}-\d{2})'/i.exec(query);
  const campaignOf = (id: string) => state.campaigns.find((campaign) => campaign.id === id);
  const resource = (id: string) => `customers/${state.customerId}/campaigns/${id}`;
  if (from === 'campaign' && between === null)
    return state.campaigns.map((campaign) => ({
      campaign: {
        resourceName: resource(campaign.id),
        id: campaign.id,
        name: campaign.name,
        status: campaign.status,
        campaignBudget: `customers/${state.customerId}/campaignBudgets/${campaign.budgetId}`,
      },
      campaignBudget: { resourceName: `customers/${state.customerId}/campaignBudgets/${campaign.budgetId}`, amountMicros: String(campaign.amountMicros) },
    }));
  if (from === 'campaign')
    return (state.days ?? [])
      .filter((day) => day.date >= (between?.[1] ?? '') && day.date <= (between?.[2] ?? ''))
      .map((day) => ({
        campaign: { resourceName: resource(day.campaignId), id: day.campaignId, name: campaignOf(day.campaignId)?.name },
        segments: { date: day.date },
        metrics: {
          costMicros: String(day.costMicros),
          clicks: String(day.clicks),
          conversions: day.conversions,
          conversionsValue: day.conversionsValue,
          ...(day.searchImpressionShare === undefined
            ? {}
            : {
                searchImpressionShare: day.searchImpressionShare,
                searchBudgetLostImpressionShare: day.searchBudgetLostImpressionShare ?? 0,
                searchRankLostImpressionShare: day.searchRankLostImpressionShare ?? 0,
                searchTopImpressionShare: day.searchTopImpressionShare ?? 0,
              }),
        },
      }));
  if (from === 'search_term_view') {
    if (!/DURING\s+LAST_14_DAYS/i.test(query)) throw Object.assign(new Error('the fake serves search_term_view DURING LAST_14_DAYS only'), { status: 400 });
    return (state.searchTerms ?? []).map((term) => ({
      searchTermView: {
        resourceName: `customers/${state.customerId}/searchTermViews/${term.campaignId}~${term.adGroupId}~${Buffer.from(term.searchTerm).toString('base64url')}`,
        searchTerm: term.searchTerm,
      },
      campaign: { resourceName: resource(term.campaignId), id: term.campaignId },
      adGroup: { resourceName: `customers/${state.customerId}/adGroups/${term.adGroupId}`, id: term.adGroupId },
      metrics: { costMicros: String(term.costMicros), clicks: String(term.clicks), conversions: term.conversions, conversionsValue: term.conversionsValue },
    }));
  }
  if (from === 'campaign_criterion')
    return state.criteria
      .filter((criterion) => criterion.adGroupId === undefined)
      .map((criterion) => ({
        campaignCriterion: {
          resourceName: criterion.resourceName,
          negative: criterion.negative,
          keyword: { text: criterion.text, matchType: criterion.matchType },
        },
        campaign: { resourceName: resource(criterion.campaignId), id: criterion.campaignId },
      }));
  if (from === 'ad_group_criterion')
    return state.criteria
      .filter((criterion) => criterion.adGroupId !== undefined)
      .map((criterion) => ({
        adGroupCriterion: {
          resourceName: criterion.resourceName,
          negative: criterion.negative,
          keyword: { text: criterion.text, matchType: criterion.matchType },
        },
        campaign: { resourceName: resource(criterion.campaignId), id: criterion.campaignId },
        adGroup: { resourceName: `customers/${state.customerId}/adGroups/${criterion.adGroupId}`, id: criterion.adGroupId },
      }));
  throw Object.assign(new Error(`the fake Google Ads has no rows for ${from ?? query}`), { status: 400 });
}

/**
 * Start a fake of Google's marketing APIs: the OAuth 2.0 refresh-token grant; GA4 Data API
 * v1beta `runReport` (REST JSON, as `@google-analytics/data` sends it in fallback mode); Google
 * Ads REST `googleAds:search` (GAQL on campaign, search_term_view, campaign_criterion,
 * ad_group_criterion) and `campaignCriteria:mutate`, `adGroupCriteria:mutate`,
 * `campaignBudgets:mutate` (the developer-token header checked); and the Merchant API products
 * v1 `products.list` with each product's productStatus (REST, enums as numbers).
 */
export async function startFakeGoogleMarketing(options: { seed: FakeGoogleMarketingSeed; developerToken?: string }): Promise<FakeGoogleMarketing> {
  const clientId = 'fake-marketing-client.apps.googleusercontent.com';
  const clientSecret = 'fake-marketing-secret';
  const refreshToken = '1//fake-marketing-refresh';
  const developerToken = options.developerToken ?? 'fake-developer-token';
  const tokens = new Set<string>();
  const requests: FakeGoogleMarketing['requests'] = [];
  const seedAds = options.seed.googleAds;
  const googleAds: FakeGoogleMarketing['googleAds'] = {
    customerId: seedAds?.customerId ?? '0000000000',
    campaigns: structuredClone(seedAds?.campaigns ?? []),
    days: structuredClone(seedAds?.days ?? []),
    searchTerms: structuredClone(seedAds?.searchTerms ?? []),
    criteria: structuredClone(seedAds?.criteria ?? []),
    mutates: 0,
  };
  const faults: Array<{ pathPart: string; status: number; afterApply: boolean }> = [];
  let criterionSequence = 1000;

  const mutateCriteria = (kind: 'campaignCriteria' | 'adGroupCriteria', body: Json): Json => {
    const operations = (body['operations'] as Array<{ create?: Json }> | undefined) ?? [];
    const results = operations.map((operation) => {
      const create = operation.create ?? {};
      const keyword = (create['keyword'] as { text?: string; matchType?: string } | undefined) ?? {};
      const campaignId = /campaigns\/(\d+)/.exec(String(create['campaign'] ?? ''))?.[1];
      const adGroupId = /adGroups\/(\d+)/.exec(String(create['adGroup'] ?? ''))?.[1];
      const owner = kind === 'campaignCriteria' ? campaignId : adGroupId;
      if (owner === undefined || keyword.text === undefined)
        throw Object.assign(new Error(`${kind} create needs ${kind === 'campaignCriteria' ? 'campaign' : 'adGroup'} and keyword.text`), { status: 400 });
      const duplicate = googleAds.criteria.find(
        (criterion) =>
          criterion.text === keyword.text &&
          criterion.matchType === keyword.matchType &&
          criterion.negative === (create['negative'] === true) &&
          (kind === 'campaignCriteria' ? criterion.adGroupId === undefined && criterion.campaignId === campaignId : criterion.adGroupId === adGroupId),
      );
      if (duplicate !== undefined)
        throw Object.assign(new Error(`DUPLICATE_CRITERION: "${keyword.text}" already exists`), { status: 400, reason: 'DUPLICATE_CRITERION' });
      criterionSequence += 1;
      const resourceName =
        kind === 'campaignCriteria'
          ? `customers/${googleAds.customerId}/campaignCriteria/${campaignId}~${criterionSequence}`
          : `customers/${googleAds.customerId}/adGroupCriteria/${adGroupId}~${criterionSequence}`;
      const adGroupCampaign = adGroupId === undefined ? undefined : googleAds.searchTerms?.find((term) => term.adGroupId === adGroupId)?.campaignId;
      googleAds.criteria.push({
        resourceName,
        campaignId: campaignId ?? adGroupCampaign ?? 'unknown',
        ...(adGroupId === undefined ? {} : { adGroupId }),
        text: keyword.text,
        matchType: (keyword.matchType ?? 'BROAD') as FakeGoogleAdsCriterion['matchType'],
        negative: create['negative'] === true,
      });
      return { resourceName };
    });
    googleAds.mutates += 1;
    return { results };
  };

  const route = (method: string, url: URL, body: unknown, headers: http.IncomingHttpHeaders): { status: number; body: unknown } => {
    const path = url.pathname;
    if (method === 'POST' && path === '/token') {
      const form = new URLSearchParams(typeof body === 'string' ? body : '');
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return { status: 401, body: { error: 'invalid_client' } };
      if (form.get('refresh_token') !== refreshToken)
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
      const token = `ya29.fake-marketing-${tokens.size + 1}`;
      tokens.add(token);
      return { status: 200, body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } };
    }
    const bearer = /^Bearer (.+)$/.exec(String(headers['authorization'] ?? ''))?.[1];
    if (bearer === undefined || !tokens.has(bearer))
      return { status: 401, body: googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.') };
    const json = (typeof body === 'object' && body !== null ? body : {}) as Json;
    const ga4 = /^\/v1beta\/properties\/(\d+):runReport$/.exec(path);
    if (method === 'POST' && ga4 !== null) {
      const seed = options.seed.ga4;
      if (seed === undefined || seed.propertyId !== ga4[1])
        return { status: 403, body: googleError(403, 'PERMISSION_DENIED', `User does not have sufficient permissions for this property.`) };
      return { status: 200, body: ga4Report(seed, json) };
    }
    const ads = /^\/v\d+\/customers\/(\d+)\/(googleAds:search|campaignCriteria:mutate|adGroupCriteria:mutate|campaignBudgets:mutate)$/.exec(path);
    if (method === 'POST' && ads !== null) {
      if (headers['developer-token'] !== developerToken) return { status: 401, body: googleError(401, 'UNAUTHENTICATED', 'The developer token is not valid.') };
      if (ads[1] !== googleAds.customerId)
        return {
          status: 403,
          body: googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission (USER_PERMISSION_DENIED): check login-customer-id.'),
        };
      if (ads[2] === 'googleAds:search') {
        const rows = googleAdsSearch(googleAds, String(json['query'] ?? ''));
        const pageSize = 50;
        const start = Number(json['pageToken'] ?? 0) || 0;
        const page = rows.slice(start, start + pageSize);
        return {
          status: 200,
          body: { results: page, ...(start + pageSize < rows.length ? { nextPageToken: String(start + pageSize) } : {}), fieldMask: 'fake' },
        };
      }
      if (ads[2] === 'campaignBudgets:mutate') {
        const operations = (json['operations'] as Array<{ update?: { resourceName?: string; amountMicros?: string } }> | undefined) ?? [];
        const results = operations.map((operation) => {
          const budgetId = /campaignBudgets\/(\d+)/.exec(operation.update?.resourceName ?? '')?.[1];
          const campaign = googleAds.campaigns.find((candidate) => candidate.budgetId === budgetId);
          if (campaign === undefined) throw Object.assign(new Error(`no campaign budget ${operation.update?.resourceName}`), { status: 400 });
          campaign.amountMicros = Number(operation.update?.amountMicros);
          return { resourceName: operation.update?.resourceName };
        });
        googleAds.mutates += 1;
        return { status: 200, body: { results } };
      }
      return { status: 200, body: mutateCriteria(ads[2] === 'campaignCriteria:mutate' ? 'campaignCriteria' : 'adGroupCriteria', json) };
    }
    const merchant = /^\/products\/v1\/accounts\/(\d+)\/products$/.exec(path);
    if (method === 'GET' && merchant !== null) {
      const seed = options.seed.merchant;
      if (seed === undefined || seed.merchantId !== merchant[1])
        return { status: 403, body: googleError(403, 'PERMISSION_DENIED', 'The caller does not have access to the accounts') };
      // A small page (Google allows up to 1000) so clients must follow nextPageToken.
      const pageSize = Math.min(Number(url.searchParams.get('pageSize') ?? 25) || 25, 25);
      const start = Number(url.searchParams.get('pageToken') ?? 0) || 0;
      const page = seed.products.slice(start, start + pageSize);
      // REST with enum-encoding=int, as the SDK asks: enums as numbers.
      const availability = { 'in stock': 1, 'out of stock': 2, preorder: 3, backorder: 5 } as const;
      const severity = { unaffected: 1, demoted: 2, disapproved: 3 } as const;
      return {
        status: 200,
        body: {
          products: page.map((product) => ({
            name: `accounts/${seed.merchantId}/products/en~US~${product.offerId}`,
            offerId: product.offerId,
            contentLanguage: 'en',
            feedLabel: 'US',
            productAttributes: {
              title: product.title,
              ...(product.gtin === undefined ? {} : { gtins: [product.gtin] }),
              price: { amountMicros: String(Math.round(product.price * 1e6)), currencyCode: 'USD' },
              availability: availability[product.availability],
            },
            productStatus: {
              destinationStatuses: [
                {
                  reportingContext: 1,
                  approvedCountries: product.status === 'approved' ? ['US'] : [],
                  pendingCountries: product.status === 'pending' ? ['US'] : [],
                  disapprovedCountries: product.status === 'disapproved' ? ['US'] : [],
                },
              ],
              itemLevelIssues: (product.itemLevelIssues ?? []).map((issue) => ({
                code: issue.code,
                severity: severity[issue.servability],
                resolution: 'merchant_action',
                ...(issue.attribute === undefined ? {} : { attribute: issue.attribute }),
                reportingContext: 1,
                description: issue.description,
                applicableCountries: ['US'],
              })),
            },
          })),
          ...(start + pageSize < seed.products.length ? { nextPageToken: String(start + pageSize) } : {}),
        },
      };
    }
    return { status: 404, body: googleError(404, 'NOT_FOUND', `The fake has no route ${method} ${path}`) };
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const text = await readRequestText(request);
      const url = new URL(request.url ?? '/', 'http://localhost');
      const contentType = String(request.headers['content-type'] ?? '');
      const body: unknown = contentType.includes('json') && text !== '' ? JSON.parse(text) : text;
      requests.push({ method: request.method ?? 'GET', path: url.pathname, body, headers: request.headers });
      const faultIndex = faults.findIndex((fault) => url.pathname.includes(fault.pathPart));
      const fault = faultIndex === -1 ? undefined : faults.splice(faultIndex, 1)[0];
      let result: { status: number; body: unknown };
      try {
        if (fault !== undefined && !fault.afterApply)
          result = { status: fault.status, body: googleError(fault.status, 'UNAVAILABLE', 'The service is currently unavailable.') };
        else {
          result = route(request.method ?? 'GET', url, body, request.headers);
          if (fault !== undefined) result = { status: fault.status, body: googleError(fault.status, 'UNAVAILABLE', 'The service is currently unavailable.') };
        }
      } catch (error) {
        const status = (error as { status?: number }).status ?? 500;
        result = { status, body: googleError(status, status === 400 ? 'INVALID_ARGUMENT' : 'INTERNAL', (error as Error).message) };
      }
      response.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(result.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    clientId,
    clientSecret,
    refreshToken,
    developerToken,
    requests,
    googleAds,
    failNext: (pathPart, status, afterApply = false) => faults.push({ pathPart, status, afterApply }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
