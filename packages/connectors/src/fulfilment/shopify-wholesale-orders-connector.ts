import type { Db } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { allNodes, shopifyGraphql, type ShopifyGraphqlOptions } from './shopify-graphql.js';
import type { WholesaleOrder, WholesaleOrdersConnector } from './wholesale-orders-connector.js';

/** The live wholesale side: the store's Admin API, the brain for the side-effect ledger. */
export interface ShopifyWholesaleOptions extends ShopifyGraphqlOptions {
  db: Db;
  leaseSeconds?: number;
}

// Wholesale POs are B2B orders tagged `wholesale` whose ship window rides in custom attributes
// (ship_window_start / ship_window_end, YYYY-MM-DD) with the account's allocation_tier and the
// retailer's short_ship_fine_pct, as the B2B checkout or the ERP sync writes them.
const WHOLESALE_QUERY = `#graphql
  query WholesaleOrders($query: String!, $after: String) {
    orders(first: 100, after: $after, query: $query) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        email
        customAttributes { key value }
        purchasingEntity { ... on PurchasingCompany { company { id name externalId } } }
        lineItems(first: 100) { nodes { id sku quantity currentQuantity originalUnitPriceSet { shopMoney { amount } } } }
      }
    }
  }`;

const ORDER_LINES_QUERY = `#graphql
  query OrderLines($id: ID!) {
    order(id: $id) { id name lineItems(first: 100) { nodes { id sku currentQuantity } } }
  }`;

const EDIT_BEGIN = `#graphql
  mutation AllocationEditBegin($id: ID!) {
    orderEditBegin(id: $id) {
      calculatedOrder { id lineItems(first: 100) { nodes { id sku quantity } } }
      userErrors { field message }
    }
  }`;

const EDIT_SET_QUANTITY = `#graphql
  mutation AllocationSetQuantity($id: ID!, $lineItemId: ID!, $quantity: Int!) {
    orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: true) {
      calculatedLineItem { id quantity }
      userErrors { field message }
    }
  }`;

const EDIT_COMMIT = `#graphql
  mutation AllocationCommit($id: ID!, $staffNote: String) {
    orderEditCommit(id: $id, notifyCustomer: false, staffNote: $staffNote) {
      order { id lineItems(first: 100) { nodes { sku currentQuantity } } }
      userErrors { field message }
    }
  }`;

interface WholesaleNode {
  id: string;
  name: string;
  email: string | null;
  customAttributes: Array<{ key: string; value: string | null }>;
  purchasingEntity: { company?: { id: string; name: string; externalId: string | null } } | null;
  lineItems: {
    nodes: Array<{ id: string; sku: string | null; quantity: number; currentQuantity: number; originalUnitPriceSet: { shopMoney: { amount: string } } }>;
  };
}
type UserErrors = Array<{ field: string[] | null; message: string }>;

const TIERS = new Set(['A', 'B', 'C']);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function orderOf(node: WholesaleNode): WholesaleOrder | null {
  const attribute = (key: string) => node.customAttributes.find((entry) => entry.key === key)?.value?.trim() ?? '';
  const end = attribute('ship_window_end');
  // No window, no allocation: the order ships whenever it is picked.
  if (!DAY.test(end)) return null;
  const start = attribute('ship_window_start');
  const tier = attribute('allocation_tier').toUpperCase();
  const company = node.purchasingEntity?.company;
  return {
    orderId: node.name,
    vendorId: node.id,
    accountId: company?.externalId ?? null,
    customerName: company?.name ?? node.name,
    customerEmail: node.email ?? '',
    windowStart: DAY.test(start) ? start : end,
    windowEnd: end,
    tier: (TIERS.has(tier) ? tier : 'B') as WholesaleOrder['tier'],
    shortFinePct: Number(attribute('short_ship_fine_pct')) || 0,
    lines: node.lineItems.nodes
      .filter((line) => line.sku !== null && line.currentQuantity > 0)
      .map((line) => ({ sku: line.sku ?? '', quantity: line.currentQuantity, price: Number(line.originalUnitPriceSet.shopMoney.amount) })),
  };
}

function failOn(what: string, errors: UserErrors | undefined, orderId: string): void {
  if (errors === undefined || errors.length === 0) return;
  throw new ConnectorError('shopify_request_failed', `Shopify ${what} for ${orderId} refused: ${errors.map((error) => error.message).join('; ')}`, {
    facts: { what, orderId },
  });
}

/**
 * Wholesale POs on Shopify's Admin GraphQL API: open orders tagged `wholesale` with their ship
 * window attributes, and an allocation applied as one order edit (begin → set quantities with
 * restock → commit with a staff note), once per key through the side-effect ledger.
 */
