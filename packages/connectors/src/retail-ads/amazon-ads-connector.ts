/** A Sponsored Products keyword and its current bid. */
export interface SpKeyword {
  keywordId: string;
  campaignId: string;
  adGroupId: string;
  keywordText: string;
  matchType: string;
  bid: number;
  state: string;
}

/** A keyword's figures over the report period (spTargeting: cost, clicks, purchases14d, sales14d). */
export interface SpTargetingRow {
  keywordId: string;
  campaignId: string;
  adGroupId: string;
  keywordText: string;
  matchType: string;
  cost: number;
  clicks: number;
  purchases: number;
  sales: number;
}

/** A customer search term's figures over the report period (spSearchTerm). */
export interface SpSearchTermRow {
  campaignId: string;
  adGroupId: string;
  keywordId: string | null;
  searchTerm: string;
  cost: number;
  clicks: number;
  purchases: number;
  sales: number;
}

/** Bid updates and negative exact keywords, applied once per key. */
export interface ApplySpChangesInput {
  idempotencyKey: string;
  bids: Array<{ keywordId: string; bid: number }>;
  negatives: Array<{ campaignId: string; adGroupId: string; keywordText: string }>;
}

/** What applying SP changes did; a repeat under the same key changes nothing. */
export interface ApplySpChangesResult {
  bidsApplied: number;
  negativesApplied: number;
  skipped: number;
}

/** Amazon Ads (Sponsored Products): keywords, the 14-day targeting and search-term reports, bid and negative changes. */
export interface AmazonAdsConnector {
  readonly source: 'sample' | 'amazon_ads';
  listKeywords(): Promise<SpKeyword[]>;
  /** Negative keywords already in place (a term negated since the report period spent is not proposed again). */
  listNegativeKeywords(): Promise<Array<{ campaignId: string; adGroupId: string; keywordText: string; matchType: string }>>;
  /** Keyword figures over the last `days` days (v3 report spTargeting, create → poll → download). */
  targetingReport(range: { days: number; end: Date }): Promise<SpTargetingRow[]>;
  /** Search-term figures over the last `days` days (v3 report spSearchTerm). */
  searchTermReport(range: { days: number; end: Date }): Promise<SpSearchTermRow[]>;
  applyChanges(input: ApplySpChangesInput): Promise<ApplySpChangesResult>;
}
