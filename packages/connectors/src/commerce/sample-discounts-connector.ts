import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { instant, jsonArray, numberOrNull, text } from '../sample/row-values.js';
import type { Discount, DiscountsConnector } from './discounts-connector.js';

const status = (value: unknown): Discount['status'] => (value === 'SCHEDULED' ? 'SCHEDULED' : value === 'EXPIRED' ? 'EXPIRED' : 'ACTIVE');

/** Shopify-shaped discounts over the sample tables; approved changes update them once per key. */
export function createSampleDiscountsConnector(db: Db): DiscountsConnector {
  return {
    source: 'sample',
    async listDiscounts() {
      return (await db.rpc('sample_shopify_discount_list')).map((row) => ({
        id: String(row['discount_id']),
        kind: row['kind'] === 'code' ? ('code' as const) : ('automatic' as const),
        title: String(row['title']),
        code: text(row['code']),
        status: status(row['status']),
        startsAt: instant(row['starts_at']) ?? '',
        endsAt: instant(row['ends_at']),
        percent: numberOrNull(row['percent']),
        skus: jsonArray<string>(row['skus']),
        usageLimit: numberOrNull(row['usage_limit']),
        usageCount: Number(row['usage_count'] ?? 0),
      }));
    },
    async listCodeRedemptions(window) {
      return (await db.rpc('sample_shopify_discount_redemption_list', { p_since: window.since.toISOString(), p_until: window.until.toISOString() })).map(
        (row) => ({
          orderId: String(row['order_id']),
          code: String(row['code']),
          createdAt: instant(row['created_at']) ?? '',
          referrerUrl: text(row['referrer_url']),
          landingUrl: text(row['landing_url']),
        }),
      );
    },
    async listUnitCosts() {
      return (await db.rpc('sample_product_unit_costs')).map((row) => ({ sku: String(row['sku']), unitCost: numberOrNull(row['unit_cost']) }));
    },
    async updateDiscount(input) {
      const row = await rpcOne(db, 'sample_shopify_update_discount', {
        p_idempotency_key: input.idempotencyKey,
        p_discount_id: input.discountId,
        p_ends_at: input.endsAt ?? null,
        p_exclude_skus: input.excludeSkus ?? [],
        p_deactivate: input.deactivate ?? false,
      });
      return {
        discountId: String(row['discount_id']),
        status: String(row['status']),
        endsAt: instant(row['ends_at']),
        skus: jsonArray<string>(row['skus']),
        changed: row['changed'] === true,
      };
    },
    async createDiscount(input) {
      const row = await rpcOne(db, 'sample_shopify_create_discount', {
        p_idempotency_key: input.idempotencyKey,
        p_kind: input.kind,
        p_title: input.title,
        p_code: input.code ?? null,
        p_percent: input.percent,
        p_skus: input.skus,
        p_starts_at: input.startsAt,
        p_ends_at: input.endsAt,
        p_usage_limit: input.usageLimit ?? null,
      });
      return { discountId: String(row['discount_id']), code: text(row['code']), status: String(row['status']), created: row['created'] === true };
    },
  };
}
