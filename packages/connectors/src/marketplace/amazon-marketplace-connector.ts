import { probeFailure, type Db, type ServiceProbe } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import { createLwaTokenSource } from './lwa-token.js';
import type {
  AmazonListing,
  CatalogPage,
  CompetitiveSummary,
  ListingIssue,
  MarketplaceConnector,
  PatchListingResult,
  ReviewTopic,
} from './marketplace-connector.js';

/** Options for the live SP-API account. */
export interface AmazonSpApiOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sellerId: string;
  marketplaceId: string;
  /** https://sellingpartnerapi-na.amazon.com unless overridden (AMAZON_SP_API_BASE). */
  apiBase: string;
  /** https://api.amazon.com/auth/o2/token unless overridden (AMAZON_LWA_TOKEN_URL). */
  tokenUrl: string;
  /** The SDK's per-operation rate limiter (AMAZON_SP_API_RATE_LIMITER, default on). */
  rateLimiter: boolean;
  db: Db;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

// The slice of the SDK used here: each API module has its own ApiClient and API class.
interface SdkApiClient {
  applyXAmzAccessTokenToRequest(token: string): SdkApiClient;
  disableRateLimiter(): void;
}
type SdkModule = Record<string, Record<string, new (argument?: unknown) => unknown>>;
type Json = Record<string, unknown>;

interface SpApis {
  listings: {
    searchListingsItems(sellerId: string, marketplaceIds: string[], opts: Json): Promise<Json>;
    patchListingsItem(sellerId: string, sku: string, marketplaceIds: string[], body: Json, opts?: Json): Promise<Json>;
  };
  catalog: { getCatalogItem(asin: string, marketplaceIds: string[], opts: Json): Promise<Json> };
  pricing: { getCompetitiveSummary(requests: Json): Promise<Json> };
  feedback: {
    getItemReviewTopics(asin: string, marketplaceId: string, sortBy: string): Promise<Json>;
    getItemReviewTrends(asin: string, marketplaceId: string): Promise<Json>;
  };
  clients: SdkApiClient[];
}

const COMPETITIVE_SUMMARY_URI = '/products/pricing/2022-05-01/items/competitiveSummary';
// getCompetitiveSummary takes at most 20 requests per batch.
const PRICING_BATCH = 20;

async function loadSpApis(options: AmazonSpApiOptions): Promise<SpApis> {
  // Amazon's SDK loads every API module (~0.8 s): only on the first live call of a process.
  const sdk = (await import('@amazon-sp-api-release/amazon-sp-api-sdk-js')) as unknown as SdkModule;
  const clients: SdkApiClient[] = [];
  const api = <Api>(moduleName: string, className: string): Api => {
    const module = sdk[moduleName];
    const ApiClient = module?.['ApiClient'];
    const ApiClass = module?.[className];
    if (ApiClient === undefined || ApiClass === undefined) throw new Error(`the SP-API SDK has no ${moduleName}.${className}`);
    const client = new ApiClient(options.apiBase) as SdkApiClient;
    if (!options.rateLimiter) client.disableRateLimiter();
    clients.push(client);
    return new ApiClass(client) as Api;
  };
  return {
    listings: api('ListingsitemsSpApi', 'ListingsApi'),
    catalog: api('CatalogitemsSpApi', 'CatalogApi'),
    pricing: api('PricingSpApi', 'ProductPricingApi'),
    feedback: api('CustomerFeedback20240601SpApi', 'CustomerFeedbackApi'),
    clients,
  };
}

// Values in listings attributes are arrays of {value, marketplace_id, language_tag}.
function attributeValues(attributes: unknown, name: string): string[] {
  const values = (attributes as Json | undefined)?.[name];
  return Array.isArray(values) ? values.map((item) => String((item as Json)['value'] ?? '')).filter((value) => value !== '') : [];
}

function amount(money: unknown): number | null {
  const value = (money as Json | undefined)?.['amount'];
  return typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : null;
}

