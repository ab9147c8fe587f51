import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../http-body.js';
import { createFakeFbaRoutes, type FakeInboundPlan, type FakeSpFbaSeed } from './fake-sp-api-fba.js';

/** One listing as the fake holds it; rendered in Listings Items 2021-08-01's wire format. */
export interface FakeSpListing {
  sku: string;
  asin: string;
  productType: string;
  itemName: string;
  status: string[];
  issues: Array<{ code: string; message: string; severity: string; attributeNames: string[]; enforcements: string[] }>;
  price: number | null;
}

/** One catalog item (Catalog Items 2022-04-01). */
export interface FakeSpCatalogItem {
  asin: string;
  itemName: string;
  brand: string;
  bullets: string[];
  mainImage: string | null;
}

/** One ASIN's competitive summary (Product Pricing 2022-05-01). */
export interface FakeSpOffer {
  asin: string;
  featured: { sellerId: string; price: number } | null;
  competitivePrice: number | null;
  lowestPrice: number | null;
}

/** One ASIN's review topics this month and their share the month before (Customer Feedback 2024-06-01). */
export interface FakeSpReviewTopics {
  asin: string;
  topics: Array<{ topic: string; sentiment: 'positive' | 'negative'; share: number; mentions: number; starImpact: number; priorShare: number | null }>;
}

/** What the fake starts with. */
export interface FakeSpApiSeed {
  sellerId: string;
  listings: FakeSpListing[];
  catalog: FakeSpCatalogItem[];
  offers: FakeSpOffer[];
  reviews?: FakeSpReviewTopics[];
  /** FBA stock, report rows and inbound plans (shipbot's FBA jobs). */
  fba?: FakeSpFbaSeed;
}

/** A local HTTP server speaking the slice of SP-API (and LWA) the live connector uses. */
export interface FakeSpApi {
  /** Point AMAZON_SP_API_BASE here. */
  url: string;
  /** Point AMAZON_LWA_TOKEN_URL here. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Every request received, in order (token requests without their secrets). */
  requests: Array<{ method: string; path: string; query: Record<string, string>; body: unknown }>;
  /** Patches applied, in order. */
  patches: Array<{ sku: string; productType: string; patches: unknown[] }>;
  /** How many LWA tokens were issued. */
  tokensIssued(): number;
  /** Answer the next request matching `path` with this HTTP status (e.g. 429). */
  failNext(fault: { method: string; path: RegExp; status: number }): void;
  /** Inbound plans created through createInboundPlan, in order. */
  createdInboundPlans: FakeInboundPlan[];
  close(): Promise<void>;
}

/** Options for the fake. */
export interface FakeSpApiOptions {
  seed: FakeSpApiSeed;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Listings per page of searchListingsItems (the real maximum is 20). */
  pageSize?: number;
}

type Json = Record<string, unknown>;
const money = (amount: number) => ({ currencyCode: 'USD', amount });
const spError = (code: string, message: string) => ({ errors: [{ code, message, details: '' }] });

/**
 * Start a fake SP-API: LWA's refresh-token grant at /auth/o2/token (form-encoded, as Amazon's),
 * then every call checks `x-amz-access-token` like the real API (403 Unauthorized otherwise).
 * Shapes follow the published models: ItemSearchResults, Item (summaries, issues with
 * enforcements.actions, offers), ListingsItemSubmissionResponse, catalog Item, CompetitiveSummary
 * BatchResponse, ItemReviewTopicsResponse and ItemReviewTrendsResponse.
 */
