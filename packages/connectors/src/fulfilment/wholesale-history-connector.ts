/** One shipped (or shorted) wholesale order in an account's history. */
export interface WholesaleHistoryOrder {
  orderId: string;
  /** The account's CRM company id. */
  accountId: string;
  accountName: string;
  /** YYYY-MM-DD. */
  orderedOn: string;
  amount: number;
  unitsOrdered: number;
  /** What the warehouse shipped against it: unitsShipped ÷ unitsOrdered is shipbot's fill rate. */
  unitsShipped: number;
  /** Units ordered per SKU. */
  lines: Array<{ sku: string; units: number }>;
}

/** Wholesale order history by account (Shopify B2B orders / ERP sales orders), with what shipped. */
export interface WholesaleHistoryConnector {
  readonly source: 'sample' | 'shopify';
  /** Orders placed on or after a day (YYYY-MM-DD), oldest first. */
  listOrdersSince(since: string): Promise<WholesaleHistoryOrder[]>;
}
