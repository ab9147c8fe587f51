import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested and again when executed, since it crossed the brain as JSON.
const disableDiscountCodeDraft = z.object({
  discount_id: z.string().min(1),
  code: z.string().min(1),
  title: z.string().min(1),
  percent: z.number().positive().max(100),
  creator: z.string().nullable(),
  /** The code that replaces it (same offer), or null to only deactivate. */
  replacement_code: z.string().min(1).nullable(),
  redemptions_today: z.number().int().nonnegative(),
  median: z.number().nonnegative(),
  coupon_share: z.number().min(0).max(1),
  reasons: z.array(z.string()).min(1),
  note: z.string().optional(),
});

/** The approval draft: the leaked code, why, and its replacement. */
export type DisableDiscountCodeDraft = z.input<typeof disableDiscountCodeDraft>;

/** The replacement for a leaked code: same stem, the next number ("SALTMARSH20" → "SALTMARSH21"), as studiobot tells the creator. */
export function replacementCode(code: string, taken: ReadonlySet<string>): string {
  const match = /^(.*?)(\d+)$/.exec(code);
  const stem = match?.[1] ?? code;
  let number = Number(match?.[2] ?? 0);
  let candidate: string;
  do {
    number += 1;
    candidate = `${stem}${number}`;
  } while (taken.has(candidate.toUpperCase()));
  return candidate;
}

/**
 * `disable_discount_code`: the leaked code stops working in Shopify and, where the draft names
 * one, its replacement (same percentage, whole order) is created — each once per approval key.
 * studiobot gives a creator the new code (its own approval on the same discount_leak signal).
 */
export const disableDiscountCode = defineAction({
  name: 'disable_discount_code',
  draft: disableDiscountCodeDraft,
  async execute(
    draft,
    context,
  ): Promise<{ summary: string; deactivated: boolean; replacement: { discount_id: string; code: string | null; created: boolean } | null }> {
    const { discounts } = context.connectors;
    const stopped = await discounts.updateDiscount({
      discountId: draft.discount_id,
      kind: 'code',
      idempotencyKey: `${context.idempotencyKey}:deactivate:${draft.discount_id}`,
      deactivate: true,
    });
    const replacement =
      draft.replacement_code === null
        ? null
        : await discounts.createDiscount({
            idempotencyKey: `${context.idempotencyKey}:replace:${draft.code}`,
            kind: 'code',
            title: `${draft.title} (replaces ${draft.code})`,
            code: draft.replacement_code,
            percent: draft.percent,
            skus: [],
            startsAt: new Date().toISOString(),
            endsAt: null,
          });
    context.log.info({ code: draft.code, deactivated: stopped.changed, replacement: replacement?.code }, 'leaked discount code disabled');
    return {
      summary: `${draft.code} ${stopped.changed ? 'deactivated' : 'was already deactivated'}${
        replacement === null
          ? ''
          : `; ${replacement.code ?? draft.replacement_code} ${replacement.created ? 'created' : 'already existed'} (${draft.percent}% off)`
      }`,
      deactivated: stopped.changed,
      replacement: replacement === null ? null : { discount_id: replacement.discountId, code: replacement.code, created: replacement.created },
    };
  },
});
