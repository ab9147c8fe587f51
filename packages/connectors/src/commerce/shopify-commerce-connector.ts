import { AsyncLocalStorage } from 'node:async_hooks';
import type { AdminApiClient } from '@shopify/admin-api-client';
import { probeFailure, type ServiceProbe } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { CommerceConnector, InventoryLevel, Order } from './commerce-connector.js';

/** Options for the live Shopify store. */
export interface ShopifyCommerceOptions {
  storeDomain: string;
  accessToken: string;
  apiVersion: string;
  /** Replaces https://<store> in every request (SHOPIFY_API_BASE): proxies and tests. */
  apiBase?: string;
  /** Each HTTP call's timeout (CONNECTOR_TIMEOUT_MS); default 30 s. */
  timeoutMs?: number;
  /** The run's abort signal (ctx.abortSignal): aborting it ends the calls in flight. */
  abortSignal?: AbortSignal;
}

// The signal of the vendor call in progress, handed to fetch: the client has no per-request signal option.
const requestSignal = new AsyncLocalStorage<AbortSignal>();

const ORDERS_QUERY = `query Orders($query: String, $after: String) {
  orders(first: 100, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      name email createdAt displayFinancialStatus displayFulfillmentStatus
      customer { displayName }
      shippingAddress { city provinceCode }
      lineItems(first: 50) { nodes { sku quantity originalUnitPriceSet { shopMoney { amount } } } }
    }
  }
}`;

const INVENTORY_QUERY = `query Inventory($after: String) {
  productVariants(first: 250, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { sku displayName inventoryQuantity product { vendor } }
  }
}`;

const PRICES_QUERY = `query Prices($after: String) {
  productVariants(first: 250, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { sku price }
  }
}`;

interface PricesResponse {
  productVariants: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ sku: string | null; price: string }> };
}

interface OrdersResponse {
  orders: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      name: string;
      email: string | null;
      createdAt: string;
      displayFinancialStatus: string | null;
      displayFulfillmentStatus: string;
      customer: { displayName: string } | null;
      shippingAddress: { city: string | null; provinceCode: string | null } | null;
      lineItems: { nodes: Array<{ sku: string | null; quantity: number; originalUnitPriceSet: { shopMoney: { amount: string } } }> };
    }>;
  };
}

interface InventoryResponse {
  productVariants: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{ sku: string | null; displayName: string; inventoryQuantity: number | null; product: { vendor: string } }>;
  };
}

/** The @shopify/admin-api-client client, imported on demand. */
async function loadShopifyClient(options: ShopifyCommerceOptions): Promise<AdminApiClient> {
  const { createAdminApiClient } = await import('@shopify/admin-api-client');
  return createAdminApiClient({
    storeDomain: options.storeDomain,
    apiVersion: options.apiVersion,
    accessToken: options.accessToken,
    // The client always builds https://<store>/admin/api/…; a base override rewrites the origin.
    // Every request carries the current call's abort signal (timeout, ctx.abortSignal).
    customFetchApi: (url: string, init?: RequestInit) => {
      const original = new URL(url);
      const target = options.apiBase === undefined ? original : new URL(original.pathname + original.search, options.apiBase);
      const signal = requestSignal.getStore();
      return fetch(target, { ...init, ...(signal === undefined ? {} : { signal }) });
    },
  });
}

/** Whether the Admin API token works for the store: the shop's name (`fleet doctor`). */
export async function probeShopify(options: ShopifyCommerceOptions): Promise<ServiceProbe> {
  try {
    const response = await callVendor('Shopify', 'shop probe', { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS }, async (signal) => {
      const shopify = await loadShopifyClient(options);
      return requestSignal.run(signal, () => shopify.request<{ shop: { name: string } }>('query { shop { name } }'));
    });
    if (response.data !== undefined && response.errors === undefined) return { ok: true, detail: `store ${response.data.shop.name}` };
    const status = response.errors?.networkStatusCode;
    return status === undefined ? { ok: false, unreachable: response.errors?.message ?? 'no answer' } : { ok: false, status };
  } catch (error) {
    return probeFailure(error);
  }
}

/**
 * DTC orders and stock from Shopify's Admin GraphQL API through @shopify/admin-api-client
 * (loaded on first use). The store only knows DTC orders; wholesale POs come from the CRM.
 */
