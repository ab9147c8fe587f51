/** The product feeds behind Shopping and catalog ads. */
export type ProductFeed = 'google' | 'meta' | 'pinterest';

/** One product in one feed, as the platform sees it. */
export interface FeedItem {
  feed: ProductFeed;
  /** Our SKU (the feed's offer id / retailer id). */
  sku: string;
  title: string;
  gtin: string | null;
  price: number;
  availability: 'in_stock' | 'out_of_stock' | 'preorder' | 'backorder';
  /** The platform's verdict: approved, disapproved (not served) or pending review. */
  status: 'approved' | 'disapproved' | 'pending';
  /** Item-level issues, e.g. {code: 'missing_gtin', detail: 'Limited performance: missing value [gtin]'}. */
  issues: Array<{ code: string; detail: string }>;
  /** Ad spend on the SKU in the last 7 days; null when the feed cannot know (Merchant Center): treated as advertised. */
  adSpend7d: number | null;
}

/** Product feeds (Google Merchant Center, Meta catalog, Pinterest catalog). */
export interface ProductFeedsConnector {
  readonly source: 'sample' | 'merchant';
  /** Every item in every connected feed. */
  listItems(): Promise<FeedItem[]>;
}
