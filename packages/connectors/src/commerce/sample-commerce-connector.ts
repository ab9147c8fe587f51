import type { Db } from '@jbot/core';
import { day, instant, jsonArray, numberOrNull, text } from '../sample/row-values.js';
import type { CommerceConnector, Order, OrderLine } from './commerce-connector.js';

/** Orders and inventory over the sample company's Shopify-shaped tables. */
export function createSampleCommerceConnector(db: Db): CommerceConnector {
  return {
    source: 'sample',
    async listOrders(options = {}) {
      const rows = await db.rpc('sample_commerce_list_orders', { p_since: options.since?.toISOString(), p_open_only: options.openOnly ?? false });
      return rows.map((row): Order => ({
        id: String(row['order_id']),
        channel: row['channel'] === 'wholesale' ? 'wholesale' : 'dtc',
        accountId: text(row['account_id']),
        customerName: String(row['customer_name']),
        customerEmail: String(row['customer_email']),
        shipCity: text(row['ship_city']),
        shipProvince: text(row['ship_province']),
        createdAt: instant(row['created_at']) ?? '',
        financialStatus: String(row['financial_status']),
        fulfillmentStatus: String(row['fulfillment_status']),
        backordered: row['backordered'] === true,
        promisedShipDate: row['promised_ship_date'] === null ? null : day(row['promised_ship_date']),
        lines: jsonArray<OrderLine>(row['lines']).map((line) => ({ sku: String(line.sku), quantity: Number(line.quantity), price: Number(line.price) })),
      }));
    },
    async listInventory() {
      const rows = await db.rpc('sample_commerce_inventory');
      return rows.map((row) => ({
        sku: String(row['sku']),
        name: String(row['name']),
        brand: String(row['brand_name']),
        location: String(row['location']),
        onHand: Number(row['on_hand']),
        committed: Number(row['committed']),
        available: Number(row['available']),
        dailyVelocity: numberOrNull(row['daily_velocity']) ?? 0,
      }));
    },
    async listPrices() {
      return (await db.rpc('sample_commerce_prices')).map((row) => ({ sku: String(row['sku']), price: numberOrNull(row['price']) ?? 0 }));
    },
  };
}
