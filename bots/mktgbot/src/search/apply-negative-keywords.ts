import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested and again when executed, since it crossed the brain as JSON.
const applyNegativeKeywordsDraft = z
  .object({
    negatives: z.array(
      z.object({
        campaign_id: z.string().min(1),
        campaign: z.string(),
        term: z.string().min(1),
        cost: z.number(),
        clicks: z.number().int(),
        conversions: z.number(),
      }),
    ),
    additions: z.array(
      z.object({
        campaign_id: z.string().min(1),
        ad_group_id: z.string().min(1),
        campaign: z.string(),
        term: z.string().min(1),
        conversions: z.number(),
        cpa: z.number(),
      }),
    ),
    note: z.string().optional(),
  })
  .refine((draft) => draft.negatives.length + draft.additions.length > 0, {
    message: 'an apply_negative_keywords draft needs at least one negative or addition',
  });

/** The approval draft: search terms to exclude (negative exact) and to add as keywords (exact). */
export type ApplyNegativeKeywordsDraft = z.input<typeof applyNegativeKeywordsDraft>;

/** What the approved action did, stored as the approval's result. */
export interface ApplyNegativeKeywordsResult {
  summary: string;
  applied: number;
  skipped: number;
}

/**
 * `apply_negative_keywords`: the wasteful search terms become campaign negative exact keywords
 * (campaign_criterion, negative) and the converting ones exact keywords in their ad group, in one
 * Google Ads call keyed by the approval, so a retry or a second host applies them once.
 */
export const applyNegativeKeywords = defineAction({
  name: 'apply_negative_keywords',
  draft: applyNegativeKeywordsDraft,
  async execute(draft, context): Promise<ApplyNegativeKeywordsResult> {
    const result = await context.connectors.googleAds.applyKeywords({
      idempotencyKey: `${context.idempotencyKey}:keywords`,
      items: [
        ...draft.negatives.map((negative) => ({ campaignId: negative.campaign_id, text: negative.term, matchType: 'EXACT' as const, negative: true })),
        ...draft.additions.map((addition) => ({
          campaignId: addition.campaign_id,
          adGroupId: addition.ad_group_id,
          text: addition.term,
          matchType: 'EXACT' as const,
          negative: false,
        })),
      ],
    });
    context.log.info({ ...result }, 'Google Ads keywords applied');
    return {
      summary:
        result.applied === 0
          ? `nothing new: the ${result.skipped} keyword change(s) were already applied`
          : `added ${draft.negatives.length} negative exact and ${draft.additions.length} exact keyword(s) in Google Ads (${result.applied} applied, ${result.skipped} already there)`,
      applied: result.applied,
      skipped: result.skipped,
    };
  },
});
