import { z } from 'zod';
import { defineAction } from '@jbot/core';

const platform = z.enum(['meta', 'google', 'tiktok', 'pinterest', 'amazon']);
const campaignChange = z.object({
  platform,
  campaign_id: z.string().min(1),
  campaign: z.string(),
  from_daily_budget: z.number().positive(),
  to_daily_budget: z.number().min(1),
});

// Checked when requested and again when executed, since it crossed the brain as JSON.
const reallocateDraft = z
  .object({
    from_platform: platform,
    to_platform: platform,
    /** Dollars a week moved (≤ 10% of the weekly budget). */
    weekly_amount: z.number().positive(),
    changes: z.array(campaignChange).min(2),
    reason: z.string().min(1),
  })
  .refine((draft) => draft.from_platform !== draft.to_platform, 'from and to must be different platforms');

/** The approval draft: the platforms, the amount, and each campaign's budget before and after. */
export type ReallocateBudgetDraft = z.input<typeof reallocateDraft>;

/**
 * `reallocate_budget`: move budget between platforms within the same weekly total: each campaign's
 * daily budget set as the draft says, the increases after the cuts, every write keyed by the
 * approval's idempotency key so a retry or a second host changes each campaign once.
 */
export const reallocateBudget = defineAction({
  name: 'reallocate_budget',
  draft: reallocateDraft,
  async execute(draft, context, approval): Promise<{ summary: string; changed: number }> {
    const { paidMedia } = context.connectors;
    let changed = 0;
    // Cuts first: the account never runs above the approved weekly total, even halfway.
    const ordered = [...draft.changes].sort((left, right) => left.to_daily_budget - left.from_daily_budget - (right.to_daily_budget - right.from_daily_budget));
    for (const change of ordered) {
      const result = await paidMedia.setCampaignBudget({
        platform: change.platform,
        campaignId: change.campaign_id,
        dailyBudget: change.to_daily_budget,
        idempotencyKey: `${context.idempotencyKey}:reallocate:${change.platform}:${change.campaign_id}`,
        reason: `approval ${approval.id}: ${draft.reason}`,
      });
      if (result.changed) changed += 1;
    }
    return {
      summary:
        changed === 0
          ? 'already reallocated by this approval; nothing changed'
          : `moved $${draft.weekly_amount.toFixed(0)}/week from ${draft.from_platform} to ${draft.to_platform} across ${draft.changes.length} campaigns`,
      changed,
    };
  },
});
