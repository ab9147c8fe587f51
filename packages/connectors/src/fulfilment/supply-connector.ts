/** A purchase order line not yet shipped as freight. */
export interface PurchaseOrderLine {
  poId: string;
  supplierId: string;
  sku: string;
  quantity: number;
  location: string;
  orderedAt: string;
  /** YYYY-MM-DD the goods are expected at the location. */
  eta: string;
}

/** What replenishment needs to know about one SKU. */
export interface SupplyFacts {
  sku: string;
  supplierId: string;
  /** Supplier lead time, order to shelf: mean and standard deviation in days. */
  leadTimeDays: number;
  leadTimeSdDays: number;
  /** Minimum order quantity. */
  moq: number;
  /** Standard deviation of daily demand over 90 days, in units. */
  demandSd: number;
  abcClass: 'A' | 'B' | 'C';
}

/**
 * Purchasing: open POs and the supplier facts replenishment rests on. Sample adapter only: the
 * company keeps these in a spreadsheet today; an ERP adapter (NetSuite, Cin7) goes behind this.
 */
export interface SupplyConnector {
  readonly source: 'sample';
  listOpenPurchaseOrders(): Promise<PurchaseOrderLine[]>;
  listSupplyFacts(): Promise<SupplyFacts[]>;
}
