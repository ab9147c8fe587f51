import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const followUpsDraft = z.object({
  emails: z
    .array(
      z.object({
        deal_id: z.string().min(1),
        deal: z.string(),
        to: z.string().email(),
        contact_id: z.string().optional(),
        subject: z.string().min(1),
        body: z.string().min(1),
      }),
    )
    .min(1),
  note: z.string().optional(),
});

/** The approval draft: the emails exactly as they will be sent. */
export type FollowUpApprovalDraft = z.input<typeof followUpsDraft>;

/** What sending the approved follow-ups did, stored as the approval's result. */
export interface SendFollowUpsResult {
  summary: string;
  emails: Array<{ deal_id: string; to: string; email_id: string; sent_now: boolean; deal_updated_now: boolean }>;
}

/**
 * `send_followups`: send each approved email through the CRM and mark its deal re-engaged. Each
 * side effect carries a key derived from the approval's idempotency key and the deal, so a retry
 * after a crash (or a second copy of salesbot) sends nothing twice.
 */
export const sendFollowUps = defineAction({
  name: 'send_followups',
  draft: followUpsDraft,
  async execute({ emails }, context): Promise<SendFollowUpsResult> {
    const { crm } = context.connectors;
    const results: SendFollowUpsResult['emails'] = [];
    for (const email of emails) {
      const sent = await crm.sendEmail({
        dealId: email.deal_id,
        to: email.to,
        subject: email.subject,
        body: email.body,
        idempotencyKey: `${context.idempotencyKey}:email:${email.deal_id}`,
        ...(email.contact_id === undefined ? {} : { contactId: email.contact_id }),
      });
      const updated = await crm.updateDeal({
        dealId: email.deal_id,
        properties: { jbot_status: 're-engaged' },
        idempotencyKey: `${context.idempotencyKey}:deal:${email.deal_id}`,
      });
      results.push({ deal_id: email.deal_id, to: email.to, email_id: sent.emailId, sent_now: sent.created, deal_updated_now: updated.applied });
      context.log.info({ dealId: email.deal_id, emailId: sent.emailId, sentNow: sent.created }, `follow-up sent to ${email.to}`);
    }
    return {
      summary: `sent ${results.length} follow-up email${results.length === 1 ? '' : 's'} through ${crm.source === 'hubspot' ? 'HubSpot' : 'the sample CRM'} and marked ${results.length} deal${results.length === 1 ? '' : 's'} re-engaged`,
      emails: results,
    };
  },
});
