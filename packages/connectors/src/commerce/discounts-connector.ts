/** A store discount: an automatic promotion or a code, as Shopify's discountNodes describe it. */
export interface Discount {
  /** The discount node's gid (DiscountAutomaticNode / DiscountCodeNode). */
  id: string;
  kind: 'automatic' | 'code';
  title: string;
  /** The redeemable code (a code discount's first); null for an automatic discount. */
  code: string | null;
  status: 'ACTIVE' | 'SCHEDULED' | 'EXPIRED';
  startsAt: string;
  endsAt: string | null;
  /** Percent off (20 = 20%); null for a fixed-amount or free-shipping discount. */
  percent: number | null;
  /** The SKUs it applies to; empty = the whole order. */
  skus: string[];
  usageLimit: number | null;
  /** Times used so far (Shopify's asyncUsageCount). */
  usageCount: number;
}

/** One order that used a discount code, with where the shopper came from. */
export interface CodeRedemption {
  orderId: string;
  code: string;
  createdAt: string;
  /** The referring page of the visit that ordered (customerJourneySummary.lastVisit.referrerUrl). */
  referrerUrl: string | null;
  landingUrl: string | null;
}

/** Change a discount once per key: end it earlier, drop SKUs from it, or deactivate it. */
export interface UpdateDiscountInput {
  discountId: string;
  kind: 'automatic' | 'code';
  idempotencyKey: string;
  /** New end (never later than the current one). */
  endsAt?: string;
  excludeSkus?: string[];
  /** Stop it now (a leaked code). */
  deactivate?: boolean;
}

/** What changing it did; `changed` is false on a repeat of the key. */
export interface UpdateDiscountResult {
  discountId: string;
  status: string;
  endsAt: string | null;
  skus: string[];
  changed: boolean;
}

/** A percentage discount to create once per key (a replacement code, a clearance promotion). */
export interface CreateDiscountInput {
  idempotencyKey: string;
  kind: 'automatic' | 'code';
  title: string;
  /** Required for a code discount. */
  code?: string;
  percent: number;
  /** Empty = the whole order. */
  skus: string[];
  startsAt: string;
  endsAt: string | null;
  usageLimit?: number | null;
}

/** What creating it did; `created` is false on a repeat of the key. */
export interface CreateDiscountResult {
  discountId: string;
  code: string | null;
  status: string;
  created: boolean;
}

/** The store's discounts and promotions (Shopify discountNodes, orders by discount code). */
export interface DiscountsConnector {
  readonly source: 'sample' | 'shopify';
  /** Every discount (automatic and code), active, scheduled or expired. */
  listDiscounts(): Promise<Discount[]>;
  /** Orders in [since, until) that used a discount code, oldest first. */
  listCodeRedemptions(window: { since: Date; until: Date }): Promise<CodeRedemption[]>;
  /** What each SKU costs us (Shopify InventoryItem.unitCost); null where the store has none. */
  listUnitCosts(): Promise<Array<{ sku: string; unitCost: number | null }>>;
  updateDiscount(input: UpdateDiscountInput): Promise<UpdateDiscountResult>;
  createDiscount(input: CreateDiscountInput): Promise<CreateDiscountResult>;
}
