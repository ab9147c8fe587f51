import { rpcOne, type Db } from '@jbot/core';
import { day, jsonArray, text } from '../sample/row-values.js';
import type { WholesaleOrder, WholesaleOrdersConnector } from './wholesale-orders-connector.js';

/**
 * The sample company's open wholesale POs (sample_orders) with their ship windows and account
 * tiers (sample_wholesale_terms). An allocation edits the order's line quantities through a SQL
 * function keyed on the approval's key, so a retry edits once.
 */
export function createSampleWholesaleOrdersConnector(db: Db): WholesaleOrdersConnector {
  return {
    source: 'sample',
    async listOpenWholesaleOrders() {
      const rows = await db.rpc('sample_wholesale_open_orders');
      return rows.map((row): WholesaleOrder => ({
        orderId: String(row['order_id']),
        vendorId: String(row['order_id']),
        accountId: text(row['account_id']),
        customerName: String(row['customer_name']),
        customerEmail: String(row['customer_email']),
        windowStart: day(row['window_start']),
        windowEnd: day(row['window_end']),
        tier: String(row['tier']) as WholesaleOrder['tier'],
        shortFinePct: Number(row['short_fine_pct']),
        lines: jsonArray<Record<string, unknown>>(row['lines']).map((line) => ({
          sku: String(line['sku']),
          quantity: Number(line['quantity']),
          price: Number(line['price']),
        })),
      }));
    },
    async applyAllocation(input) {
      const row = await rpcOne(db, 'sample_wholesale_apply_allocation', {
        p_idempotency_key: input.idempotencyKey,
        p_order_id: input.orderId,
        p_lines: input.lines,
        p_backorder_ship_date: input.backorderShipDate,
      });
      return {
        applied: row['applied'] === true,
        lines: jsonArray<Record<string, unknown>>(row['lines']).map((line) => ({ sku: String(line['sku']), quantity: Number(line['quantity']) })),
      };
    },
  };
}
