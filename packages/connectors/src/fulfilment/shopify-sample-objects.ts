import type { SampleCompanyData } from '../sample/sample-company-data.js';

/** Money as the Admin API sends it. */
interface MoneyBag {
  shopMoney: { amount: string; currencyCode: string };
}

/** An order node in the Admin GraphQL shape (what a fake Shopify serves). */
export interface ShopifyOrderSeed {
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
  totalPriceSet: MoneyBag;
  lineItems: { nodes: Array<{ sku: string | null; quantity: number; originalUnitPriceSet: MoneyBag }> };
  risk: { assessments: Array<{ riskLevel: string; facts: Array<{ description: string; sentiment: string }> }> };
  updatedAt?: string;
  returns?: {
    nodes: Array<{
      id: string;
      createdAt: string;
      returnLineItems: {
        nodes: Array<{ quantity: number; returnReason: string; customerNote: string | null; fulfillmentLineItem: { lineItem: { sku: string | null } } }>;
      };
    }>;
  };
  fulfillmentOrders: {
    nodes: Array<{
      id: string;
      status: 'OPEN' | 'SCHEDULED' | 'ON_HOLD' | 'IN_PROGRESS' | 'CLOSED' | 'CANCELLED';
      fulfillAt: string | null;
      assignedLocation: { location: { name: string } };
      fulfillmentHolds: Array<{ id: string; reason: string; reasonNotes: string | null; handle: string | null }>;
    }>;
  };
}

/** An inventory item node with its levels and quantities by name. */
export interface ShopifyInventoryItemSeed {
  id: string;
  sku: string;
  variant: { displayName: string; price: string; product: { vendor: string } };
  inventoryLevels: { nodes: Array<{ location: { name: string }; quantities: Array<{ name: string; quantity: number }> }> };
}

/** The sample company's store as Shopify would hold it. */
export interface ShopifySampleObjects {
  shopName: string;
  orders: ShopifyOrderSeed[];
  inventoryItems: ShopifyInventoryItemSeed[];
}

interface SampleOrder {
  id: string;
  channel: string;
  customer_name: string;
  customer_email: string;
  ship_city: string | null;
  ship_province: string | null;
  created_hours_ago: number;
  financial_status: string;
  fulfillment_status: string;
  backordered?: boolean;
  lines: Array<{ sku: string; quantity: number; price: number }>;
}

