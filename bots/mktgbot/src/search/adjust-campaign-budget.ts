import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The same draft as mktg-paid's adjust_campaign_budget (paid-media/adjust-campaign-budget.ts):
// when both branches meet, one action stays and the other's file goes, with no draft change.
const adjustBudgetDraft = z.object({
  platform: z.enum(['meta', 'google', 'tiktok', 'pinterest', 'amazon']),
  campaign_id: z.string().min(1),
  campaign: z.string().min(1),
  current_daily_budget: z.number().positive(),
  new_daily_budget: z.number().min(1),
  /** Why, in words (the rule and its figures). */
  reason: z.string().min(1),
  /** Which job asked (brand-search-share…). */
  source: z.string().min(1),
});

/** The approval draft: one campaign, its budget now and the budget proposed. */
export type AdjustCampaignBudgetDraft = z.input<typeof adjustBudgetDraft>;

/**
 * `adjust_campaign_budget` for search campaigns: set one Google Ads campaign's daily budget
 * (campaign_budget.amount_micros), keyed by the approval so a retry or a second host sets it once.
 */
export const adjustCampaignBudget = defineAction({
  name: 'adjust_campaign_budget',
  draft: adjustBudgetDraft,
  async execute(draft, context): Promise<{ summary: string; campaign_id: string; daily_budget: number; changed: boolean }> {
    if (draft.platform !== 'google')
      throw new Error(`adjust_campaign_budget on ${draft.platform} is not wired in this build (only Google Ads search campaigns): change it in the platform`);
    const result = await context.connectors.googleAds.setCampaignBudget({
      idempotencyKey: `${context.idempotencyKey}:budget:${draft.platform}:${draft.campaign_id}`,
      campaignId: draft.campaign_id,
      dailyBudget: draft.new_daily_budget,
    });
    context.log.info({ campaignId: draft.campaign_id, dailyBudget: result.dailyBudget, changed: result.changed }, 'campaign budget set');
    return {
      summary: result.changed
        ? `google "${draft.campaign}" daily budget $${draft.current_daily_budget.toFixed(2)} → $${result.dailyBudget.toFixed(2)}`
        : `google "${draft.campaign}" budget was already set by this approval ($${result.dailyBudget.toFixed(2)}); nothing changed`,
      campaign_id: draft.campaign_id,
      daily_budget: result.dailyBudget,
      changed: result.changed,
    };
  },
});
