import type { Db } from '@jbot/core';
import { instant, text } from '../sample/row-values.js';
import type { OrderAttributionConnector } from './order-attribution-connector.js';

/** The sample store's orders with their last visit's source and UTM tags. */
export function createSampleOrderAttributionConnector(db: Db): OrderAttributionConnector {
  return {
    source: 'sample',
    async listOrderVisits(range) {
      const rows = await db.rpc('sample_order_attribution_list', { p_from: range.from.toISOString(), p_to: range.to.toISOString() });
      return rows.map((row) => {
        const utm = { source: text(row['utm_source']), medium: text(row['utm_medium']), campaign: text(row['utm_campaign']) };
        return {
          orderId: String(row['order_id']),
          createdAt: instant(row['created_at']) ?? '',
          sourceType: String(row['source_type']),
          utm: utm.source === null && utm.medium === null && utm.campaign === null ? null : utm,
        };
      });
    },
  };
}
