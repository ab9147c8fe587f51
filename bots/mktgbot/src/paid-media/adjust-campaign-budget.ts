import { z } from 'zod';
import { defineAction } from '@jbot/core';

const platform = z.enum(['meta', 'google', 'tiktok', 'pinterest', 'amazon']);

// Checked when requested and again when executed, since it crossed the brain as JSON.
const adjustBudgetDraft = z.object({
  platform,
  campaign_id: z.string().min(1),
  campaign: z.string().min(1),
  current_daily_budget: z.number().positive(),
  new_daily_budget: z.number().min(1),
  /** Why, in words (the rule and its figures). */
  reason: z.string().min(1),
  /** Which job asked (paid-media-daily, spend-pacing…). */
  source: z.string().min(1),
});

/** The approval draft: one campaign, its budget now and the budget proposed. */
export type AdjustCampaignBudgetDraft = z.input<typeof adjustBudgetDraft>;

/**
 * `adjust_campaign_budget`: set one campaign's daily budget on its own platform, once per
 * approval (the connector's write is keyed by the approval's idempotency key, so a retry, a
 * crash after the write or a second host changes it once).
 */
export const adjustCampaignBudget = defineAction({
  name: 'adjust_campaign_budget',
  draft: adjustBudgetDraft,
  async execute(draft, context, approval): Promise<{ summary: string; campaign_id: string; daily_budget: number; previous: number | null; changed: boolean }> {
    const result = await context.connectors.paidMedia.setCampaignBudget({
      platform: draft.platform,
      campaignId: draft.campaign_id,
      dailyBudget: draft.new_daily_budget,
      idempotencyKey: `${context.idempotencyKey}:budget:${draft.platform}:${draft.campaign_id}`,
      reason: `approval ${approval.id}: ${draft.reason}`,
    });
    context.log.info(
      { platform: draft.platform, campaignId: draft.campaign_id, dailyBudget: result.dailyBudget, changed: result.changed },
      'campaign budget set',
    );
    return {
      summary: result.changed
        ? `${draft.platform} "${draft.campaign}" daily budget $${(result.previousDailyBudget ?? draft.current_daily_budget).toFixed(2)} → $${result.dailyBudget.toFixed(2)}`
        : `${draft.platform} "${draft.campaign}" budget was already set by this approval ($${result.dailyBudget.toFixed(2)}); nothing changed`,
      campaign_id: draft.campaign_id,
      daily_budget: result.dailyBudget,
      previous: result.previousDailyBudget,
      changed: result.changed,
    };
  },
});