function listingOf(item: Json, marketplaceId: string): AmazonListing {
  const summaries = Array.isArray(item['summaries']) ? (item['summaries'] as Json[]) : [];
  const summary = summaries.find((entry) => entry['marketplaceId'] === marketplaceId) ?? summaries[0] ?? {};
  const offers = Array.isArray(item['offers']) ? (item['offers'] as Json[]) : [];
  const offer = offers.find((entry) => entry['marketplaceId'] === marketplaceId && entry['offerType'] !== 'B2B') ?? offers[0];
  const issues = Array.isArray(item['issues']) ? (item['issues'] as Json[]) : [];
  return {
    sku: String(item['sku']),
    asin: String(summary['asin'] ?? ''),
    productType: String(summary['productType'] ?? 'PRODUCT'),
    title: String(summary['itemName'] ?? ''),
    statuses: Array.isArray(summary['status']) ? (summary['status'] as unknown[]).map(String) : [],
    issues: issues.map((issue): ListingIssue => ({
      code: String(issue['code']),
      message: String(issue['message']),
      severity: String(issue['severity']) as ListingIssue['severity'],
      enforcements: Array.isArray((issue['enforcements'] as Json | undefined)?.['actions'])
        ? ((issue['enforcements'] as Json)['actions'] as Json[]).map((action) => String(action['action']))
        : [],
      attributeNames: Array.isArray(issue['attributeNames']) ? (issue['attributeNames'] as unknown[]).map(String) : [],
    })),
    price: offer === undefined ? null : amount(offer['price']),
    // Sales per ASIN are the Sales API's (getOrderMetrics per ASIN, one call each); not read here,
    // so every listing counts as selling and a suppression is never dismissed for lack of sales.
    unitsSold30d: null,
  };
}

function catalogPageOf(item: Json, marketplaceId: string): CatalogPage {
  const summaries = Array.isArray(item['summaries']) ? (item['summaries'] as Json[]) : [];
  const summary = summaries.find((entry) => entry['marketplaceId'] === marketplaceId) ?? summaries[0] ?? {};
  const imageSets = Array.isArray(item['images']) ? (item['images'] as Json[]) : [];
  const images = (imageSets.find((entry) => entry['marketplaceId'] === marketplaceId) ?? imageSets[0])?.['images'];
  const main = Array.isArray(images) ? (images as Json[]).find((image) => image['variant'] === 'MAIN') : undefined;
  return {
    asin: String(item['asin']),
    title: String(summary['itemName'] ?? attributeValues(item['attributes'], 'item_name')[0] ?? ''),
    bullets: attributeValues(item['attributes'], 'bullet_point'),
    brand: String(summary['brand'] ?? attributeValues(item['attributes'], 'brand')[0] ?? ''),
    mainImage: main === undefined ? null : String(main['link']),
    // The Catalog Items API shows the merged page, not who contributed each value.
    contributors: {},
  };
}

function summaryOf(body: Json, ourSellerId: string): CompetitiveSummary {
  const options = Array.isArray(body['featuredBuyingOptions']) ? (body['featuredBuyingOptions'] as Json[]) : [];
  const newOption = options.find((option) => option['buyingOptionType'] === 'New') ?? options[0];
  const segmented = Array.isArray(newOption?.['segmentedFeaturedOffers']) ? (newOption['segmentedFeaturedOffers'] as Json[]) : [];
  // The offer featured to most customers; ours wins a tie, since any segment featuring us is the Buy Box for them.
  const featured = segmented.find((offer) => offer['sellerId'] === ourSellerId) ?? segmented[0];
  const references = Array.isArray(body['referencePrices']) ? (body['referencePrices'] as Json[]) : [];
  const competitive = references.find((reference) => reference['name'] === 'CompetitivePrice');
  const lowestGroups = Array.isArray(body['lowestPricedOffers']) ? (body['lowestPricedOffers'] as Json[]) : [];
  const lowestPrices = lowestGroups
    .flatMap((group) => (Array.isArray(group['offers']) ? (group['offers'] as Json[]) : []))
    .map((offer) => amount(offer['listingPrice']))
    .filter((price): price is number => price !== null);
  const featuredPrice = featured === undefined ? null : amount(featured['listingPrice']);
  return {
    asin: String(body['asin']),
    featuredOffer: featured === undefined || featuredPrice === null ? null : { sellerId: String(featured['sellerId']), price: featuredPrice },
    competitivePrice: competitive === undefined ? null : amount(competitive['price']),
    lowestPrice: lowestPrices.length === 0 ? null : Math.min(...lowestPrices),
  };
}

