import type { Db } from '@jbot/core';
import { day, jsonArray } from '../sample/row-values.js';
import type { WholesaleHistoryConnector, WholesaleHistoryOrder } from './wholesale-history-connector.js';

/** The sample company's wholesale order history (sample_wholesale_order_history), read-only. */
export function createSampleWholesaleHistoryConnector(db: Db): WholesaleHistoryConnector {
  return {
    source: 'sample',
    async listOrdersSince(since) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new Error(`listOrdersSince: since must be YYYY-MM-DD, got ${JSON.stringify(since)}`);
      const rows = await db.rpc('sample_wholesale_order_history_since', { p_since: since });
      return rows.map((row): WholesaleHistoryOrder => ({
        orderId: String(row['order_id']),
        accountId: String(row['account_id']),
        accountName: String(row['account_name']),
        orderedOn: day(row['ordered_on']),
        amount: Number(row['amount']),
        unitsOrdered: Number(row['units_ordered']),
        unitsShipped: Number(row['units_shipped']),
        lines: jsonArray<Record<string, unknown>>(row['lines']).map((line) => ({ sku: String(line['sku']), units: Number(line['units']) })),
      }));
    },
  };
}
