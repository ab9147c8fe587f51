/** One day of the web analytics property: ecommerce purchases and their revenue (GA4 ecommercePurchases, purchaseRevenue). */
export interface AnalyticsDay {
  /** YYYY-MM-DD in the property's zone. */
  day: string;
  purchases: number;
  revenue: number;
}

/** One hour × device of the store funnel (GA4 dateHour × deviceCategory). */
export interface FunnelHour {
  /** The hour's start, ISO instant. */
  hour: string;
  device: string;
  sessions: number;
  addToCarts: number;
  checkouts: number;
  purchases: number;
}

/** Web analytics (GA4): daily purchases and the hourly funnel by device. */
export interface WebAnalyticsConnector {
  readonly source: 'sample' | 'ga4';
  /** Days in [from, to] (YYYY-MM-DD, inclusive). */
  dailyPurchases(range: { from: string; to: string }): Promise<AnalyticsDay[]>;
  /** Complete hours whose start is in [from, to). */
  hourlyFunnel(range: { from: Date; to: Date }): Promise<FunnelHour[]>;
}
