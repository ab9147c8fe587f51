import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const assignLeadDraft = z.object({
  lead_id: z.string().min(1),
  lead: z.string(),
  company: z.string(),
  owner_id: z.string().min(1),
  owner: z.string(),
  team: z.string().nullable(),
  to: z.email(),
  subject: z.string().min(1).max(200),
  body: z.string().min(1).max(5000),
  /** Why a person should look twice (free-mail address and no stores yet); null when nothing. */
  flag: z.string().nullable(),
});

/** The approval draft: the owner to set and the first reply exactly as it will be sent. */
export type AssignLeadDraft = z.input<typeof assignLeadDraft>;

/** What the approved routing did, stored as the approval's result. */
export interface AssignLeadAndReplyResult {
  summary: string;
  lead_id: string;
  owner_id: string;
  assigned_now: boolean;
  email_id: string;
  sent_now: boolean;
}

/**
 * `assign_lead_and_reply`: set the lead's owner, then send the first reply from that owner and
 * log it on the lead. Each write carries a key derived from the approval's idempotency key, so a
 * retry after a crash (or a second copy of salesbot) assigns and sends nothing twice.
 */
export const assignLeadAndReply = defineAction({
  name: 'assign_lead_and_reply',
  draft: assignLeadDraft,
  async execute(draft, context): Promise<AssignLeadAndReplyResult> {
    const { crm } = context.connectors;
    const assigned = await crm.assignLead({ leadId: draft.lead_id, ownerId: draft.owner_id, idempotencyKey: `${context.idempotencyKey}:owner` });
    const sent = await crm.sendLeadEmail({
      leadId: draft.lead_id,
      ownerId: draft.owner_id,
      to: draft.to,
      subject: draft.subject,
      body: draft.body,
      idempotencyKey: `${context.idempotencyKey}:email`,
    });
    context.log.info({ leadId: draft.lead_id, ownerId: draft.owner_id, emailId: sent.emailId, sentNow: sent.created }, `lead routed to ${draft.owner}`);
    const where = crm.source === 'hubspot' ? 'HubSpot' : 'the sample CRM';
    return {
      summary: `${draft.lead} (${draft.company}) assigned to ${draft.owner} and the first reply sent to ${draft.to}, logged in ${where}${assigned.applied && sent.created ? '' : ' (already done under this approval)'}`,
      lead_id: draft.lead_id,
      owner_id: draft.owner_id,
      assigned_now: assigned.applied,
      email_id: sent.emailId,
      sent_now: sent.created,
    };
  },
});
