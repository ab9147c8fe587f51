import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const markRepliedDraft = z.object({
  deals: z.array(z.object({ deal_id: z.string().min(1), deal: z.string(), replied_at: z.iso.datetime({ offset: true }), from: z.string().nullable() })).min(1),
});

/** The approval draft: the deals whose buyers replied. */
export type MarkRepliedDraft = z.input<typeof markRepliedDraft>;

/** What marking did, stored as the approval's result. */
export interface MarkDealsRepliedResult {
  summary: string;
  deals: Array<{ deal_id: string; applied_now: boolean }>;
}

/** `mark_deals_replied`: set jbot_status = replied on each deal whose buyer answered a follow-up, once per approval and deal. */
export const markDealsReplied = defineAction({
  name: 'mark_deals_replied',
  draft: markRepliedDraft,
  async execute({ deals }, context): Promise<MarkDealsRepliedResult> {
    const results: MarkDealsRepliedResult['deals'] = [];
    for (const deal of deals) {
      const updated = await context.connectors.crm.updateDeal({
        dealId: deal.deal_id,
        properties: { jbot_status: 'replied' },
        idempotencyKey: `${context.idempotencyKey}:deal:${deal.deal_id}`,
      });
      results.push({ deal_id: deal.deal_id, applied_now: updated.applied });
    }
    const fresh = results.filter((result) => result.applied_now).length;
    return {
      summary: `marked ${results.length} deal${results.length === 1 ? '' : 's'} replied${fresh === results.length ? '' : ` (${results.length - fresh} already marked)`}`,
      deals: results,
    };
  },
});
