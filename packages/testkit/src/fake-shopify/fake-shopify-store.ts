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
  lineItems: { nodes: Array<{ sku: string | null; quantity: number; originalUnitPriceSet: ShopifyMoneyBag }> };
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
  /** The customer's journey: the last visit before the order, with its source and UTM tags (tracking-health). */
  customerJourneySummary?: {
    ready: boolean;
    lastVisit: {
      source: string | null;
      sourceType: string | null;
      utmParameters: { source: string | null; medium: string | null; campaign: string | null } | null;
    } | null;
  } | null;
}

/** An inventory item with its levels per location, quantities by name. */
export interface FakeShopifyInventoryItem {
  id: string;
  sku: string;
  variant: { displayName: string; price: string; product: { vendor: string } };
  inventoryLevels: { nodes: Array<{ location: { id?: string; name: string }; quantities: Array<{ name: string; quantity: number }> }> };
}

/** What the fake starts with. */
export interface FakeShopifySeed {
  shopName?: string;
  orders?: FakeShopifyOrder[];
  inventoryItems?: FakeShopifyInventoryItem[];
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

  constructor(seed: FakeShopifySeed = {}) {
    this.shopName = seed.shopName ?? 'Fake Shop';
    this.orders = structuredClone(seed.orders ?? []);
    this.inventoryItems = structuredClone(seed.inventoryItems ?? []);
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
  throw new Error(`fake Shopify: unsupported search field "${field}"`);
}
