import type { ProductsServiceClient } from '@google-shopping/products';
import { googleAuth, googleCall, type GoogleOptions } from '../google/google-client.js';
import type { GoogleOAuthConfig } from '../search-ads/search-analytics-config.js';
import type { FeedItem, ProductFeedsConnector } from './product-feeds-connector.js';

/** How to reach the Merchant Center account. */
export interface MerchantOptions {
  merchantId: string;
  oauth: GoogleOAuthConfig;
  /** https://merchantapi.googleapis.com, or a fake (GOOGLE_MERCHANT_API_BASE). */
  apiBase: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

// Merchant API enums arrive as numbers in REST mode (enum-encoding=int) or as names.
const AVAILABILITY: Record<string, FeedItem['availability']> = {
  '1': 'in_stock',
  IN_STOCK: 'in_stock',
  '2': 'out_of_stock',
  OUT_OF_STOCK: 'out_of_stock',
  '3': 'preorder',
  PREORDER: 'preorder',
  '4': 'in_stock',
  LIMITED_AVAILABILITY: 'in_stock',
  '5': 'backorder',
  BACKORDER: 'backorder',
};
const DISAPPROVED = new Set(['3', 'DISAPPROVED']);

/** An item-level issue code as a short name ("item_missing_required_attribute" → "missing_gtin" where it names the GTIN). */
function issueCode(issue: { code?: string | null; attribute?: string | null }): string {
  const attribute = (issue.attribute ?? '').toLowerCase();
  if (attribute.startsWith('gtin')) return 'missing_gtin';
  if (attribute.includes('image')) return 'image_policy';
  return (issue.code ?? 'issue').toLowerCase();
}

/**
 * Google Merchant Center on Google's official `@google-shopping/products` (Merchant API
 * products v1: `listProducts` with each product's productStatus — destination statuses and
 * item-level issues), loaded on first use and run in the SDK's REST mode (`fallback: true`) so a
 * local fake can stand in. Only the Google feed is live: the Meta and Pinterest catalogs have no
 * live adapter yet (fleet doctor says so).
 */
export function createMerchantProductFeedsConnector(options: MerchantOptions): ProductFeedsConnector {
  const google: GoogleOptions = {
    clientId: options.oauth.clientId,
    clientSecret: options.oauth.clientSecret,
    refreshToken: options.oauth.refreshToken,
    ...(options.oauth.tokenUrl === undefined ? {} : { tokenUrl: options.oauth.tokenUrl }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
  };
  const auth = googleAuth(google);
  let client: Promise<ProductsServiceClient> | undefined;
  const getClient = () =>
    (client ??= (async () => {
      const [{ ProductsServiceClient: Client }, authClient] = await Promise.all([import('@google-shopping/products'), auth()]);
      const url = new URL(options.apiBase);
      const protocol = url.protocol.replace(':', '');
      return new Client({
        fallback: true,
        apiEndpoint: url.hostname,
        port: Number(url.port === '' ? (protocol === 'http' ? 80 : 443) : url.port),
        protocol,
        authClient: authClient as never,
      } as ConstructorParameters<typeof Client>[0]);
    })());
  return {
    source: 'merchant',
    async listItems(): Promise<FeedItem[]> {
      const products = await googleCall(google, 'Merchant', 'listProducts', async () =>
        (await getClient()).listProducts({ parent: `accounts/${options.merchantId}`, pageSize: 1000 }, { autoPaginate: true }).then(([all]) => all),
      );
      return products.map((product) => {
        const attributes = product.productAttributes ?? {};
        const status = product.productStatus ?? {};
        const destinations = status.destinationStatuses ?? [];
        const disapproved =
          destinations.some((destination) => (destination.disapprovedCountries ?? []).length > 0) ||
          (status.itemLevelIssues ?? []).some((issue) => DISAPPROVED.has(String(issue.severity ?? '')));
        const pending = destinations.some((destination) => (destination.pendingCountries ?? []).length > 0);
        return {
          feed: 'google' as const,
          sku: product.offerId ?? '',
          title: attributes.title ?? '',
          gtin: attributes.gtins?.[0] ?? null,
          price: Number(attributes.price?.amountMicros ?? 0) / 1_000_000,
          availability: AVAILABILITY[String(attributes.availability ?? '')] ?? 'in_stock',
          status: disapproved ? ('disapproved' as const) : pending ? ('pending' as const) : ('approved' as const),
          issues: (status.itemLevelIssues ?? [])
            .filter((issue) => !['1', 'NOT_IMPACTED'].includes(String(issue.severity ?? '')))
            .map((issue) => ({ code: issueCode(issue), detail: issue.description ?? issue.code ?? '' })),
          // Merchant Center knows no spend: the job treats every live item as advertised.
          adSpend7d: null,
        };
      });
    },
  };
}
