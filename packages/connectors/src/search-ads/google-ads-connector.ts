/** A Google Ads campaign. */
export interface GoogleAdsCampaign {
  id: string;
  name: string;
  status: 'ENABLED' | 'PAUSED' | 'REMOVED';
  /** Daily budget in the account currency (campaign_budget.amount_micros / 1e6). */
  dailyBudget: number;
  /** The campaign_budget resource behind it (live), for a budget update. */
  budgetResourceName?: string;
}

/** One campaign-day of metrics; the impression shares are fractions, null where Google reports none. */
export interface GoogleAdsCampaignDay {
  campaignId: string;
  /** YYYY-MM-DD in the account's zone. */
  day: string;
  cost: number;
  clicks: number;
  conversions: number;
  conversionsValue: number;
  impressionShare: number | null;
  budgetLostImpressionShare: number | null;
  rankLostImpressionShare: number | null;
  topImpressionShare: number | null;
}

/** One search term over the period asked (search_term_view). */
export interface GoogleAdsSearchTerm {
  campaignId: string;
  adGroupId: string;
  term: string;
  cost: number;
  clicks: number;
  conversions: number;
  conversionsValue: number;
}

/** A keyword or negative keyword on a campaign. */
export interface GoogleAdsKeyword {
  campaignId: string;
  text: string;
  matchType: 'EXACT' | 'PHRASE' | 'BROAD';
  negative: boolean;
}

/** Keywords to add: negatives (campaign_criterion, negative) and positives (ad_group_criterion). */
export interface ApplyKeywordsInput {
  idempotencyKey: string;
  items: Array<GoogleAdsKeyword & { adGroupId?: string }>;
}

/** What applying keywords did; a repeat under the same key applies nothing. */
export interface ApplyKeywordsResult {
  applied: number;
  skipped: number;
}

/** A campaign's new daily budget, set once per key. */
export interface SetCampaignBudgetInput {
  idempotencyKey: string;
  campaignId: string;
  dailyBudget: number;
}

/** What a budget update did. */
export interface SetCampaignBudgetResult {
  campaignId: string;
  dailyBudget: number;
  changed: boolean;
}

/** Search ads (Google Ads): campaigns, impression share, search terms, keywords. */
export interface GoogleAdsConnector {
  readonly source: 'sample' | 'google_ads';
  listCampaigns(): Promise<GoogleAdsCampaign[]>;
  /** Days in [from, to] (YYYY-MM-DD, inclusive). */
  campaignMetrics(range: { from: string; to: string }): Promise<GoogleAdsCampaignDay[]>;
  /** Search terms over the last 14 days (LAST_14_DAYS), aggregated per campaign and term. */
  searchTerms(): Promise<GoogleAdsSearchTerm[]>;
  listKeywords(): Promise<GoogleAdsKeyword[]>;
  applyKeywords(input: ApplyKeywordsInput): Promise<ApplyKeywordsResult>;
  setCampaignBudget(input: SetCampaignBudgetInput): Promise<SetCampaignBudgetResult>;
}
