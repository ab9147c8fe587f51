import { z } from 'zod';
import type { Approval, ApprovalExecutionContext } from '@jbot/core';
import { connectorsFor } from '@jbot/connectors';

// The draft as the executor trusts it: re-validated, since it crossed the brain as JSON.
const approvalDraft = z.object({
  emails: z.array(z.object({ deal_id: z.string().min(1), deal: z.string(), to: z.string().email(), contact_id: z.string().optional(), subject: z.string().min(1), body: z.string().min(1) })).min(1),
});

/** What sending the approved follow-ups did, stored as the approval's result. */
export interface SendFollowUpsResult {
  summary: string;
  emails: Array<{ deal_id: string; to: string; email_id: string; sent_now: boolean; deal_updated_now: boolean }>;
}

/**
 * The executor for `send_followups`: send each approved email through the CRM and mark its deal
 * re-engaged. Each side effect carries a key derived from the approval's idempotency key and the
 * deal, so a retry after a crash (or a second copy of salesbot) sends nothing twice.
 */
export async function sendFollowUps(approval: Approval, context: ApprovalExecutionContext): Promise<SendFollowUpsResult> {
  const { emails } = approvalDraft.parse(approval.draft);
  const { crm } = connectorsFor(context);
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
  return { summary: `sent ${results.length} follow-up email${results.length === 1 ? '' : 's'} through ${crm.source === 'hubspot' ? 'HubSpot' : 'the sample CRM'} and marked ${results.length} deal${results.length === 1 ? '' : 's'} re-engaged`, emails: results };
}
