import type { FakeShopifyDiscount } from './fake-shopify-discounts.js';

/** Money as the Admin API sends it: a decimal string and a currency. */
export interface ShopifyMoneyBag {
  shopMoney: { amount: string; currencyCode: string };
}

/** A fulfilment order of an order (the unit Shopify holds and releases). */
export interface FakeShopifyFulfillmentOrder {
  id: string;
  status: 'OPEN' | 'SCHEDULED' | 'ON_HOLD' | 'IN_PROGRESS' | 'CLOSED' | 'CANCELLED';
  fulfillAt: string | null;
  assignedLocation: { location: { name: string } };
  fulfillmentHolds: Array<{ id: string; reason: string; reasonNotes: string | null; handle: string | null }>;
}

/** An order node in the Admin GraphQL shape the fake serves. */
export interface FakeShopifyOrder {
  id: string;
  name: string;
  createdAt: string;
  cancelledAt: string | null;
  email: string | null;
  displayFinancialStatus: string;
  displayFulfillmentStatus: string;
  customer: { displayName: string; numberOfOrders: string } | null;
  billingAddress: { countryCodeV2: string } | null;
  shippingAddress: { address1: string | null; city: string | null; provinceCode: string | null; zip: string | null; countryCodeV2: string } | null;
  totalPriceSet: ShopifyMoneyBag;
  lineItems: {
    nodes: Array<{
      sku: string | null;
      quantity: number;
      originalUnitPriceSet: ShopifyMoneyBag;
      id?: string;
      currentQuantity?: number;
      /** Units not yet fulfilled (wholesale history: what the warehouse did not ship). */
      unfulfilledQuantity?: number;
    }>;
  };
  /** The order's value as placed, before edits (wholesale history). */
  originalTotalPriceSet?: ShopifyMoneyBag;
  /** B2B: the order's tags, custom attributes (ship window) and the buying company. */
  tags?: string[];
  customAttributes?: Array<{ key: string; value: string | null }>;
  purchasingEntity?: { company: { id: string; name: string; externalId: string | null } } | null;
  risk: { assessments: Array<{ riskLevel: string; facts: Array<{ description: string; sentiment: string }> }> };
  fulfillmentOrders: { nodes: FakeShopifyFulfillmentOrder[] };
  /** Returns requested on the order; updatedAt moves with them. */
  returns?: {
    nodes: Array<{
      id: string;
      createdAt: string;
      returnLineItems: {
        nodes: Array<{ quantity: number; returnReason: string; customerNote: string | null; fulfillmentLineItem: { lineItem: { sku: string | null } } }>;
      };
    }>;
  };
  updatedAt?: string;
  /** Codes the order used (discount-code-leak). */
  discountCodes?: string[];
  /** The customer's journey: the last visit before the order, with its source and UTM tags (tracking-health) and its referrer and landing page (discount-code-leak). */
  customerJourneySummary?: {
    ready: boolean;
    lastVisit: {
      source: string | null;
      sourceType: string | null;
      utmParameters: { source: string | null; medium: string | null; campaign: string | null } | null;
      referrerUrl?: string | null;
      landingPage?: string | null;
    } | null;
  } | null;
}

/** An inventory item with its levels per location, quantities by name. */
export interface FakeShopifyInventoryItem {
  id: string;
  sku: string;
  variant: { id?: string; displayName: string; price: string; product: { vendor: string } };
  /** What the item costs (InventoryItem.unitCost); absent = not set. */
  unitCost?: { amount: string; currencyCode: string } | null;
  inventoryLevels: { nodes: Array<{ location: { id?: string; name: string }; quantities: Array<{ name: string; quantity: number }> }> };
}

/** What the fake starts with. */
export interface FakeShopifySeed {
  shopName?: string;
  orders?: FakeShopifyOrder[];
  inventoryItems?: FakeShopifyInventoryItem[];
  /** Basic discounts (fake-shopify-discounts.ts). */
  discounts?: FakeShopifyDiscount[];
}

