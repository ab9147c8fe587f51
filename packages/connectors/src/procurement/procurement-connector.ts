/** A supplier as purchasing writes to them: contact, language, PO currency, port and the places that concern them. */
export interface Supplier {
  id: string;
  name: string;
  city: string;
  country: string;
  email: string;
  /** ISO 639-1: the language chasers are written in (zh, vi, pt, es …). */
  language: string;
  /** The currency POs are priced in at the supplier's end (what FX moves hit). */
  currency: string;
  port: string;
  /** Place names a news item must mention to concern this supplier (city, port, province). */
  keywords: string[];
  /** The freight lane its goods travel (rate-sheet key). */
  lane: string;
}

/** One PO line: a SKU (or packaging component), how many, at what unit cost in USD. */
export interface PurchaseOrderRegisterLine {
  sku: string;
  quantity: number;
  unitCost: number;
}

/** A purchase order in the register, as sent to the supplier. */
export interface RegisteredPurchaseOrder {
  id: string;
  supplierId: string;
  currency: string;
  lines: PurchaseOrderRegisterLine[];
  /** ISO instant the PO went to the supplier. */
  sentAt: string;
  /** ISO instant the supplier acknowledged it; null: not yet. */
  acknowledgedAt: string | null;
  /** YYYY-MM-DD cargo-ready date as first planned. */
  readyDateOriginal: string | null;
  /** YYYY-MM-DD cargo-ready date the supplier confirmed (null until they do). */
  readyDateConfirmed: string | null;
  /** A forwarder booking exists for the cargo. */
  booked: boolean;
  note: string | null;
  status: 'open' | 'received' | 'cancelled';
}

/** An arrival: the packing list against what the 3PL received. */
export interface Receipt {
  shipmentId: string;
  poId: string;
  supplierId: string;
  arrivedAt: string;
  /** When the 3PL posted the receipt; null: not posted yet. */
  postedAt: string | null;
  lines: Array<{ sku: string; expected: number; received: number; damaged: number; damageCode: string | null; note: string | null }>;
}

/** A closed PO of the history the scorecard reads. */
export interface ClosedPurchaseOrder {
  poId: string;
  supplierId: string;
  sku: string;
  quantity: number;
  received: number;
  unitCost: number;
  orderedAt: string;
  /** YYYY-MM-DD */
  promisedReady: string;
  /** YYYY-MM-DD */
  readyOn: string;
  claims: number;
}

/** A holiday closing a country's (or one supplier's) factories. */
export interface SupplierHoliday {
  country: string;
  name: string;
  startsOn: string;
  endsOn: string;
  /** Set when only this supplier closes (a factory shutdown). */
  supplierId: string | null;
}

/** One week of the forwarder's rate sheet for a lane. */
export interface FreightRate {
  lane: string;
  weekStart: string;
  usdPerFeu: number;
}

/** A message to a supplier, forwarder or trucker, sent once per idempotency key. */
export interface SupplierMessage {
  idempotencyKey: string;
  supplierId: string | null;
  kind: 'purchase_order' | 'chaser' | 'expedite' | 'claim' | 'scorecard' | 'drayage';
  to: string;
  subject: string;
  body: string;
  refs?: Record<string, unknown>;
}

/** A sent message as the outbox holds it. */
export interface SentSupplierMessage extends SupplierMessage {
  messageId: string;
  createdAt: string;
}

/** Lead time measured per supplier-SKU (days). */
export interface LeadTimeStat {
  supplierId: string;
  sku: string;
  meanDays: number;
  sdDays: number;
  samples: number;
}

/** A won deal's quantity added to PO planning. */
export interface DemandBump {
  idempotencyKey: string;
  dealId: string;
  account: string;
  sku: string;
  quantity: number;
  firstShipDate: string | null;
  openPoIds: string[];
}

/**
 * Purchasing beyond stock levels: the PO register with acknowledgements and ready dates, supplier
 * contacts, receipts, history, holidays and the rate sheet, and the writes approvals make. Sample
 * adapter over the sample company; an ERP adapter (NetSuite SuiteQL, QBO PurchaseOrder) goes behind it.
 */
export interface ProcurementConnector {
  readonly source: 'sample';
  listSuppliers(): Promise<Supplier[]>;
  listPurchaseOrders(): Promise<RegisteredPurchaseOrder[]>;
  listReceipts(): Promise<Receipt[]>;
  /** Closed POs whose goods were ready on or after `since` (YYYY-MM-DD). */
  listPurchaseOrderHistory(since: string): Promise<ClosedPurchaseOrder[]>;
  listHolidays(since: string): Promise<SupplierHoliday[]>;
  listFreightRates(since: string): Promise<FreightRate[]>;
  /** Create a PO in the register (and its on-order quantity), once per idempotency key. */
  createPurchaseOrder(order: {
    idempotencyKey: string;
    supplierId: string;
    currency: string;
    lines: PurchaseOrderRegisterLine[];
    location: string;
    /** YYYY-MM-DD the goods should land. */
    eta: string;
    readyDate: string | null;
  }): Promise<{ poId: string; created: boolean }>;
  /** Send a message once per idempotency key (a retry or a second host sends nothing new). */
  sendMessage(message: SupplierMessage): Promise<{ messageId: string; created: boolean }>;
  listMessages(kind?: SupplierMessage['kind']): Promise<SentSupplierMessage[]>;
  recordLeadTimes(stats: readonly LeadTimeStat[]): Promise<number>;
  listLeadTimes(): Promise<LeadTimeStat[]>;
  recordDemandBump(bump: DemandBump): Promise<{ created: boolean }>;
  listDemandBumps(): Promise<Array<Omit<DemandBump, 'idempotencyKey'>>>;
}
