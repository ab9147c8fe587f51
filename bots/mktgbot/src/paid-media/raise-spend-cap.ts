import { z } from 'zod';
import { defineAction } from '@jbot/core';

// Checked when requested and again when executed, since it crossed the brain as JSON.
const raiseSpendCapDraft = z.object({
  platform: z.enum(['meta', 'google', 'tiktok', 'pinterest', 'amazon']),
  account_id: z.string().min(1),
  account: z.string().min(1),
  current_spend_cap: z.number().positive(),
  amount_spent: z.number().nonnegative(),
  new_spend_cap: z.number().positive(),
  reason: z.string().min(1),
});

/** The approval draft: the account, its cap and spend, and the cap proposed. */
export type RaiseSpendCapDraft = z.input<typeof raiseSpendCapDraft>;

/** `raise_spend_cap`: the ad account's lifetime spend cap set to the approved value, once per approval. */
export const raiseSpendCap = defineAction({
  name: 'raise_spend_cap',
  draft: raiseSpendCapDraft.refine((draft) => draft.new_spend_cap > draft.current_spend_cap, 'the new cap must be above the current one'),
  async execute(draft, context, approval): Promise<{ summary: string; account_id: string; spend_cap: number; changed: boolean }> {
    const result = await context.connectors.paidMedia.setSpendCap({
      platform: draft.platform,
      spendCap: draft.new_spend_cap,
      idempotencyKey: `${context.idempotencyKey}:spend-cap:${draft.platform}:${draft.account_id}`,
    });
    context.log.info(
      { platform: draft.platform, accountId: result.accountId, spendCap: result.spendCap, changed: result.changed, approvalId: approval.id },
      'spend cap set',
    );
    return {
      summary: result.changed
        ? `${draft.account} spend cap $${(result.previousSpendCap ?? draft.current_spend_cap).toFixed(2)} → $${result.spendCap.toFixed(2)}`
        : `${draft.account} spend cap was already set by this approval ($${result.spendCap.toFixed(2)}); nothing changed`,
      account_id: result.accountId,
      spend_cap: result.spendCap,
      changed: result.changed,
    };
  },
});
