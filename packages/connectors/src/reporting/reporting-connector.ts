/** A sales channel as the company reports it. */
export type SalesChannel = 'dtc' | 'wholesale' | 'amazon';

/** Every reported channel, in report order. */
export const SALES_CHANNELS: readonly SalesChannel[] = ['dtc', 'wholesale', 'amazon'];

/** One brand's share of a day's channel sales. */
export interface BrandSales {
  revenue: number;
  units: number;
}

/** One local day of one channel: orders, revenue and units, and the split by brand. */
export interface DailySales {
  /** YYYY-MM-DD in the company's zone. */
  day: string;
  channel: SalesChannel;
  orders: number;
  revenue: number;
  units: number;
  /** brand id (KC, SM, …) → its share. */
  brands: Record<string, BrandSales>;
}

/** The plan: one month × channel × brand. */
export interface PlanTarget {
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  channel: SalesChannel;
  brand: string;
  revenue: number;
}

/** A closed month's result for one channel × brand. */
export interface MonthlyKpi {
  month: string;
  channel: SalesChannel;
  brand: string;
  revenue: number;
  cogs: number;
  orders: number;
  units: number;
}

/** A closed month's company-level figures: ad spend, new customers, OTIF, cover, pipeline. */
export interface MonthlyOps {
  month: string;
  adSpend: number;
  newCustomers: number;
  otifPct: number;
  weeksOfSupply: number;
  openPipeline: number;
}

/**
 * The company's numbers as finance reports them: daily sales by channel (the store's orders and
 * the marketplace's order metrics), the plan, and closed months. jbot's flash and packs read only this.
 */
export interface ReportingConnector {
  readonly source: 'sample' | 'live';
  /** Days in [from, to] (YYYY-MM-DD, inclusive) in `timeZone`; a channel with no sales that day has no row. */
  dailySales(range: { from: string; to: string; timeZone: string }): Promise<DailySales[]>;
  /** Plan rows for the months whose first day is in [fromMonth, toMonth]. */
  plan(range: { fromMonth: string; toMonth: string }): Promise<PlanTarget[]>;
  /** Closed months' KPIs per channel × brand. */
  monthlyKpis(range: { fromMonth: string; toMonth: string }): Promise<MonthlyKpi[]>;
  /** Closed months' company-level figures. */
  monthlyOps(range: { fromMonth: string; toMonth: string }): Promise<MonthlyOps[]>;
}