interface SampleRisk {
  order_id: string;
  risk_level: string;
  facts: Array<{ description: string; sentiment: string }>;
  billing_country: string;
  shipping_country: string;
  customer_orders: number;
  ship_address1: string | null;
  ship_zip: string | null;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const VELOCITY_DAYS = 28;

const money = (amount: number): MoneyBag => ({ shopMoney: { amount: amount.toFixed(2), currencyCode: 'USD' } });

/**
 * Turn the sample data files into Shopify-shaped orders and inventory items with times resolved
 * against `now`, so a fake Shopify serves the store the sample connector does. DTC orders only
 * (wholesale POs live in the CRM); 28 days of fulfilled history orders per location make the
 * selling rate the same as the sample's `daily_velocity`.
 */
export function shopifyObjectsFromSample(data: SampleCompanyData, now: Date): ShopifySampleObjects {
  const company = data.company as {
    name?: string;
    warehouses?: Array<{ id: string }>;
    products: Array<{ sku: string; name: string; price: number; brand: string }>;
    brands: Array<{ id: string; name: string }>;
  };
  const shopify = data.shopify as { orders: SampleOrder[]; inventory: Array<{ sku: string; location: string; on_hand: number; daily_velocity: number }> };
  const shipbot = (data as Partial<SampleCompanyData>).shipbot as
    | {
        orders?: SampleOrder[];
        inventory?: typeof shopify.inventory;
        order_risk?: SampleRisk[];
        purchase_orders?: Array<{ sku: string; location: string; quantity: number; status?: string }>;
      }
    | undefined;
  const primary = company.warehouses?.[0]?.id ?? 'PDX-1';
  const risks = new Map((shipbot?.order_risk ?? []).map((risk) => [risk.order_id, risk]));
  const dtc = [...shopify.orders, ...(shipbot?.orders ?? [])].filter((order) => order.channel === 'dtc');

  let sequence = 5_100_000_000;
  const orders: ShopifyOrderSeed[] = [];
  const recentUnits = new Map<string, number>();
  const addOrder = (
    order: Omit<ShopifyOrderSeed, 'id' | 'fulfillmentOrders'>,
    fulfilment: { status: ShopifyOrderSeed['fulfillmentOrders']['nodes'][number]['status']; location: string },
  ) => {
    sequence += 1;
    orders.push({
      ...order,
      id: `gid://shopify/Order/${sequence}`,
      fulfillmentOrders: {
        nodes: [
          {
            id: `gid://shopify/FulfillmentOrder/${sequence}`,
            status: fulfilment.status,
            fulfillAt: null,
            assignedLocation: { location: { name: fulfilment.location } },
            fulfillmentHolds: [],
          },
        ],
      },
    });
  };
  for (const order of dtc) {
    const createdAt = new Date(now.getTime() - order.created_hours_ago * HOUR_MS);
    if (now.getTime() - createdAt.getTime() <= VELOCITY_DAYS * DAY_MS)
      for (const line of order.lines) recentUnits.set(`${line.sku}@${primary}`, (recentUnits.get(`${line.sku}@${primary}`) ?? 0) + line.quantity);
    const risk = risks.get(order.id);
    const fulfilled = order.fulfillment_status === 'fulfilled';
    addOrder(
      {
        name: order.id,
        createdAt: createdAt.toISOString(),
        cancelledAt: null,
        email: order.customer_email,
        displayFinancialStatus: order.financial_status.toUpperCase(),
        displayFulfillmentStatus: fulfilled ? 'FULFILLED' : order.backordered === true ? 'ON_HOLD' : 'UNFULFILLED',
        customer: { displayName: order.customer_name, numberOfOrders: String(risk?.customer_orders ?? 2) },
        billingAddress: { countryCodeV2: risk?.billing_country ?? 'US' },
        shippingAddress: {
          address1: risk?.ship_address1 ?? null,
          city: order.ship_city,
          provinceCode: order.ship_province,
          zip: risk?.ship_zip ?? null,
          countryCodeV2: risk?.shipping_country ?? 'US',
        },
        totalPriceSet: money(order.lines.reduce((sum, line) => sum + line.quantity * line.price, 0)),
        lineItems: { nodes: order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, originalUnitPriceSet: money(line.price) })) },
        risk: { assessments: [{ riskLevel: risk?.risk_level ?? 'LOW', facts: risk?.facts ?? [] }] },
      },
      { status: fulfilled ? 'CLOSED' : order.backordered === true ? 'ON_HOLD' : 'OPEN', location: primary },
    );
  }

  // History: one fulfilled order per location per day, its lines topping each SKU up to velocity × 28.
  const products = new Map(company.products.map((product) => [product.sku, product]));
  const inventory = [...shopify.inventory, ...(shipbot?.inventory ?? [])];
  const locations = [...new Set(inventory.map((level) => level.location))];
  for (let daysAgo = VELOCITY_DAYS; daysAgo >= 1; daysAgo--) {
    for (const location of locations) {
      const lines: ShopifyOrderSeed['lineItems']['nodes'] = [];
      for (const level of inventory.filter((candidate) => candidate.location === location)) {
        const history = Math.max(0, Math.round(level.daily_velocity * VELOCITY_DAYS) - (recentUnits.get(`${level.sku}@${location}`) ?? 0));
        const index = VELOCITY_DAYS - daysAgo;
        const quantity = Math.floor((history * (index + 1)) / VELOCITY_DAYS) - Math.floor((history * index) / VELOCITY_DAYS);
        if (quantity > 0) lines.push({ sku: level.sku, quantity, originalUnitPriceSet: money(products.get(level.sku)?.price ?? 0) });
      }
      if (lines.length === 0) continue;
      addOrder(
        {
          name: `#H${location}-${daysAgo}`,
          // Half a day inside each of the last 28 days, so all of them fall in the velocity window.
          createdAt: new Date(now.getTime() - daysAgo * DAY_MS + 12 * HOUR_MS).toISOString(),
          cancelledAt: null,
          email: null,
          displayFinancialStatus: 'PAID',
          displayFulfillmentStatus: 'FULFILLED',
          customer: null,
          billingAddress: null,
          shippingAddress: null,
          totalPriceSet: money(lines.reduce((sum, line) => sum + line.quantity * Number(line.originalUnitPriceSet.shopMoney.amount), 0)),
          lineItems: { nodes: lines },
          risk: { assessments: [{ riskLevel: 'LOW', facts: [] }] },
        },
        { status: 'CLOSED', location },
      );
    }
  }

  // Returns: on the history order placed two days before (inside the velocity window), or on an
  // order of their own placed before the window, so they add no units to the selling rate.
  const sampleReturns =
    (
      (data as Partial<SampleCompanyData>).shipbot as
        | { returns?: Array<{ return_id: string; sku: string; quantity: number; reason: string; customer_note: string | null; created_days_ago: number }> }
        | undefined
    )?.returns ?? [];
  for (const item of sampleReturns) {
    const createdAt = new Date(now.getTime() - item.created_days_ago * DAY_MS).toISOString();
    const node = {
      id: `gid://shopify/Return/${item.return_id.replace(/\D/g, '')}`,
      createdAt,
      returnLineItems: {
        nodes: [{ quantity: item.quantity, returnReason: item.reason, customerNote: item.customer_note, fulfillmentLineItem: { lineItem: { sku: item.sku } } }],
      },
    };
    const placedDaysAgo = item.created_days_ago + 2;
    let order = placedDaysAgo <= VELOCITY_DAYS ? orders.find((candidate) => candidate.name === `#H${primary}-${placedDaysAgo}`) : undefined;
    if (order === undefined) {
      addOrder(
        {
          name: `#R${item.return_id}`,
          createdAt: new Date(now.getTime() - (Math.max(placedDaysAgo, VELOCITY_DAYS) + 1) * DAY_MS).toISOString(),
          cancelledAt: null,
          email: null,
          displayFinancialStatus: 'PAID',
          displayFulfillmentStatus: 'FULFILLED',
          customer: null,
          billingAddress: null,
          shippingAddress: null,
          totalPriceSet: money(0),
          lineItems: { nodes: [] },
          risk: { assessments: [{ riskLevel: 'LOW', facts: [] }] },
        },
        { status: 'CLOSED', location: primary },
      );
      order = orders.at(-1);
    }
    if (order === undefined) continue;
    order.returns = { nodes: [...(order.returns?.nodes ?? []), node] };
    if (order.updatedAt === undefined || order.updatedAt < createdAt) order.updatedAt = createdAt;
  }

  // Quantities by name, as the sample's levels compute them: committed = open DTC orders ready to ship, at the DC that ships them.
  const committed = new Map<string, number>();
  for (const order of dtc)
    if (order.fulfillment_status !== 'fulfilled' && order.backordered !== true)
      for (const line of order.lines) committed.set(line.sku, (committed.get(line.sku) ?? 0) + line.quantity);
  const incoming = new Map<string, number>();
  for (const po of shipbot?.purchase_orders ?? [])
    if ((po.status ?? 'open') === 'open') incoming.set(`${po.sku}@${po.location}`, (incoming.get(`${po.sku}@${po.location}`) ?? 0) + po.quantity);
  const brands = new Map(company.brands.map((brand) => [brand.id, brand.name]));
  const inventoryItems: ShopifyInventoryItemSeed[] = company.products.map((product, index) => ({
    id: `gid://shopify/InventoryItem/${44_000_000 + index}`,
    sku: product.sku,
    variant: { displayName: product.name, price: product.price.toFixed(2), product: { vendor: brands.get(product.brand) ?? product.brand } },
    inventoryLevels: {
      nodes: inventory
        .filter((level) => level.sku === product.sku)
        .map((level) => {
          const held = level.location === primary ? (committed.get(level.sku) ?? 0) : 0;
          return {
            location: { name: level.location },
            quantities: [
              { name: 'available', quantity: level.on_hand - held },
              { name: 'committed', quantity: held },
              { name: 'incoming', quantity: incoming.get(`${level.sku}@${level.location}`) ?? 0 },
              { name: 'on_hand', quantity: level.on_hand },
              { name: 'reserved', quantity: 0 },
            ],
          };
        }),
    },
  }));
  return { shopName: company.name ?? 'Sample store', orders, inventoryItems };
}
