import type { AdminApiClient } from '@shopify/admin-api-client';
import { probeFailure, type ServiceProbe } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import type { CommerceConnector, InventoryLevel, Order } from './commerce-connector.js';

/** Options for the live Shopify store. */
export interface ShopifyCommerceOptions {
  storeDomain: string;
  accessToken: string;
  apiVersion: string;
  /** Replaces https://<store> in every request (SHOPIFY_API_BASE): proxies and tests. */
  apiBase?: string;
}

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

interface OrdersResponse {
  orders: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      name: string; email: string | null; createdAt: string; displayFinancialStatus: string | null; displayFulfillmentStatus: string;
      customer: { displayName: string } | null; shippingAddress: { city: string | null; provinceCode: string | null } | null;
      lineItems: { nodes: Array<{ sku: string | null; quantity: number; originalUnitPriceSet: { shopMoney: { amount: string } } }> };
    }>;
  };
}

interface InventoryResponse {
  productVariants: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ sku: string | null; displayName: string; inventoryQuantity: number | null; product: { vendor: string } }> };
}

/** The @shopify/admin-api-client client, imported on demand. */
async function loadShopifyClient(options: ShopifyCommerceOptions): Promise<AdminApiClient> {
  const { createAdminApiClient } = await import('@shopify/admin-api-client');
  return createAdminApiClient({
    storeDomain: options.storeDomain,
    apiVersion: options.apiVersion,
    accessToken: options.accessToken,
    // The client always builds https://<store>/admin/api/…; a base override rewrites the origin.
    ...(options.apiBase === undefined ? {} : {
      customFetchApi: (url: string, init?: RequestInit) => {
        const original = new URL(url);
        return fetch(new URL(original.pathname + original.search, options.apiBase), init);
      },
    }),
  });
}

/** Whether the Admin API token works for the store: the shop's name (`fleet doctor`). */
export async function probeShopify(options: ShopifyCommerceOptions): Promise<ServiceProbe> {
  try {
    const response = await (await loadShopifyClient(options)).request<{ shop: { name: string } }>('query { shop { name } }');
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
    const response = await shopify.request<Data>(operation, { variables });
    if (response.errors !== undefined || response.data === undefined) {
      throw new ConnectorError('shopify_request_failed', `Shopify query failed: ${response.errors?.message ?? 'no data'}`, { facts: { status: response.errors?.networkStatusCode } });
    }
    return response.data;
  }

  async function listOrders(options: { since?: Date; openOnly?: boolean } = {}): Promise<Order[]> {
    const filters = [options.since === undefined ? '' : `created_at:>='${options.since.toISOString()}'`, options.openOnly === true ? 'fulfillment_status:unfulfilled' : ''].filter((part) => part !== '');
    const orders: Order[] = [];
    let after: string | null = null;
    do {
      const data: OrdersResponse = await query<OrdersResponse>(ORDERS_QUERY, { query: filters.join(' AND ') || null, after });
      for (const node of data.orders.nodes) {
        orders.push({
          id: node.name, channel: 'dtc', accountId: null,
          customerName: node.customer?.displayName ?? '', customerEmail: node.email ?? '',
          shipCity: node.shippingAddress?.city ?? null, shipProvince: node.shippingAddress?.provinceCode ?? null,
          createdAt: node.createdAt, financialStatus: (node.displayFinancialStatus ?? '').toLowerCase(), fulfillmentStatus: node.displayFulfillmentStatus.toLowerCase(),
          backordered: false, promisedShipDate: null,
          lines: node.lineItems.nodes.filter((line) => line.sku !== null).map((line) => ({ sku: line.sku ?? '', quantity: line.quantity, price: Number(line.originalUnitPriceSet.shopMoney.amount) })),
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
      for (const order of recent) for (const line of order.lines) {
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
          levels.push({ sku: node.sku, name: node.displayName, brand: node.product.vendor, location: 'all', onHand, committed: held, available: onHand - held, dailyVelocity: (sold.get(node.sku) ?? 0) / 30 });
        }
        after = data.productVariants.pageInfo.hasNextPage ? data.productVariants.pageInfo.endCursor : null;
      } while (after !== null);
      return levels;
    },
  };
}
