import type { Db } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import type { FulfilmentConnector, HoldOrderInput, HoldOrderResult, OrderRiskCase, StockLevel } from './fulfilment-connector.js';
import { allNodes, shopifyGraphql, type ShopifyGraphqlOptions } from './shopify-graphql.js';

/** Options for the live store's fulfilment side. */
export interface ShopifyFulfilmentOptions extends ShopifyGraphqlOptions {
  /** The brain: holds and cancellations go through the side-effect ledger. */
  db: Db;
  leaseSeconds?: number;
  /** The location an order with no assigned location ships from (the first warehouse). */
  primaryLocation?: string;
}

const QUANTITY_NAMES = ['available', 'committed', 'incoming', 'on_hand', 'reserved'] as const;

const STOCK_QUERY = `query StockLevels($after: String) {
  inventoryItems(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      sku
      variant { displayName price }
      inventoryLevels(first: 50) { nodes { location { name } quantities(names: ${JSON.stringify(QUANTITY_NAMES)}) { name quantity } } }
    }
  }
}`;

const SALES_QUERY = `query SalesHistory($query: String, $after: String) {
  orders(first: 100, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      createdAt cancelledAt
      lineItems(first: 100) { nodes { sku quantity } }
      fulfillmentOrders(first: 5) { nodes { assignedLocation { location { name } } } }
    }
  }
}`;

const RISK_QUERY = `query OrderRisk($query: String, $after: String) {
  orders(first: 100, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt email displayFulfillmentStatus
      customer { displayName numberOfOrders }
      totalPriceSet { shopMoney { amount } }
      risk { assessments { riskLevel facts { description sentiment } } }
      billingAddress { countryCodeV2 }
      shippingAddress { address1 city provinceCode zip countryCodeV2 }
    }
  }
}`;

const FULFILLMENT_ORDERS_QUERY = `query OrderFulfillmentOrders($id: ID!) {
  order(id: $id) { id cancelledAt displayFulfillmentStatus fulfillmentOrders(first: 10) { nodes { id status fulfillmentHolds { handle } } } }
}`;

const HOLD_MUTATION = `mutation HoldFulfillmentOrder($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {
  fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {
    fulfillmentHold { id }
    fulfillmentOrder { id status }
    userErrors { field message code }
  }
}`;

const CANCEL_MUTATION = `mutation CancelOrder($orderId: ID!, $reason: OrderCancelReason!, $refundMethod: OrderCancelRefundMethodInput!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id }
    orderCancelUserErrors { field message code }
  }
}`;

const ITEM_BY_SKU_QUERY = `query InventoryItemBySku($query: String, $after: String) {
  inventoryItems(first: 5, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku inventoryLevels(first: 50) { nodes { location { id name } quantities(names: ["available"]) { name quantity } } } }
  }
}`;

const SET_QUANTITIES_MUTATION = `mutation SetAvailable($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}`;

const RETURNS_QUERY = `query Returns($query: String, $after: String) {
  orders(first: 50, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      name
      returns(first: 10) {
        nodes {
          id createdAt
          returnLineItems(first: 50) { nodes { quantity returnReason customerNote ... on ReturnLineItem { fulfillmentLineItem { lineItem { sku } } } } }
        }
      }
    }
  }
}`;

interface ReturnsNode {
  name: string;
  returns?: {
    nodes: Array<{
      id: string;
      createdAt: string;
      returnLineItems: {
        nodes: Array<{
          quantity: number;
          returnReason: string;
          customerNote: string | null;
          fulfillmentLineItem?: { lineItem: { sku: string | null } | null } | null;
        }>;
      };
    }>;
  };
}

interface ItemNode {
  id: string;
  sku: string | null;
  inventoryLevels: { nodes: Array<{ location: { id: string; name: string }; quantities: Array<{ name: string; quantity: number }> }> };
}

interface Connection<Node> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Node[];
}

interface StockNode {
  sku: string | null;
  variant: { displayName: string; price: string } | null;
  inventoryLevels: { nodes: Array<{ location: { name: string }; quantities: Array<{ name: string; quantity: number }> }> };
}

interface SalesNode {
  createdAt: string;
  cancelledAt: string | null;
  lineItems: { nodes: Array<{ sku: string | null; quantity: number }> };
  fulfillmentOrders: { nodes: Array<{ assignedLocation: { location: { name: string } | null } | null }> };
}