/** A write the fake applied (a hold, a cancellation), in order. */
export interface FakeShopifySideEffect {
  mutation: string;
  target: string;
  input: Record<string, unknown>;
}

/** The fake store's state: orders and inventory, changed by the mutations it serves. */
export class FakeShopifyStore {
  readonly shopName: string;
  readonly orders: FakeShopifyOrder[];
  readonly inventoryItems: FakeShopifyInventoryItem[];
  readonly sideEffects: FakeShopifySideEffect[] = [];
  readonly discounts: FakeShopifyDiscount[];

  constructor(seed: FakeShopifySeed = {}) {
    this.shopName = seed.shopName ?? 'Fake Shop';
    this.orders = structuredClone(seed.orders ?? []);
    this.inventoryItems = structuredClone(seed.inventoryItems ?? []);
    this.discounts = structuredClone(seed.discounts ?? []);
    // Variants get ids the way Shopify names them (discounts refer to variants by id).
    this.inventoryItems.forEach((item, index) => (item.variant.id ??= `gid://shopify/ProductVariant/${8_100_000 + index}`));
    // Locations get ids the way Shopify names them, one per location name.
    const names = [...new Set(this.inventoryItems.flatMap((item) => item.inventoryLevels.nodes.map((level) => level.location.name)))].sort();
    for (const item of this.inventoryItems)
      for (const level of item.inventoryLevels.nodes) level.location.id ??= `gid://shopify/Location/${7_000_000 + names.indexOf(level.location.name)}`;
  }

  /** The order that owns a fulfilment order. */
  orderOfFulfillmentOrder(id: string): { order: FakeShopifyOrder; fulfillmentOrder: FakeShopifyFulfillmentOrder } | null {
    for (const order of this.orders) {
      const fulfillmentOrder = order.fulfillmentOrders.nodes.find((candidate) => candidate.id === id);
      if (fulfillmentOrder !== undefined) return { order, fulfillmentOrder };
    }
    return null;
  }

  /** Orders matching the subset of Shopify's search syntax the fleet sends. */
  searchOrders(query: string | null): FakeShopifyOrder[] {
    const terms = (query ?? '')
      .split(/\s+AND\s+|\s+/)
      .map((term) => term.trim())
      .filter((term) => term !== '');
    return this.orders.filter((order) => terms.every((term) => matchesTerm(order, term))).sort((left, right) => left.createdAt.localeCompare(right.createdAt));
  }
}

function matchesTerm(order: FakeShopifyOrder, term: string): boolean {
  // Shopify's search negates a term with a leading '-'.
  if (term.startsWith('-')) return !matchesTerm(order, term.slice(1));
  const match = /^([a-z_]+):(>=|<=|>|<)?'?([^']*)'?$/.exec(term);
  if (match === null) throw new Error(`fake Shopify: unsupported search term "${term}"`);
  const [, field, operator, value = ''] = match;
  if (field === 'created_at' || field === 'updated_at') {
    const at = Date.parse(field === 'updated_at' ? (order.updatedAt ?? order.createdAt) : order.createdAt);
    const bound = Date.parse(value);
    if (operator === '>=') return at >= bound;
    if (operator === '>') return at > bound;
    if (operator === '<=') return at <= bound;
    if (operator === '<') return at < bound;
    return order.createdAt.startsWith(value);
  }
  if (field === 'fulfillment_status') {
    const status = order.displayFulfillmentStatus.toLowerCase();
    if (value === 'unfulfilled') return status !== 'fulfilled' && order.cancelledAt === null;
    if (value === 'unshipped') return status === 'unfulfilled';
    return status === value;
  }
  if (field === 'status') return value === 'open' ? order.cancelledAt === null : value === 'cancelled' ? order.cancelledAt !== null : true;
  if (field === 'name') return order.name === value;
  if (field === 'tag') return (order.tags ?? []).includes(value);
  if (field === 'discount_code')
    return value === '*' ? (order.discountCodes?.length ?? 0) > 0 : (order.discountCodes ?? []).some((code) => code.toLowerCase() === value.toLowerCase());
  throw new Error(`fake Shopify: unsupported search field "${field}"`);
}