export function createShopifyCommerceConnector(options: ShopifyCommerceOptions): CommerceConnector {
  let clientPromise: Promise<AdminApiClient> | undefined;
  const client = (): Promise<AdminApiClient> => (clientPromise ??= loadShopifyClient(options));

  async function query<Data>(operation: string, variables: Record<string, unknown>): Promise<Data> {
    const shopify = await client();
    const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
    const response = await callVendor('Shopify', 'query', limits, (signal) => requestSignal.run(signal, () => shopify.request<Data>(operation, { variables })));
    if (response.errors !== undefined || response.data === undefined) {
      throw new ConnectorError('shopify_request_failed', `Shopify query failed: ${response.errors?.message ?? 'no data'}`, {
        facts: { status: response.errors?.networkStatusCode },
      });
    }
    return response.data;
  }

  async function listOrders(options: { since?: Date; openOnly?: boolean } = {}): Promise<Order[]> {
    const filters = [
      options.since === undefined ? '' : `created_at:>='${options.since.toISOString()}'`,
      options.openOnly === true ? 'fulfillment_status:unfulfilled' : '',
    ].filter((part) => part !== '');
    const orders: Order[] = [];
    let after: string | null = null;
    do {
      const data: OrdersResponse = await query<OrdersResponse>(ORDERS_QUERY, { query: filters.join(' AND ') || null, after });
      for (const node of data.orders.nodes) {
        orders.push({
          id: node.name,
          channel: 'dtc',
          accountId: null,
          customerName: node.customer?.displayName ?? '',
          customerEmail: node.email ?? '',
          shipCity: node.shippingAddress?.city ?? null,
          shipProvince: node.shippingAddress?.provinceCode ?? null,
          createdAt: node.createdAt,
          financialStatus: (node.displayFinancialStatus ?? '').toLowerCase(),
          fulfillmentStatus: node.displayFulfillmentStatus.toLowerCase(),
          backordered: false,
          promisedShipDate: null,
          lines: node.lineItems.nodes
            .filter((line) => line.sku !== null)
            .map((line) => ({ sku: line.sku ?? '', quantity: line.quantity, price: Number(line.originalUnitPriceSet.shopMoney.amount) })),
        });
      }
      after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
    } while (after !== null);
    return orders;
  }

  return {
    source: 'shopify',
    listOrders,
    async listInventory() {
      // Velocity from the last 30 days of orders: Shopify has no stored rate, and 30 days smooths promotions.
      const since = new Date(Date.now() - 30 * 86_400_000);
      const recent = await listOrders({ since });
      const sold = new Map<string, number>();
      const committed = new Map<string, number>();
      for (const order of recent)
        for (const line of order.lines) {
          sold.set(line.sku, (sold.get(line.sku) ?? 0) + line.quantity);
          if (order.fulfillmentStatus !== 'fulfilled') committed.set(line.sku, (committed.get(line.sku) ?? 0) + line.quantity);
        }
      const levels: InventoryLevel[] = [];
      let after: string | null = null;
      do {
        const data: InventoryResponse = await query<InventoryResponse>(INVENTORY_QUERY, { after });
        for (const node of data.productVariants.nodes) {
          if (node.sku === null || node.sku === '') continue;
          const onHand = node.inventoryQuantity ?? 0;
          const held = committed.get(node.sku) ?? 0;
          levels.push({
            sku: node.sku,
            name: node.displayName,
            brand: node.product.vendor,
            location: 'all',
            onHand,
            committed: held,
            available: onHand - held,
            dailyVelocity: (sold.get(node.sku) ?? 0) / 30,
          });
        }
        after = data.productVariants.pageInfo.hasNextPage ? data.productVariants.pageInfo.endCursor : null;
      } while (after !== null);
      return levels;
    },
    async listPrices() {
      const prices: Array<{ sku: string; price: number }> = [];
      let after: string | null = null;
      do {
        const data: PricesResponse = await query<PricesResponse>(PRICES_QUERY, { after });
        for (const node of data.productVariants.nodes) if (node.sku !== null && node.sku !== '') prices.push({ sku: node.sku, price: Number(node.price) });
        after = data.productVariants.pageInfo.hasNextPage ? data.productVariants.pageInfo.endCursor : null;
      } while (after !== null);
      return prices;
    },
  };
}
