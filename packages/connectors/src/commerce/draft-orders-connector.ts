// The store's draft orders (Shopify draftOrders / draftOrderCreate): salesbot's sample orders
// for buyers, fully discounted and tagged so the warehouse and finance know them.

/** One line of a draft order: a SKU and how many. */
export interface DraftOrderLine {
  sku: string;
  quantity: number;
}

/** A draft order as the store holds it. */
export interface DraftOrder {
  id: string;
  /** The CRM deal it was made for (a sample order's note/custom attribute), when known. */
  dealId: string | null;
  accountId: string | null;
  email: string;
  tags: string[];
  lines: DraftOrderLine[];
  /** Order-level discount in percent (100 for a sample). */
  discountPct: number;
  note: string;
  /** ISO instant. */
  createdAt: string;
}

/** A fully discounted draft order to create, once per key. */
export interface CreateDraftOrderInput {
  dealId: string;
  /** Who the order is for (the buyer's address). */
  email: string;
  tags: string[];
  lines: DraftOrderLine[];
  note: string;
  /** Exactly one draft order per key, however often the call is retried. */
  idempotencyKey: string;
}

/** What a create did; `created` is false when the key had already been used. */
export interface CreateDraftOrderResult {
  draftOrderId: string;
  created: boolean;
}

/** Draft orders: read by tag, create once per key. */
export interface DraftOrdersConnector {
  readonly source: 'sample';
  /** Draft orders carrying this tag (Shopify `draftOrders(query: "tag:<tag>")`), oldest first. */
  listDraftOrders(options: { tag: string }): Promise<DraftOrder[]>;
  /** Exactly once per idempotency key, 100% discounted (Shopify `draftOrderCreate` with appliedDiscount). */
  createDraftOrder(input: CreateDraftOrderInput): Promise<CreateDraftOrderResult>;
}
