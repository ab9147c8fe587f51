/** One issue Amazon reports on a listing (Listings Items 2021-08-01 `issues`). */
export interface ListingIssue {
  code: string;
  message: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  /** Enforcement actions in force: LISTING_SUPPRESSED, SEARCH_SUPPRESSED, ATTRIBUTE_SUPPRESSED, CATALOG_ITEM_REMOVED. */
  enforcements: string[];
  /** The attributes the issue is about (`attributeNames`), e.g. main_product_image_locator. */
  attributeNames: string[];
}

/** One of our Amazon listings, with its status and issues. */
export interface AmazonListing {
  sku: string;
  asin: string;
  productType: string;
  /** The listing's title as submitted (summaries.itemName). */
  title: string;
  /** BUYABLE and/or DISCOVERABLE; a listing lacking either is not selling. */
  statuses: string[];
  issues: ListingIssue[];
  /** Our offer's listing price; null without an offer. */
  price: number | null;
  /** Units sold in the last 30 days; null when the source does not say (counted as selling). */
  unitsSold30d: number | null;
}

/** An ASIN's detail page as Amazon shows it (Catalog Items 2022-04-01). */
export interface CatalogPage {
  asin: string;
  title: string;
  bullets: string[];
  brand: string;
  /** The MAIN image's link; null when the page has none. */
  mainImage: string | null;
  /** Who supplied a displayed value when it was not us, by field ('amazon', a seller id); empty when unknown. */
  contributors: Record<string, string>;
}

/** Who holds the featured offer (Buy Box) on an ASIN, and the reference prices (Product Pricing 2022-05-01). */
export interface CompetitiveSummary {
  asin: string;
  /** Null: no featured offer at all (e.g. every offer priced above the Competitive Price). */
  featuredOffer: { sellerId: string; price: number } | null;
  competitivePrice: number | null;
  lowestPrice: number | null;
}

/** One JSON-patch operation on a listing's attributes (patchListingsItem). */
export interface ListingPatch {
  op: 'add' | 'replace' | 'delete';
  /** `/attributes/<name>` */
  path: string;
  value?: unknown[];
}

/** A listing patch to apply once. */
export interface PatchListingInput {
  sku: string;
  productType: string;
  patches: ListingPatch[];
  /** Exactly one submission per key, however often the call is retried (derive it from the approval's key). */
  idempotencyKey: string;
}

/** What a patch did; `applied` is false for a repeat of the same key. */
export interface PatchListingResult {
  sku: string;
  submissionId: string;
  status: 'ACCEPTED' | 'INVALID' | 'VALID';
  applied: boolean;
  issues: Array<{ code: string; message: string }>;
}

/** One review topic of an ASIN for a period (Customer Feedback 2024-06-01). */
export interface ReviewTopic {
  topic: string;
  sentiment: 'positive' | 'negative';
  /** Share of reviews that mention it, in percent. */
  share: number;
  mentions: number;
  starImpact: number;
}

/** What customers say about one ASIN: this period's topics, the prior period's shares, and the rating. */
export interface ItemReviewTopics {
  asin: string;
  current: ReviewTopic[];
  /** The prior month's share per topic (from the review trends); a topic absent there is new. */
  priorShare: Record<string, number>;
  ratingNow: number | null;
  rating30dAgo: number | null;
}

/** Amazon as the content and marketplace bots see it: listings, detail pages, offers, reviews. */
export interface MarketplaceConnector {
  readonly source: 'sample' | 'amazon';
  /** Our seller id (a featured offer by it is ours). */
  readonly sellerId: string;
  listListings(): Promise<AmazonListing[]>;
  getCatalogPages(asins: readonly string[]): Promise<CatalogPage[]>;
  /** Batched by 20 ASINs, as the API takes them. */
  getCompetitiveSummaries(asins: readonly string[]): Promise<CompetitiveSummary[]>;
  /** Exactly once per idempotency key. */
  patchListing(input: PatchListingInput): Promise<PatchListingResult>;
  getReviewTopics(asin: string): Promise<ItemReviewTopics>;
}