export async function startFakeSpApi(options: FakeSpApiOptions): Promise<FakeSpApi> {
  const clientId = options.clientId ?? 'amzn1.application-oa2-client.fake';
  const clientSecret = options.clientSecret ?? 'fake-lwa-secret';
  const refreshToken = options.refreshToken ?? 'Atzr|fake-refresh-token';
  const pageSize = options.pageSize ?? 20;
  const seed = structuredClone(options.seed);
  const tokens = new Set<string>();
  const requests: FakeSpApi['requests'] = [];
  const patches: FakeSpApi['patches'] = [];
  const faults: Array<{ method: string; path: RegExp; status: number }> = [];
  let baseUrl = '';
  const fba = createFakeFbaRoutes(seed.fba ?? { inventory: [], reports: {}, plans: [] }, () => baseUrl);

  const listingWire = (listing: FakeSpListing, marketplaceId: string): Json => ({
    sku: listing.sku,
    summaries: [
      {
        marketplaceId,
        asin: listing.asin,
        productType: listing.productType,
        conditionType: 'new_new',
        status: listing.status,
        itemName: listing.itemName,
        createdDate: '2024-03-01T00:00:00Z',
        lastUpdatedDate: '2026-11-20T00:00:00Z',
      },
    ],
    issues: listing.issues.map((issue) => ({
      code: issue.code,
      message: issue.message,
      severity: issue.severity,
      attributeNames: issue.attributeNames,
      categories: ['MISSING_ATTRIBUTE'],
      ...(issue.enforcements.length === 0
        ? {}
        : { enforcements: { actions: issue.enforcements.map((action) => ({ action })), exemption: { status: 'NOT_EXEMPT' } } }),
    })),
    offers: listing.price === null ? [] : [{ marketplaceId, offerType: 'B2C', price: money(listing.price) }],
  });

  const route = async (method: string, url: URL, body: unknown, headers: http.IncomingHttpHeaders): Promise<{ status: number; body: unknown }> => {
    const path = url.pathname;
    if (method === 'POST' && path === '/auth/o2/token') {
      const form = new URLSearchParams(typeof body === 'string' ? body : '');
      if (form.get('grant_type') !== 'refresh_token')
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant_type must be refresh_token' } };
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret)
        return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
      if (form.get('refresh_token') !== refreshToken)
        return { status: 400, body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' } };
      const token = `Atza|fake-${tokens.size + 1}`;
      tokens.add(token);
      return { status: 200, body: { access_token: token, refresh_token: refreshToken, token_type: 'bearer', expires_in: 3600 } };
    }
    const token = headers['x-amz-access-token'];
    if (typeof token !== 'string' || !tokens.has(token)) return { status: 403, body: spError('Unauthorized', 'Access to requested resource is denied.') };
    const marketplaceId = url.searchParams.get('marketplaceIds') ?? url.searchParams.get('marketplaceId') ?? 'ATVPDKIKX0DER';

    const search = /^\/listings\/2021-08-01\/items\/([^/]+)$/.exec(path);
    if (method === 'GET' && search !== null) {
      if (decodeURIComponent(search[1] ?? '') !== seed.sellerId)
        return { status: 403, body: spError('Unauthorized', 'The seller id does not match the token') };
      const start = Number(url.searchParams.get('pageToken') ?? 0);
      const size = Math.min(Number(url.searchParams.get('pageSize') ?? pageSize), pageSize);
      const page = seed.listings.slice(start, start + size);
      const next = start + size < seed.listings.length ? String(start + size) : undefined;
      return {
        status: 200,
        body: {
          numberOfResults: seed.listings.length,
          ...(next === undefined ? {} : { pagination: { nextToken: next } }),
          items: page.map((listing) => listingWire(listing, marketplaceId)),
        },
      };
    }
    const item = /^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/.exec(path);
    if (method === 'PATCH' && item !== null) {
      const sku = decodeURIComponent(item[2] ?? '');
      const listing = seed.listings.find((candidate) => candidate.sku === sku);
      if (listing === undefined) return { status: 404, body: spError('NOT_FOUND', `SKU ${sku} not found`) };
      const request = body as { productType?: string; patches?: Array<{ op: string; path: string; value?: unknown[] }> };
      if (typeof request.productType !== 'string' || !Array.isArray(request.patches) || request.patches.length === 0)
        return { status: 400, body: spError('InvalidInput', 'productType and patches are required') };
      patches.push({ sku, productType: request.productType, patches: request.patches });
      for (const patch of request.patches) {
        const attribute = patch.path.replace('/attributes/', '');
        listing.issues = listing.issues.filter((issue) => !issue.attributeNames.includes(attribute));
        const value = (patch.value?.[0] ?? {}) as Json;
        if (attribute === 'item_name' && typeof value['value'] === 'string') listing.itemName = value['value'];
      }
      if (!listing.issues.some((issue) => issue.enforcements.includes('LISTING_SUPPRESSED'))) listing.status = ['BUYABLE', 'DISCOVERABLE'];
      return { status: 200, body: { sku, status: 'ACCEPTED', submissionId: `sub-${patches.length}`, issues: [] } };
    }
    const catalog = /^\/catalog\/2022-04-01\/items\/([^/]+)$/.exec(path);
    if (method === 'GET' && catalog !== null) {
      const entry = seed.catalog.find((candidate) => candidate.asin === catalog[1]);
      if (entry === undefined) return { status: 404, body: spError('NOT_FOUND', `Requested item '${catalog[1] ?? ''}' not found`) };
      const text = (value: string) => [{ value, language_tag: 'en_US', marketplace_id: marketplaceId }];
      return {
        status: 200,
        body: {
          asin: entry.asin,
          attributes: { item_name: text(entry.itemName), brand: text(entry.brand), bullet_point: entry.bullets.flatMap(text) },
          images: [{ marketplaceId, images: entry.mainImage === null ? [] : [{ variant: 'MAIN', link: entry.mainImage, height: 1500, width: 1500 }] }],
          summaries: [{ marketplaceId, brand: entry.brand, itemName: entry.itemName, manufacturer: entry.brand }],
        },
      };
    }
    if (method === 'POST' && path === '/batches/products/pricing/2022-05-01/items/competitiveSummary') {
      const batch = (body as { requests?: Json[] }).requests ?? [];
      if (batch.length > 20) return { status: 400, body: spError('InvalidInput', 'at most 20 requests per batch') };
      return {
        status: 200,
        body: {
          responses: batch.map((request) => {
            const asin = String(request['asin']);
            const offer = seed.offers.find((candidate) => candidate.asin === asin);
            if (offer === undefined)
              return { status: { statusCode: 404, reasonPhrase: 'Not Found' }, body: spError('NOT_FOUND', `ASIN ${asin} not found`), request };
            return {
              status: { statusCode: 200, reasonPhrase: 'OK' },
              body: {
                asin,
                marketplaceId: request['marketplaceId'],
                featuredBuyingOptions:
                  offer.featured === null
                    ? []
                    : [
                        {
                          buyingOptionType: 'New',
                          segmentedFeaturedOffers: [
                            {
                              sellerId: offer.featured.sellerId,
                              condition: 'New',
                              fulfillmentType: 'AFN',
                              listingPrice: money(offer.featured.price),
                              shippingOptions: [{ shippingOptionType: 'DEFAULT', price: money(0) }],
                              featuredOfferSegments: [{ customerMembership: 'PRIME', segmentDetails: { glanceViewWeightPercentage: 72 } }],
                            },
                          ],
                        },
                      ],
                referencePrices: offer.competitivePrice === null ? [] : [{ name: 'CompetitivePrice', price: money(offer.competitivePrice) }],
                lowestPricedOffers:
                  offer.lowestPrice === null
                    ? []
                    : [
                        {
                          lowestPricedOffersInput: { itemCondition: 'New', offerType: 'Consumer' },
                          offers: [{ listingPrice: money(offer.lowestPrice), sellerId: 'ANY', condition: 'New', fulfillmentType: 'AFN' }],
                        },
                      ],
              },
              request,
            };
          }),
        },
      };
    }
    const feedback = /^\/customerFeedback\/2024-06-01\/items\/([^/]+)\/reviews\/(topics|trends)$/.exec(path);
    if (method === 'GET' && feedback !== null) {
      const asin = feedback[1] ?? '';
      const topics = seed.reviews?.find((candidate) => candidate.asin === asin)?.topics ?? [];
      const dateRange = { startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-31T23:59:59Z' };
      const frame = { asin, itemName: asin, marketplaceId: url.searchParams.get('marketplaceId'), countryCode: 'US', dateRange };
      if (feedback[2] === 'topics') {
        const render = (sentiment: 'positive' | 'negative') =>
          topics
            .filter((topic) => topic.sentiment === sentiment)
            .map((topic) => ({
              topic: topic.topic,
              asinMetrics: { numberOfMentions: topic.mentions, occurrencePercentage: topic.share, starRatingImpact: topic.starImpact },
              reviewSnippets: [],
            }));
        return { status: 200, body: { ...frame, topics: { positiveTopics: render('positive'), negativeTopics: render('negative') } } };
      }
      const trend = (sentiment: 'positive' | 'negative') =>
        topics
          .filter((topic) => topic.sentiment === sentiment)
          .map((topic) => ({
            topic: topic.topic,
            trendMetrics: [
              ...(topic.priorShare === null
                ? []
                : [
                    {
                      dateRange: { startDate: '2026-09-01T00:00:00Z', endDate: '2026-09-30T23:59:59Z' },
                      asinMetrics: { occurrencePercentage: topic.priorShare },
                    },
                  ]),
              { dateRange, asinMetrics: { occurrencePercentage: topic.share } },
            ],
          }));
      return { status: 200, body: { ...frame, reviewTrends: { positiveTopics: trend('positive'), negativeTopics: trend('negative') } } };
    }
    return { status: 404, body: spError('NotFound', `fake SP-API: no route for ${method} ${path}`) };
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = request.method ?? 'GET';
      const raw = await readRequestText(request);
      const isForm = (request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
      const body: unknown = raw === '' ? undefined : isForm ? raw : (JSON.parse(raw) as unknown);
      requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: isForm ? '[form]' : body });
      const faultIndex = faults.findIndex((fault) => fault.method === method && fault.path.test(url.pathname));
      const token = request.headers['x-amz-access-token'];
      const fbaAnswer = faultIndex >= 0 ? null : fba.route(method, url, body, typeof token === 'string' && tokens.has(token));
      if (fbaAnswer !== null && 'raw' in fbaAnswer) {
        response.writeHead(fbaAnswer.status, { 'content-type': fbaAnswer.contentType });
        response.end(fbaAnswer.raw);
        return;
      }
      const answer =
        faultIndex >= 0
          ? { status: faults.splice(faultIndex, 1)[0]?.status ?? 500, body: spError('QuotaExceeded', 'You exceeded your quota for the requested resource.') }
          : (fbaAnswer ?? (await route(method, url, body, request.headers)));
      response.writeHead(answer.status, { 'content-type': 'application/json', 'x-amzn-RequestId': `fake-${requests.length}` });
      response.end(JSON.stringify(answer.body));
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(spError('InternalFailure', error instanceof Error ? error.message : String(error))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  baseUrl = url;
  return {
    url,
    tokenUrl: `${url}/auth/o2/token`,
    clientId,
    clientSecret,
    refreshToken,
    requests,
    patches,
    tokensIssued: () => tokens.size,
    failNext: (fault) => faults.push(fault),
    createdInboundPlans: fba.createdPlans,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
