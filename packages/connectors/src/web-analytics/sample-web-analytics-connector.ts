import type { Db } from '@jbot/core';
import { day, instant, numberOrNull } from '../sample/row-values.js';
import type { WebAnalyticsConnector } from './web-analytics-connector.js';

/** GA4-shaped daily purchases and hourly funnels over the sample company's tables. */
export function createSampleWebAnalyticsConnector(db: Db): WebAnalyticsConnector {
  return {
    source: 'sample',
    async dailyPurchases(range) {
      const rows = await db.rpc('sample_ga4_daily_report', { p_from: range.from, p_to: range.to });
      return rows.map((row) => ({ day: day(row['day']), purchases: Number(row['purchases']), revenue: numberOrNull(row['revenue']) ?? 0 }));
    },
    async hourlyFunnel(range) {
      const rows = await db.rpc('sample_ga4_hourly_report', { p_from: range.from.toISOString(), p_to: range.to.toISOString() });
      return rows.map((row) => ({
        hour: instant(row['hour']) ?? '',
        device: String(row['device']),
        sessions: Number(row['sessions']),
        addToCarts: Number(row['add_to_carts']),
        checkouts: Number(row['checkouts']),
        purchases: Number(row['purchases']),
      }));
    },
  };
}