interface RiskNode {
  id: string;
  name: string;
  createdAt: string;
  email: string | null;
  displayFulfillmentStatus: string;
  customer: { displayName: string; numberOfOrders: string } | null;
  totalPriceSet: { shopMoney: { amount: string } };
  risk: { assessments: Array<{ riskLevel: string; facts: Array<{ description: string; sentiment: string }> }> } | null;
  billingAddress: { countryCodeV2: string | null } | null;
  shippingAddress: { address1: string | null; city: string | null; provinceCode: string | null; zip: string | null; countryCodeV2: string | null } | null;
}

interface FulfillmentOrdersData {
  order: {
    id: string;
    cancelledAt: string | null;
    fulfillmentOrders: { nodes: Array<{ id: string; status: string; fulfillmentHolds: Array<{ handle: string | null }> }> };
  } | null;
}

const RISK_ORDER = ['NONE', 'PENDING', 'LOW', 'MEDIUM', 'HIGH'] as const;
const DAY_MS = 86_400_000;
/** The selling rate's window (catalogue: 28-day velocity). */
const VELOCITY_DAYS = 28;

/**
 * The store's fulfilment side on Shopify's Admin GraphQL API: inventory levels by quantity name,
 * 28-day velocity from orders (by the location that fulfils them), order risk, and holds and
 * cancellations executed once through the side-effect ledger.
 */
