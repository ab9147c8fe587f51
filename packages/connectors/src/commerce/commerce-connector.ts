/** A line of an order. */
export interface OrderLine {
  sku: string;
  quantity: number;
  price: number;
}

/** An order from the store (DTC) or a wholesale purchase order. */
export interface Order {
  id: string;
  channel: 'dtc' | 'wholesale';
  accountId: string | null;
  customerName: string;
  customerEmail: string;
  shipCity: string | null;
  shipProvince: string | null;
  createdAt: string;
  financialStatus: string;
  fulfillmentStatus: string;
  backordered: boolean;
  /** YYYY-MM-DD: the ship date promised to a wholesale customer, when there is one. */
  promisedShipDate: string | null;
  lines: OrderLine[];
}

/** Stock for one SKU at one location. */
export interface InventoryLevel {
  sku: string;
  name: string;
  brand: string;
  location: string;
  onHand: number;
  /** Units promised to open orders. */
  committed: number;
  /** onHand − committed; can be negative when orders wait on stock. */
  available: number;
  /** Average units sold per day (last 30 days). */
  dailyVelocity: number;
}

/** Options for listing orders. */
export interface ListOrdersOptions {
  since?: Date;
  /** Only orders not yet fulfilled. */
  openOnly?: boolean;
}

/** The store: orders and inventory. */
export interface CommerceConnector {
  readonly source: 'sample' | 'shopify';
  listOrders(options?: ListOrdersOptions): Promise<Order[]>;
  listInventory(): Promise<InventoryLevel[]>;
  /** Each SKU's current selling price (ad copy is checked against it). */
  listPrices(): Promise<Array<{ sku: string; price: number }>>;
}
