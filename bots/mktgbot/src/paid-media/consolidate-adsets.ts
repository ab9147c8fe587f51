import { z } from 'zod';
import { defineAction } from '@jbot/core';

// Checked when requested and again when executed, since it crossed the brain as JSON.
const consolidateDraft = z.object({
  campaign_id: z.string().min(1),
  campaign: z.string().min(1),
  keep: z.object({ ad_set_id: z.string().min(1), name: z.string(), daily_budget: z.number().positive(), new_daily_budget: z.number().positive() }),
  pause: z.array(z.object({ ad_set_id: z.string().min(1), name: z.string(), daily_budget: z.number().nonnegative() })).min(1),
  combined_events_7d: z.number().int().nonnegative(),
  reason: z.string().min(1),
});

/** The approval draft: the ad set kept (with its new budget) and the weaker ones paused. */
export type ConsolidateAdSetsDraft = z.input<typeof consolidateDraft>;

/**
 * `consolidate_adsets`: pause the weaker Learning-Limited ad sets of a campaign and move their
 * budget to the one kept, so it can reach ~50 optimisation events a week. The kept ad set's
 * budget is raised first (the campaign never spends less than before); every write is keyed by
 * the approval's idempotency key, so a retry or a second host changes each ad set once.
 */
export const consolidateAdsets = defineAction({
  name: 'consolidate_adsets',
  draft: consolidateDraft,
  async execute(draft, context, approval): Promise<{ summary: string; kept: string; paused: string[]; changed: number }> {
    const { paidMedia } = context.connectors;
    const key = `${context.idempotencyKey}:consolidate:${draft.campaign_id}`;
    let changed = 0;
    const kept = await paidMedia.updateAdSet({
      platform: 'meta',
      adSetId: draft.keep.ad_set_id,
      dailyBudget: draft.keep.new_daily_budget,
      idempotencyKey: `${key}:keep:${draft.keep.ad_set_id}`,
    });
    if (kept.changed) changed += 1;
    for (const adSet of draft.pause) {
      const paused = await paidMedia.updateAdSet({
        platform: 'meta',
        adSetId: adSet.ad_set_id,
        status: 'PAUSED',
        idempotencyKey: `${key}:pause:${adSet.ad_set_id}`,
      });
      if (paused.changed) changed += 1;
    }
    context.log.info(
      { campaignId: draft.campaign_id, kept: draft.keep.ad_set_id, paused: draft.pause.map((adSet) => adSet.ad_set_id), changed, approvalId: approval.id },
      'ad sets consolidated',
    );
    return {
      summary:
        changed === 0
          ? `"${draft.campaign}" was already consolidated by this approval; nothing changed`
          : `"${draft.campaign}": kept "${draft.keep.name}" at $${draft.keep.new_daily_budget.toFixed(2)}/day, paused ${draft.pause.map((adSet) => `"${adSet.name}"`).join(', ')}`,
      kept: draft.keep.ad_set_id,
      paused: draft.pause.map((adSet) => adSet.ad_set_id),
      changed,
    };
  },
});
