import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested and again when executed, since it crossed the brain as JSON.
const applyAmazonBidChangesDraft = z
  .object({
    bids: z.array(
      z.object({
        keyword_id: z.string().min(1),
        keyword: z.string(),
        campaign_id: z.string().min(1),
        current_bid: z.number().positive(),
        new_bid: z.number().min(0.02),
        /** bid_down (ACOS over target) / bid_up (ACOS well under target). */
        reason: z.enum(['bid_down', 'bid_up']),
        acos: z.number().nullable(),
        cost: z.number(),
      }),
    ),
    negatives: z.array(
      z.object({ campaign_id: z.string().min(1), ad_group_id: z.string().min(1), search_term: z.string().min(1), cost: z.number(), clicks: z.number().int() }),
    ),
    note: z.string().optional(),
  })
  .refine((draft) => draft.bids.length + draft.negatives.length > 0, { message: 'an apply_amazon_bid_changes draft needs at least one bid or negative' });

/** The approval draft: SP keyword bid changes and negative exact keywords. */
export type ApplyAmazonBidChangesDraft = z.input<typeof applyAmazonBidChangesDraft>;

/** What the approved action did, stored as the approval's result. */
export interface ApplyAmazonBidChangesResult {
  summary: string;
  bids_applied: number;
  negatives_applied: number;
  skipped: number;
}

/**
 * `apply_amazon_bid_changes`: the keyword bids (Amazon Ads SP keywords update) and the negative
 * exact keywords (SP negativeKeywords create), under the approval's key so a retry or a second
 * host changes each once.
 */
export const applyAmazonBidChanges = defineAction({
  name: 'apply_amazon_bid_changes',
  draft: applyAmazonBidChangesDraft,
  async execute(draft, context): Promise<ApplyAmazonBidChangesResult> {
    const result = await context.connectors.amazonAds.applyChanges({
      idempotencyKey: `${context.idempotencyKey}:sp`,
      bids: draft.bids.map((bid) => ({ keywordId: bid.keyword_id, bid: bid.new_bid })),
      negatives: draft.negatives.map((negative) => ({ campaignId: negative.campaign_id, adGroupId: negative.ad_group_id, keywordText: negative.search_term })),
    });
    context.log.info({ ...result }, 'Amazon Ads SP changes applied');
    return {
      summary:
        result.bidsApplied + result.negativesApplied === 0
          ? `nothing new: the ${result.skipped} change(s) were already applied`
          : `Amazon Ads: ${result.bidsApplied} bid(s) changed, ${result.negativesApplied} negative exact keyword(s) added${result.skipped === 0 ? '' : ` (${result.skipped} already applied)`}`,
      bids_applied: result.bidsApplied,
      negatives_applied: result.negativesApplied,
      skipped: result.skipped,
    };
  },
});
