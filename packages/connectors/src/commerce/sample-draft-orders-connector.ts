import { rpcOne, type Db } from '@jbot/core';
import { instant, numberOrNull, text } from '../sample/row-values.js';
import type { DraftOrderLine, DraftOrdersConnector } from './draft-orders-connector.js';

function linesOf(value: unknown): DraftOrderLine[] {
  if (!Array.isArray(value)) return [];
  return value.map((line: { sku?: unknown; quantity?: unknown }) => ({ sku: String(line.sku), quantity: Number(line.quantity) }));
}

/** Draft orders over the sample store's table (sample_draft_orders); a create lands once per key. */
export function createSampleDraftOrdersConnector(db: Db): DraftOrdersConnector {
  return {
    source: 'sample',
    async listDraftOrders({ tag }) {
      const rows = await db.rpc('sample_draft_orders_tagged', { p_tag: tag });
      return rows.map((row) => ({
        id: String(row['draft_order_id']),
        dealId: text(row['deal_id']),
        accountId: text(row['account_id']),
        email: String(row['email']),
        tags: Array.isArray(row['tags']) ? (row['tags'] as unknown[]).map(String) : [],
        lines: linesOf(row['lines']),
        discountPct: numberOrNull(row['discount_pct']) ?? 0,
        note: String(row['note'] ?? ''),
        createdAt: instant(row['created_at']) ?? '',
      }));
    },
    async createDraftOrder(input) {
      if (input.lines.length === 0 || input.lines.some((line) => !Number.isInteger(line.quantity) || line.quantity < 1))
        throw new Error(`draft order for deal ${input.dealId}: every line needs a whole quantity of at least 1`);
      const row = await rpcOne(db, 'sample_draft_order_create', {
        p_idempotency_key: input.idempotencyKey,
        p_deal_id: input.dealId,
        p_email: input.email,
        p_tags: input.tags,
        p_lines: input.lines,
        p_note: input.note,
      });
      return { draftOrderId: String(row['draft_order_id']), created: row['created'] === true };
    },
  };
}
