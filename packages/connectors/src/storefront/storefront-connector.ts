/** A product's storefront copy (Shopify `products { descriptionHtml seo metafields }`). */
export interface ProductContent {
  sku: string;
  handle: string;
  title: string;
  brand: string;
  descriptionHtml: string;
  seoTitle: string | null;
  seoDescription: string | null;
  /** Regulated and descriptive facts: inci, allergens, net_weight, burn_time, warnings, roast. */
  metafields: Record<string, string>;
  /** Size or count as the product states it ("12oz", "3-pack"); null when none. */
  size: string | null;
  price: number;
  updatedAt: string;
}

/** A customer review from the store's review app (untrusted text). */
export interface StoreReview {
  id: string;
  sku: string;
  rating: number;
  title: string;
  body: string;
  createdAt: string;
}

/** An SEO fix for one page: title, meta description, image alt text by image src. */
export interface UpdatePageSeoInput {
  url: string;
  title?: string;
  description?: string;
  imageAlts?: Record<string, string>;
  /** Exactly once per key (derive it from the approval's key). */
  idempotencyKey: string;
}

/** New product copy: the description and any missing facts. */
export interface PublishProductCopyInput {
  sku: string;
  descriptionHtml: string;
  metafields?: Record<string, string>;
  idempotencyKey: string;
}

/** Our own store's product content and reviews, read and (after approval) written. */
export interface StorefrontConnector {
  readonly source: 'sample' | 'shopify';
  listProductContent(): Promise<ProductContent[]>;
  listReviews(since: Date): Promise<StoreReview[]>;
  /** Exactly once per idempotency key; `applied` false for a repeat. */
  updatePageSeo(input: UpdatePageSeoInput): Promise<{ applied: boolean }>;
  /** Exactly once per idempotency key; `applied` false for a repeat. */
  publishProductCopy(input: PublishProductCopyInput): Promise<{ applied: boolean }>;
}
