import type { Db } from '@jbot/core';
import { day, numberOrNull } from '../sample/row-values.js';
import type { BrandSales, DailySales, MonthlyKpi, MonthlyOps, PlanTarget, ReportingConnector, SalesChannel } from './reporting-connector.js';

/** The sample company's reporting: its orders, order history, Amazon metrics, plan and closed months. */
export function createSampleReportingConnector(db: Db): ReportingConnector {
  return {
    source: 'sample',
    async dailySales(range) {
      const rows = await db.rpc('sample_reporting_daily_sales', { p_from: range.from, p_to: range.to, p_tz: range.timeZone });
      return rows.map((row): DailySales => ({
        day: day(row['day']),
        channel: String(row['channel']) as SalesChannel,
        orders: Number(row['orders']),
        revenue: Number(row['revenue']),
        units: Number(row['units']),
        brands: brandsOf(row['brands']),
      }));
    },
    async plan(range) {
      const rows = await db.rpc('sample_reporting_plan', { p_from: range.fromMonth, p_to: range.toMonth });
      return rows.map((row): PlanTarget => ({
        month: day(row['month']),
        channel: String(row['channel']) as SalesChannel,
        brand: String(row['brand']),
        revenue: Number(row['revenue']),
      }));
    },
    async monthlyKpis(range) {
      const rows = await db.rpc('sample_reporting_monthly_kpis', { p_from: range.fromMonth, p_to: range.toMonth });
      return rows.map((row): MonthlyKpi => ({
        month: day(row['month']),
        channel: String(row['channel']) as SalesChannel,
        brand: String(row['brand']),
        revenue: Number(row['revenue']),
        cogs: Number(row['cogs']),
        orders: Number(row['orders']),
        units: Number(row['units']),
      }));
    },
    async monthlyOps(range) {
      const rows = await db.rpc('sample_reporting_monthly_ops', { p_from: range.fromMonth, p_to: range.toMonth });
      return rows.map((row): MonthlyOps => ({
        month: day(row['month']),
        adSpend: Number(row['ad_spend']),
        newCustomers: Number(row['new_customers']),
        otifPct: Number(row['otif_pct']),
        weeksOfSupply: Number(row['weeks_of_supply']),
        openPipeline: Number(row['open_pipeline']),
      }));
    },
  };
}

function brandsOf(value: unknown): Record<string, BrandSales> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const brands: Record<string, BrandSales> = {};
  if (parsed === null || typeof parsed !== 'object') return brands;
  for (const [brand, share] of Object.entries(parsed as Record<string, { revenue?: unknown; units?: unknown }>)) {
    brands[brand] = { revenue: numberOrNull(share.revenue) ?? 0, units: numberOrNull(share.units) ?? 0 };
  }
  return brands;
}