export function createShopifyFulfilmentConnector(options: ShopifyFulfilmentOptions): FulfilmentConnector {
  const graphql = shopifyGraphql(options);
  const ledger = createSideEffectLedger(options.db, {
    ...(options.leaseSeconds === undefined ? {} : { leaseSeconds: options.leaseSeconds }),
    ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
  });
  const primary = options.primaryLocation ?? 'PDX-1';

  async function velocities(): Promise<Map<string, number>> {
    const since = new Date(Date.now() - VELOCITY_DAYS * DAY_MS).toISOString();
    const orders = await allNodes<{ orders: Connection<SalesNode> }, SalesNode>(
      graphql,
      SALES_QUERY,
      // Wholesale POs (B2B orders tagged wholesale) are not the selling rate: wholesale-allocation weighs them against it.
      { query: `created_at:>='${since}' -tag:wholesale` },
      'sales history',
      (data) => data.orders,
    );
    const units = new Map<string, number>();
    for (const order of orders) {
      if (order.cancelledAt !== null) continue;
      const location = order.fulfillmentOrders.nodes[0]?.assignedLocation?.location?.name ?? primary;
      for (const line of order.lineItems.nodes)
        if (line.sku !== null) units.set(`${line.sku}@${location}`, (units.get(`${line.sku}@${location}`) ?? 0) + line.quantity);
    }
    return new Map([...units.entries()].map(([key, total]) => [key, Math.round((total / VELOCITY_DAYS) * 100) / 100]));
  }

  async function fulfillmentOrdersOf(vendorId: string): Promise<NonNullable<FulfillmentOrdersData['order']>> {
    const data = await graphql<FulfillmentOrdersData>(FULFILLMENT_ORDERS_QUERY, { id: vendorId }, 'fulfillment orders');
    if (data.order === null) throw new ConnectorError('shopify_order_not_found', `Shopify has no order ${vendorId}`, { facts: { vendorId } });
    return data.order;
  }

  async function applyHold(input: HoldOrderInput, handle: string): Promise<HoldOrderResult> {
    const order = await fulfillmentOrdersOf(input.vendorId);
    const holdable = order.fulfillmentOrders.nodes.filter((node) => node.status === 'OPEN' || node.status === 'SCHEDULED');
    if (holdable.length === 0)
      throw new ConnectorError('shopify_order_not_holdable', `Shopify order ${input.orderId} has no open fulfilment order to hold`, {
        facts: { orderId: input.orderId },
      });
    for (const node of holdable) {
      const data = await graphql<{ fulfillmentOrderHold: { userErrors: Array<{ message: string; code: string | null }> } }>(
        HOLD_MUTATION,
        {
          id: node.id,
          fulfillmentHold: {
            reason: /address/i.test(input.reason) ? 'INCORRECT_ADDRESS' : 'HIGH_RISK_OF_FRAUD',
            reasonNotes: input.reason,
            handle,
            notifyMerchant: false,
          },
        },
        'fulfillmentOrderHold',
      );
      const errors = data.fulfillmentOrderHold.userErrors;
      if (errors.length > 0)
        throw new ConnectorError('shopify_hold_rejected', `Shopify refused to hold ${input.orderId}: ${errors.map((error) => error.message).join('; ')}`, {
          facts: { orderId: input.orderId },
        });
    }
    return { orderId: input.orderId, kind: 'hold', applied: true, status: 'on_hold' };
  }

  async function applyCancel(input: HoldOrderInput): Promise<HoldOrderResult> {
    const data = await graphql<{ orderCancel: { orderCancelUserErrors: Array<{ message: string }> } }>(
      CANCEL_MUTATION,
      {
        orderId: input.vendorId,
        reason: 'FRAUD',
        refundMethod: { originalPaymentMethodsRefund: true },
        restock: true,
        notifyCustomer: true,
        staffNote: input.reason,
      },
      'orderCancel',
    );
    const errors = data.orderCancel.orderCancelUserErrors;
    if (errors.length > 0)
      throw new ConnectorError('shopify_cancel_rejected', `Shopify refused to cancel ${input.orderId}: ${errors.map((error) => error.message).join('; ')}`, {
        facts: { orderId: input.orderId },
      });
    return { orderId: input.orderId, kind: 'cancel', applied: true, status: 'cancelled' };
  }

  return {
    source: 'shopify',
    async listStockLevels() {
      const [items, rates] = await Promise.all([
        allNodes<{ inventoryItems: Connection<StockNode> }, StockNode>(graphql, STOCK_QUERY, {}, 'inventory levels', (data) => data.inventoryItems),
        velocities(),
      ]);
      const levels: StockLevel[] = [];
      for (const item of items) {
        if (item.sku === null || item.sku === '') continue;
        for (const level of item.inventoryLevels.nodes) {
          const quantity = (name: (typeof QUANTITY_NAMES)[number]) => level.quantities.find((candidate) => candidate.name === name)?.quantity ?? 0;
          levels.push({
            sku: item.sku,
            name: item.variant?.displayName ?? item.sku,
            price: Number(item.variant?.price ?? 0),
            location: level.location.name,
            onHand: quantity('on_hand'),
            committed: quantity('committed'),
            reserved: quantity('reserved'),
            available: quantity('available'),
            incoming: quantity('incoming'),
            dailyVelocity: rates.get(`${item.sku}@${level.location.name}`) ?? 0,
          });
        }
      }
      return levels.sort((left, right) => left.sku.localeCompare(right.sku) || left.location.localeCompare(right.location));
    },
    async listOrderRisk(since) {
      const query = ['fulfillment_status:unshipped', 'status:open', ...(since === undefined ? [] : [`created_at:>='${since.toISOString()}'`])].join(' AND ');
      const nodes = await allNodes<{ orders: Connection<RiskNode> }, RiskNode>(graphql, RISK_QUERY, { query }, 'order risk', (data) => data.orders);
      return nodes
        .filter((node) => node.displayFulfillmentStatus === 'UNFULFILLED')
        .map((node): OrderRiskCase => {
          // The highest level any assessment gives (Shopify's own and third-party apps').
          const assessments = node.risk?.assessments ?? [];
          const level = assessments.reduce<(typeof RISK_ORDER)[number]>((highest, assessment) => {
            const candidate = RISK_ORDER.find((name) => name === assessment.riskLevel) ?? 'PENDING';
            return RISK_ORDER.indexOf(candidate) > RISK_ORDER.indexOf(highest) ? candidate : highest;
          }, 'NONE');
          const shippingCountry = node.shippingAddress?.countryCodeV2 ?? 'US';
          return {
            orderId: node.name,
            vendorId: node.id,
            createdAt: node.createdAt,
            customerName: node.customer?.displayName ?? '',
            customerEmail: node.email ?? '',
            total: Number(node.totalPriceSet.shopMoney.amount),
            riskLevel: level,
            facts: assessments.flatMap((assessment) => assessment.facts),
            billingCountry: node.billingAddress?.countryCodeV2 ?? shippingCountry,
            shippingCountry,
            customerOrders: Number(node.customer?.numberOfOrders ?? 1),
            shippingAddress: {
              address1: node.shippingAddress?.address1 ?? null,
              city: node.shippingAddress?.city ?? null,
              province: node.shippingAddress?.provinceCode ?? null,
              zip: node.shippingAddress?.zip ?? null,
              country: shippingCountry,
            },
          };
        });
    },
    async holdOrder(input) {
      // The hold's handle carries our key, so after an uncertain attempt the lookup finds it at Shopify.
      const handle = `jbot-${input.idempotencyKey}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
      const { result, performed } = await ledger.run<HoldOrderResult>({
        idempotencyKey: `${input.idempotencyKey}:shopify:${input.kind}`,
        connector: 'shopify',
        action: input.kind === 'hold' ? 'fulfillmentOrderHold' : 'orderCancel',
        request: { orderId: input.orderId, vendorId: input.vendorId, reason: input.reason },
        lookup: async () => {
          const order = await fulfillmentOrdersOf(input.vendorId);
          if (input.kind === 'cancel')
            return order.cancelledAt === null ? null : { orderId: input.orderId, kind: 'cancel', applied: true, status: 'cancelled' };
          const held = order.fulfillmentOrders.nodes.some((node) => node.fulfillmentHolds.some((hold) => hold.handle === handle));
          return held ? { orderId: input.orderId, kind: 'hold', applied: true, status: 'on_hold' } : null;
        },
        perform: () => (input.kind === 'hold' ? applyHold(input, handle) : applyCancel(input)),
      });
      return { ...result, applied: performed };
    },
    async listReturns(since) {
      // A return updates its order, so orders updated since `since` hold every return requested since.
      const orders = await allNodes<{ orders: Connection<ReturnsNode> }, ReturnsNode>(
        graphql,
        RETURNS_QUERY,
        { query: `updated_at:>='${since.toISOString()}'` },
        'returns',
        (data) => data.orders,
      );
      return orders.flatMap((order) =>
        (order.returns?.nodes ?? [])
          .filter((item) => Date.parse(item.createdAt) >= since.getTime())
          .flatMap((item) =>
            item.returnLineItems.nodes.flatMap((line) => {
              const sku = line.fulfillmentLineItem?.lineItem?.sku ?? null;
              return sku === null
                ? []
                : [
                    {
                      returnId: item.id,
                      orderId: order.name,
                      sku,
                      quantity: line.quantity,
                      reason: line.returnReason,
                      customerNote: line.customerNote,
                      createdAt: item.createdAt,
                    },
                  ];
            }),
          ),
      );
    },
    // The Admin API sends no customer mail (only its own order notifications).
    sendCustomerNotice: async () => null,
    // Shopify keeps no promised date on a DTC order; the notice itself is the record.
    setPromisedShipDate: async () => null,
    async setAvailable(input) {
      const current = async () => {
        const items = await allNodes<{ inventoryItems: Connection<ItemNode> }, ItemNode>(
          graphql,
          ITEM_BY_SKU_QUERY,
          { query: `sku:'${input.sku}'` },
          'inventory item',
          (data) => data.inventoryItems,
        );
        const item = items.find((candidate) => candidate.sku === input.sku);
        const level = item?.inventoryLevels.nodes.find((candidate) => candidate.location.name === input.location);
        if (item === undefined || level === undefined)
          throw new ConnectorError('shopify_inventory_not_found', `Shopify has no ${input.sku} stocked at ${input.location}`, {
            facts: { sku: input.sku, location: input.location },
          });
        return { itemId: item.id, locationId: level.location.id, available: level.quantities.find((quantity) => quantity.name === 'available')?.quantity ?? 0 };
      };
      const { result, performed } = await ledger.run<{ applied: boolean; previous: number; available: number }>({
        idempotencyKey: `${input.idempotencyKey}:shopify:set:${input.sku}@${input.location}`,
        connector: 'shopify',
        action: 'inventorySetQuantities',
        request: { sku: input.sku, location: input.location, available: input.available, compareAvailable: input.compareAvailable },
        // After an uncertain attempt: already at the target means it landed.
        lookup: async () =>
          (await current()).available === input.available ? { applied: true, previous: input.compareAvailable, available: input.available } : null,
        perform: async () => {
          const level = await current();
          // compareQuantity: Shopify refuses the write if the number moved since the draft, so a sale in between is never overwritten.
          const data = await graphql<{ inventorySetQuantities: { userErrors: Array<{ message: string; code: string | null }> } }>(
            SET_QUANTITIES_MUTATION,
            {
              input: {
                name: 'available',
                reason: 'correction',
                referenceDocumentUri: `jbot://shipbot/${encodeURIComponent(input.idempotencyKey)}`,
                quantities: [
                  { inventoryItemId: level.itemId, locationId: level.locationId, quantity: input.available, compareQuantity: input.compareAvailable },
                ],
              },
            },
            'inventorySetQuantities',
          );
          const errors = data.inventorySetQuantities.userErrors;
          if (errors.length > 0)
            throw new ConnectorError(
              'shopify_set_quantities_rejected',
              `Shopify refused to set ${input.sku} at ${input.location}: ${errors.map((error) => error.message).join('; ')}`,
              {
                facts: { sku: input.sku, location: input.location, codes: errors.map((error) => error.code) },
              },
            );
          return { applied: true, previous: level.available, available: input.available };
        },
      });
      return { ...result, applied: performed };
    },
  };
}
