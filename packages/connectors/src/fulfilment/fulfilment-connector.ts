/** Stock of one SKU at one location, by Shopify's quantity names. */
export interface StockLevel {
  sku: string;
  name: string;
  /** Retail price: ranks SKUs by revenue (top-10 SKUs escalate higher). */
  price: number;
  location: string;
  onHand: number;
  /** Units in orders ready to ship (Shopify `committed`). */
  committed: number;
  /** Units held for wholesale orders awaiting their ship window (Shopify `reserved`). */
  reserved: number;
  /** onHand − committed: what new orders can take. */
  available: number;
  /** Units on open purchase orders or transfers to this location (Shopify `incoming`). */
  incoming: number;
  /** Units sold per day over the last 28 days (days out of stock excluded). */
  dailyVelocity: number;
}

/** One fact behind an order's risk level. */
export interface RiskFact {
  description: string;
  sentiment: string;
}

/** An unfulfilled DTC order with what order-holds weighs. */
export interface OrderRiskCase {
  /** The order's name (#48420). */
  orderId: string;
  /** The store's own id for the order (Shopify gid), used to act on it. */
  vendorId: string;
  createdAt: string;
  customerName: string;
  customerEmail: string;
  total: number;
  riskLevel: 'LOW' | 'MEDIUM' | 'HIGH' | 'NONE' | 'PENDING';
  facts: RiskFact[];
  billingCountry: string;
  shippingCountry: string;
  /** Orders the customer has placed, this one included (1 = first order). */
  customerOrders: number;
  shippingAddress: { address1: string | null; city: string | null; province: string | null; zip: string | null; country: string };
}

/** Hold an order's fulfilment, or cancel it with a refund. */
export interface HoldOrderInput {
  orderId: string;
  vendorId: string;
  kind: 'hold' | 'cancel';
  reason: string;
  /** Derived from the approval's key: the hold happens once however often this is called. */
  idempotencyKey: string;
}

/** What holding did. */
export interface HoldOrderResult {
  orderId: string;
  kind: 'hold' | 'cancel';
  /** False when an earlier attempt under the same key already applied it. */
  applied: boolean;
  status: string;
}

/** A message to the customer of an order (address to correct, new ship date, parcel in trouble). */
export interface CustomerNoticeInput {
  orderId: string;
  to: string;
  subject: string;
  body: string;
  kind: string;
  idempotencyKey: string;
}

/** Correct a SKU's available quantity at a location (reason: correction). */
export interface SetAvailableInput {
  sku: string;
  location: string;
  available: number;
  /** What the store showed when the correction was drafted: a changed number is not overwritten. */
  compareAvailable: number;
  reason: string;
  idempotencyKey: string;
}

/** One returned line (Shopify returnLineItems). */
export interface ReturnLine {
  returnId: string;
  orderId: string;
  sku: string;
  quantity: number;
  /** Shopify ReturnReason: DEFECTIVE, NOT_AS_DESCRIBED, WRONG_ITEM, SIZE_TOO_SMALL, UNWANTED … */
  reason: string;
  /** The customer's own words: untrusted text, shown as data. */
  customerNote: string | null;
  createdAt: string;
}

/** The store's fulfilment side: stock by location and quantity name, order risk, holds. */
export interface FulfilmentConnector {
  readonly source: 'sample' | 'shopify';
  listStockLevels(): Promise<StockLevel[]>;
  /** Unfulfilled DTC orders placed since `since` (all open ones without it), with their risk. */
  listOrderRisk(since?: Date): Promise<OrderRiskCase[]>;
  holdOrder(input: HoldOrderInput): Promise<HoldOrderResult>;
  /** Returned lines requested since `since`. */
  listReturns(since: Date): Promise<ReturnLine[]>;
  /**
   * Send a customer notice once per key; null when this store cannot send mail itself (Shopify's
   * Admin API has no customer email: the caller says so and the notice goes out by hand).
   */
  sendCustomerNotice(input: CustomerNoticeInput): Promise<{ noticeId: string; created: boolean } | null>;
  /** Record the ship date told to the customer once per key; null when the store keeps no such date. */
  setPromisedShipDate(input: { orderId: string; date: string; idempotencyKey: string }): Promise<{ applied: boolean } | null>;
  /** Set available stock once per key; applied = false when an earlier attempt already did. */
  setAvailable(input: SetAvailableInput): Promise<{ applied: boolean; previous: number; available: number }>;
}
