import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested and again when executed, since it crossed the brain as JSON.
const fixOrUnscheduleDraft = z.object({
  campaign_id: z.string().min(1),
  campaign: z.string(),
  channel: z.enum(['email', 'sms']),
  /** When it would have sent (ISO instant). */
  send_at: z.string().nullable(),
  issues: z.array(z.object({ rule: z.string().min(1), blocking: z.boolean(), detail: z.string() })).min(1),
  note: z.string().optional(),
});

/** The approval draft: the campaign and what is wrong with it. */
export type FixOrUnscheduleDraft = z.input<typeof fixOrUnscheduleDraft>;

/** What the approved action did, stored as the approval's result. */
export interface FixOrUnscheduleResult {
  summary: string;
  campaign_id: string;
  status: string;
  changed: boolean;
}

/**
 * `fix_or_unschedule_campaign`: the campaign goes back to draft in Klaviyo so it does not send
 * with the issues the draft lists; whoever fixes the message or audience schedules it again.
 * Keyed by the approval's idempotency key, so a retry or a second host unschedules it once.
 */
export const fixOrUnscheduleCampaign = defineAction({
  name: 'fix_or_unschedule_campaign',
  draft: fixOrUnscheduleDraft,
  async execute(draft, context, approval): Promise<FixOrUnscheduleResult> {
    const { klaviyo } = context.connectors;
    const result = await klaviyo.unscheduleCampaign({
      campaignId: draft.campaign_id,
      idempotencyKey: `${context.idempotencyKey}:unschedule:${draft.campaign_id}`,
      reason: `approval ${approval.id}: ${draft.issues.map((issue) => issue.rule).join(', ')}`,
    });
    context.log.info({ campaignId: draft.campaign_id, status: result.status, changed: result.changed }, 'Klaviyo campaign unscheduled');
    return {
      summary: result.changed
        ? `unscheduled "${draft.campaign}" (now ${result.status}): fix ${draft.issues.map((issue) => issue.rule).join(', ')} and schedule it again`
        : `"${draft.campaign}" was already ${result.status}; nothing changed`,
      campaign_id: result.campaignId,
      status: result.status,
      changed: result.changed,
    };
  },
});