function topicsOf(list: unknown, sentiment: ReviewTopic['sentiment']): ReviewTopic[] {
  return (Array.isArray(list) ? (list as Json[]) : []).map((topic) => {
    const metrics = (topic['asinMetrics'] ?? {}) as Json;
    return {
      topic: String(topic['topic']),
      sentiment,
      share: Number(metrics['occurrencePercentage'] ?? 0),
      mentions: Number(metrics['numberOfMentions'] ?? 0),
      starImpact: Number(metrics['starRatingImpact'] ?? 0),
    };
  });
}

/** An SP-API failure as a ConnectorError: superagent errors carry the HTTP status and SP-API's {errors:[{code,message}]} body. */
export function spApiError(operation: string, error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const status = (error as { status?: number }).status;
  const body = (error as { response?: { body?: { errors?: Array<{ code?: string; message?: string }> } } }).response?.body;
  const first = body?.errors?.[0];
  const detail = first === undefined ? (error instanceof Error ? error.message : String(error)) : `${first.code ?? ''} ${first.message ?? ''}`.trim();
  const hint = status === 401 || status === 403 ? ' (check the LWA credentials and the app’s SP-API roles)' : status === 429 ? ' (throttled: retry later)' : '';
  const failure = new ConnectorError(
    'amazon_request_failed',
    `Amazon SP-API ${operation} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}${hint}`,
    {
      facts: { operation, status: status ?? null, code: first?.code ?? null },
      cause: error,
    },
  );
  if (status === 429 || (status !== undefined && status >= 500)) Object.assign(failure, { retryAfterMs: 5000 });
  return failure;
}

/** Whether the credentials reach SP-API: one listings search (`fleet doctor`). */
export async function probeAmazonSpApi(options: Omit<AmazonSpApiOptions, 'db'>): Promise<ServiceProbe> {
  try {
    const connector = createAmazonMarketplaceConnector({ ...options, db: undefined as never });
    const listings = await connector.listListings();
    return { ok: true, detail: `seller ${options.sellerId}: ${listings.length} listings` };
  } catch (error) {
    return probeFailure(error);
  }
}

/**
 * Amazon SP-API through Amazon's own SDK, @amazon-sp-api-release/amazon-sp-api-sdk-js (catalogue
 * §10.3: it covers every API the jobs call, Customer Feedback 2024-06-01 included), loaded on the
 * first call. Tokens come from our LWA exchange; a listing patch runs under the side-effect ledger.
 */
