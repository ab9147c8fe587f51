import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const dealPricingDraft = z.object({
  deal_id: z.string().min(1),
  deal: z.string(),
  tier: z.enum(['finance', 'cfo']),
  deal_value: z.number().nonnegative(),
  lines: z
    .array(
      z.object({
        sku: z.string(),
        unit_price: z.number(),
        list_price: z.number(),
        discount_pct: z.number(),
        margin_pct: z.number().nullable(),
        floor_price: z.number(),
      }),
    )
    .min(1),
});

/** The approval draft: the lines below the floor, as finance (or the CFO group) signs them off. */
export type DealPricingDraft = z.input<typeof dealPricingDraft>;

/** What signing off did, stored as the approval's result. */
export interface ApproveDealPricingResult {
  summary: string;
  deal_id: string;
  applied_now: boolean;
}

/**
 * `approve_deal_pricing`: record the sign-off on the deal (property pricing_approved = true, and
 * who signed: finance or the CFO group), once under the approval's key. The quote can then go out;
 * discount-guard stops listing the deal.
 */
export const approveDealPricing = defineAction({
  name: 'approve_deal_pricing',
  draft: dealPricingDraft,
  async execute(draft, context): Promise<ApproveDealPricingResult> {
    const updated = await context.connectors.crm.updateDeal({
      dealId: draft.deal_id,
      properties: { pricing_approved: 'true', pricing_approved_by: draft.tier },
      idempotencyKey: `${context.idempotencyKey}:deal:${draft.deal_id}`,
    });
    context.log.info({ dealId: draft.deal_id, tier: draft.tier, appliedNow: updated.applied }, 'deal pricing approved');
    return {
      summary: `pricing on ${draft.deal} signed off (${draft.tier === 'cfo' ? 'CFO group' : 'finance'})${updated.applied ? '' : ' — already recorded under this approval'}`,
      deal_id: draft.deal_id,
      applied_now: updated.applied,
    };
  },
});
