/** One Search Analytics row for dimensions [page, query] over a date range. */
export interface SearchAnalyticsRow {
  page: string;
  query: string;
  clicks: number;
  impressions: number;
  ctr: number;
  /** Average position, weighted by impressions. */
  position: number;
}

/** Field Core Web Vitals (p75, mobile) for one URL, as PageSpeed Insights' loadingExperience reports them. */
export interface FieldVitals {
  url: string;
  template: string;
  lcpMs: number | null;
  inpMs: number | null;
  cls: number | null;
}

/** What URL Inspection says about one URL. */
export interface IndexStatus {
  url: string;
  indexed: boolean;
  googleCanonical: string | null;
}

/** Google Search Console and PageSpeed Insights for our store. */
export interface SearchConnector {
  readonly source: 'sample' | 'google';
  /** The newest complete day with data (Search Console lags ~3 days), YYYY-MM-DD; null without data. */
  lastCompleteDay(): Promise<string | null>;
  searchAnalytics(range: { startDate: string; endDate: string }): Promise<SearchAnalyticsRow[]>;
  inspectUrls(urls: readonly string[]): Promise<IndexStatus[]>;
  /** The key templates' field vitals (home, collections, product pages per brand). */
  fieldVitals(): Promise<FieldVitals[]>;
}
