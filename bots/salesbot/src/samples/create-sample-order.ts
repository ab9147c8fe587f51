import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const sampleOrderDraft = z.object({
  deal_id: z.string().min(1),
  deal: z.string(),
  account: z.string(),
  /** The buyer the samples go to. */
  email: z.string().email(),
  lines: z.array(z.object({ sku: z.string().min(1), name: z.string(), quantity: z.number().int().min(1) })).min(1),
  note: z.string(),
});

/** The approval draft: the sample order exactly as it will be created. */
export type SampleOrderDraft = z.input<typeof sampleOrderDraft>;

/** What creating the approved sample order did, stored as the approval's result. */
export interface CreateSampleOrderResult {
  summary: string;
  draft_order_id: string;
  created_now: boolean;
}

/**
 * `create_sample_order`: one draft order for the warehouse, 100% discounted and tagged `sample`
 * (Shopify draftOrderCreate). Keyed by the approval's idempotency key and the deal, so a retry
 * after a crash (or a second copy of salesbot) creates no second order.
 */
export const createSampleOrder = defineAction({
  name: 'create_sample_order',
  draft: sampleOrderDraft,
  async execute(draft, context): Promise<CreateSampleOrderResult> {
    const created = await context.connectors.draftOrders.createDraftOrder({
      dealId: draft.deal_id,
      email: draft.email,
      tags: ['sample'],
      lines: draft.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
      note: draft.note,
      idempotencyKey: `${context.idempotencyKey}:sample-order:${draft.deal_id}`,
    });
    context.log.info({ dealId: draft.deal_id, draftOrderId: created.draftOrderId, createdNow: created.created }, `sample order for ${draft.account}`);
    return {
      summary: `${created.created ? 'created' : 'already created'} sample draft order ${created.draftOrderId} for ${draft.account} (${draft.lines.length} SKU${draft.lines.length === 1 ? '' : 's'}, 100% off)`,
      draft_order_id: created.draftOrderId,
      created_now: created.created,
    };
  },
});
