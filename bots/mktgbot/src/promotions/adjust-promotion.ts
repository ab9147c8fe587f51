import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested and again when executed, since it crossed the brain as JSON.
const adjustPromotionDraft = z
  .object({
    discount_id: z.string().min(1),
    kind: z.enum(['automatic', 'code']),
    title: z.string().min(1),
    /** End the promotion at this instant (ISO), never later than it ends now… */
    ends_at: z.string().min(1).nullable(),
    /** …and/or take these SKUs out of it. */
    exclude_skus: z.array(z.string().min(1)),
    risks: z.array(z.object({ sku: z.string(), risk: z.enum(['low_cover', 'below_margin']), detail: z.string() })).min(1),
    note: z.string().optional(),
  })
  .refine((draft) => draft.ends_at !== null || draft.exclude_skus.length > 0, { message: 'an adjustment ends the promotion earlier or excludes SKUs' });

/** The approval draft: the promotion, what is wrong with it and the change. */
export type AdjustPromotionDraft = z.input<typeof adjustPromotionDraft>;

/**
 * `adjust_promotion`: the Shopify discount ends early or loses the SKUs it should not discount,
 * once per approval (the connector's side-effect ledger); a repeat changes nothing.
 */
export const adjustPromotion = defineAction({
  name: 'adjust_promotion',
  draft: adjustPromotionDraft,
  async execute(draft, context): Promise<{ summary: string; discount_id: string; status: string; ends_at: string | null; skus: string[]; changed: boolean }> {
    const result = await context.connectors.discounts.updateDiscount({
      discountId: draft.discount_id,
      kind: draft.kind,
      idempotencyKey: `${context.idempotencyKey}:adjust:${draft.discount_id}`,
      ...(draft.ends_at === null ? {} : { endsAt: draft.ends_at }),
      ...(draft.exclude_skus.length === 0 ? {} : { excludeSkus: draft.exclude_skus }),
    });
    context.log.info({ discountId: draft.discount_id, changed: result.changed }, 'promotion adjusted');
    const what = [
      draft.exclude_skus.length === 0 ? null : `without ${draft.exclude_skus.join(', ')}`,
      draft.ends_at === null ? null : `ending ${result.endsAt ?? draft.ends_at}`,
    ].filter((part) => part !== null);
    return {
      summary: result.changed ? `"${draft.title}" now runs ${what.join(', ')}` : `"${draft.title}" was already adjusted; nothing changed`,
      discount_id: result.discountId,
      status: result.status,
      ends_at: result.endsAt,
      skus: result.skus,
      changed: result.changed,
    };
  },
});
