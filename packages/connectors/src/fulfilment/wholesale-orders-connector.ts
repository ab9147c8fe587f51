/** An open wholesale purchase order with its ship window and the account's allocation tier. */
export interface WholesaleOrder {
  /** The PO's name as the buyer knows it (WO-7722). */
  orderId: string;
  /** The store's own id for it (a Shopify order gid), used to edit it. */
  vendorId: string;
  accountId: string | null;
  customerName: string;
  customerEmail: string;
  /** YYYY-MM-DD: the first and last day the retailer accepts the shipment. */
  windowStart: string;
  windowEnd: string;
  /** A first, C last when stock is short. */
  tier: 'A' | 'B' | 'C';
  /** The retailer's fine for a short or late shipment, percent of the order value. */
  shortFinePct: number;
  lines: Array<{ sku: string; quantity: number; price: number }>;
}

/** Edit a wholesale order to the allocated quantities once. */
export interface ApplyAllocationInput {
  orderId: string;
  vendorId: string;
  lines: Array<{ sku: string; ordered: number; allocate: number }>;
  /** When the rest ships (YYYY-MM-DD), if it follows later. */
  backorderShipDate: string | null;
  idempotencyKey: string;
}

/** Wholesale orders with ship windows (Shopify B2B orders / draft orders with ship-window attributes, or the ERP's). */
export interface WholesaleOrdersConnector {
  readonly source: 'sample' | 'shopify';
  listOpenWholesaleOrders(): Promise<WholesaleOrder[]>;
  /** applied = false when an earlier attempt under the same key already edited the order. */
  applyAllocation(input: ApplyAllocationInput): Promise<{ applied: boolean; lines: Array<{ sku: string; quantity: number }> }>;
}