export function createAmazonMarketplaceConnector(options: AmazonSpApiOptions): MarketplaceConnector {
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const token = createLwaTokenSource(options, limits);
  let apisPromise: Promise<SpApis> | undefined;
  const marketplaceIds = [options.marketplaceId];
  const call = async <Result>(operation: string, run: (apis: SpApis) => Promise<Result>): Promise<Result> => {
    try {
      const apis = await (apisPromise ??= loadSpApis(options));
      const accessToken = await token();
      for (const client of apis.clients) client.applyXAmzAccessTokenToRequest(accessToken);
      // superagent takes no abort signal here: at the deadline the call is abandoned and answered.
      return await callVendor('Amazon SP-API', operation, limits, () => run(apis));
    } catch (error) {
      throw spApiError(operation, error);
    }
  };

  return {
    source: 'amazon',
    sellerId: options.sellerId,
    async listListings() {
      const listings: AmazonListing[] = [];
      let pageToken: string | undefined;
      do {
        const page = await call('searchListingsItems', (apis) =>
          apis.listings.searchListingsItems(options.sellerId, marketplaceIds, {
            includedData: ['summaries', 'issues', 'offers'],
            pageSize: 20,
            ...(pageToken === undefined ? {} : { pageToken }),
          }),
        );
        for (const item of (page['items'] as Json[] | undefined) ?? []) listings.push(listingOf(item, options.marketplaceId));
        const next = (page['pagination'] as Json | undefined)?.['nextToken'];
        pageToken = typeof next === 'string' && next !== '' ? next : undefined;
      } while (pageToken !== undefined);
      return listings;
    },
    async getCatalogPages(asins) {
      const pages: CatalogPage[] = [];
      for (const asin of asins) {
        const item = await call('getCatalogItem', (apis) =>
          apis.catalog.getCatalogItem(asin, marketplaceIds, { includedData: ['attributes', 'images', 'summaries'] }),
        );
        pages.push(catalogPageOf(item, options.marketplaceId));
      }
      return pages;
    },
    async getCompetitiveSummaries(asins) {
      const summaries: CompetitiveSummary[] = [];
      for (let start = 0; start < asins.length; start += PRICING_BATCH) {
        const batch = asins.slice(start, start + PRICING_BATCH);
        const answer = await call('getCompetitiveSummary', (apis) =>
          apis.pricing.getCompetitiveSummary({
            requests: batch.map((asin) => ({
              asin,
              marketplaceId: options.marketplaceId,
              includedData: ['featuredBuyingOptions', 'referencePrices', 'lowestPricedOffers'],
              lowestPricedOffersInputs: [{ itemCondition: 'New', offerType: 'Consumer' }],
              method: 'GET',
              uri: COMPETITIVE_SUMMARY_URI,
            })),
          }),
        );
        for (const response of (answer['responses'] as Json[] | undefined) ?? []) {
          const status = Number((response['status'] as Json | undefined)?.['statusCode'] ?? 200);
          const body = (response['body'] ?? {}) as Json;
          if (status >= 400) {
            const asin = String(((response['request'] as Json | undefined)?.['asin'] as string | undefined) ?? body['asin'] ?? '?');
            throw new ConnectorError('amazon_request_failed', `Amazon SP-API getCompetitiveSummary failed for ${asin} (HTTP ${status})`, {
              facts: { operation: 'getCompetitiveSummary', status, asin },
            });
          }
          summaries.push(summaryOf(body, options.sellerId));
        }
      }
      return summaries;
    },
    async patchListing(input) {
      const ledger = createSideEffectLedger(options.db, options.abortSignal === undefined ? {} : { signal: options.abortSignal });
      const { result, performed } = await ledger.run<PatchListingResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'amazon',
        action: 'patch_listing',
        request: { sku: input.sku, productType: input.productType, patches: input.patches },
        // A patch sets attributes to given values: applying it again after an uncertain attempt
        // changes nothing more, so there is nothing to look up before trying again.
        lookup: async () => null,
        perform: async () => {
          const answer = await call('patchListingsItem', (apis) =>
            apis.listings.patchListingsItem(options.sellerId, input.sku, marketplaceIds, { productType: input.productType, patches: input.patches }),
          );
          const issues = Array.isArray(answer['issues']) ? (answer['issues'] as Json[]) : [];
          return {
            sku: String(answer['sku'] ?? input.sku),
            submissionId: String(answer['submissionId'] ?? ''),
            status: String(answer['status'] ?? 'ACCEPTED') as PatchListingResult['status'],
            applied: true,
            issues: issues.map((issue) => ({ code: String(issue['code']), message: String(issue['message']) })),
          };
        },
      });
      return { ...result, applied: performed };
    },
    async getReviewTopics(asin) {
      const topics = await call('getItemReviewTopics', (apis) => apis.feedback.getItemReviewTopics(asin, options.marketplaceId, 'MENTIONS'));
      const trends = await call('getItemReviewTrends', (apis) => apis.feedback.getItemReviewTrends(asin, options.marketplaceId));
      const lists = (topics['topics'] ?? {}) as Json;
      const priorShare: Record<string, number> = {};
      const trendLists = (trends['reviewTrends'] ?? {}) as Json;
      for (const list of [trendLists['positiveTopics'], trendLists['negativeTopics']]) {
        for (const trend of Array.isArray(list) ? (list as Json[]) : []) {
          // Monthly points, oldest first: the one before the newest is the prior month.
          const points = Array.isArray(trend['trendMetrics']) ? (trend['trendMetrics'] as Json[]) : [];
          const prior = points.at(-2);
          const share = (prior?.['asinMetrics'] as Json | undefined)?.['occurrencePercentage'];
          if (typeof share === 'number') priorShare[String(trend['topic'])] = share;
        }
      }
      return {
        asin,
        current: [...topicsOf(lists['positiveTopics'], 'positive'), ...topicsOf(lists['negativeTopics'], 'negative')],
        priorShare,
        // Star ratings over time are not in SP-API (Catalog Items has no rating): the rating rule needs the sample or a store feed.
        ratingNow: null,
        rating30dAgo: null,
      };
    },
  };
}