export function createShopifyWholesaleOrdersConnector(options: ShopifyWholesaleOptions): WholesaleOrdersConnector {
  const graphql = shopifyGraphql(options);
  const ledger = createSideEffectLedger(options.db, {
    ...(options.leaseSeconds === undefined ? {} : { leaseSeconds: options.leaseSeconds }),
    ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
  });
  const currentLines = async (vendorId: string) => {
    const data = await graphql<{ order: { lineItems: { nodes: Array<{ id: string; sku: string | null; currentQuantity: number }> } } | null }>(
      ORDER_LINES_QUERY,
      { id: vendorId },
      'wholesale order lines',
    );
    if (data.order === null) throw new ConnectorError('shopify_request_failed', `Shopify has no order ${vendorId}`, { facts: { vendorId } });
    return data.order.lineItems.nodes;
  };
  return {
    source: 'shopify',
    async listOpenWholesaleOrders() {
      const nodes = await allNodes<{ orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: WholesaleNode[] } }, WholesaleNode>(
        graphql,
        WHOLESALE_QUERY,
        { query: 'status:open fulfillment_status:unfulfilled tag:wholesale' },
        'wholesale orders',
        (data) => data.orders,
      );
      return nodes
        .map(orderOf)
        .filter((order): order is WholesaleOrder => order !== null)
        .sort((left, right) => left.windowEnd.localeCompare(right.windowEnd) || left.orderId.localeCompare(right.orderId));
    },
    async applyAllocation(input) {
      const target = new Map(input.lines.map((line) => [line.sku, line.allocate]));
      const asLines = (nodes: Array<{ sku: string | null; currentQuantity: number }>) =>
        nodes.filter((line) => line.sku !== null).map((line) => ({ sku: line.sku ?? '', quantity: line.currentQuantity }));
      const { result, performed } = await ledger.run<{ applied: boolean; lines: Array<{ sku: string; quantity: number }> }>({
        idempotencyKey: `${input.idempotencyKey}:shopify:order-edit`,
        connector: 'shopify',
        action: 'orderEditCommit',
        request: { orderId: input.orderId, vendorId: input.vendorId, lines: input.lines },
        // After an uncertain attempt: every allocated line already at its quantity means the edit was committed.
        lookup: async () => {
          const lines = await currentLines(input.vendorId);
          const done = lines.every((line) => line.sku === null || !target.has(line.sku) || line.currentQuantity === target.get(line.sku));
          return done ? { applied: true, lines: asLines(lines) } : null;
        },
        perform: async () => {
          const begun = await graphql<{
            orderEditBegin: {
              calculatedOrder: { id: string; lineItems: { nodes: Array<{ id: string; sku: string | null; quantity: number }> } } | null;
              userErrors: UserErrors;
            };
          }>(EDIT_BEGIN, { id: input.vendorId }, 'orderEditBegin');
          failOn('orderEditBegin', begun.orderEditBegin.userErrors, input.orderId);
          const calculated = begun.orderEditBegin.calculatedOrder;
          if (calculated === null)
            throw new ConnectorError('shopify_request_failed', `Shopify orderEditBegin for ${input.orderId} returned no order`, { facts: {} });
          for (const line of calculated.lineItems.nodes) {
            const allocate = line.sku === null ? undefined : target.get(line.sku);
            if (allocate === undefined || allocate >= line.quantity) continue;
            const set = await graphql<{ orderEditSetQuantity: { userErrors: UserErrors } }>(
              EDIT_SET_QUANTITY,
              { id: calculated.id, lineItemId: line.id, quantity: allocate },
              'orderEditSetQuantity',
            );
            failOn('orderEditSetQuantity', set.orderEditSetQuantity.userErrors, input.orderId);
          }
          const short = input.lines.filter((line) => line.allocate < line.ordered);
          const committed = await graphql<{
            orderEditCommit: { order: { lineItems: { nodes: Array<{ sku: string | null; currentQuantity: number }> } } | null; userErrors: UserErrors };
          }>(
            EDIT_COMMIT,
            {
              id: calculated.id,
              staffNote: `Allocated by shipbot: ${short.map((line) => `${line.sku} ${line.allocate}/${line.ordered}`).join(', ')}${input.backorderShipDate === null ? '' : `; the rest ships ${input.backorderShipDate}`}`,
            },
            'orderEditCommit',
          );
          failOn('orderEditCommit', committed.orderEditCommit.userErrors, input.orderId);
          return { applied: true, lines: asLines(committed.orderEditCommit.order?.lineItems.nodes ?? []) };
        },
      });
      return { ...result, applied: performed };
    },
  };
}
