import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const outreachDraft = z.object({
  emails: z
    .array(
      z.object({
        prospect_id: z.string().min(1),
        company: z.string(),
        contact_id: z.string().nullable(),
        owner_id: z.string().min(1),
        owner: z.string(),
        to: z.email(),
        icp_score: z.number(),
        subject: z.string().min(1).max(200),
        body: z.string().min(1).max(5000),
      }),
    )
    .min(1),
});

/** The approval draft: the intro emails exactly as they will be sent. */
export type OutreachDraft = z.input<typeof outreachDraft>;

/** What sending did, stored as the approval's result. */
export interface SendOutreachResult {
  summary: string;
  emails: Array<{ prospect_id: string; to: string; email_id: string; sent_now: boolean }>;
}

/**
 * `send_outreach`: each approved intro email sent from its rep and logged on the company (which
 * marks it contacted, so it is not picked again for 90 days), once per approval and company.
 */
export const sendOutreach = defineAction({
  name: 'send_outreach',
  draft: outreachDraft,
  async execute({ emails }, context): Promise<SendOutreachResult> {
    const { crm } = context.connectors;
    const results: SendOutreachResult['emails'] = [];
    for (const email of emails) {
      const sent = await crm.sendProspectEmail({
        prospectId: email.prospect_id,
        contactId: email.contact_id,
        ownerId: email.owner_id,
        to: email.to,
        subject: email.subject,
        body: email.body,
        idempotencyKey: `${context.idempotencyKey}:email:${email.prospect_id}`,
      });
      results.push({ prospect_id: email.prospect_id, to: email.to, email_id: sent.emailId, sent_now: sent.created });
      context.log.info({ prospectId: email.prospect_id, emailId: sent.emailId, sentNow: sent.created }, `intro email to ${email.company}`);
    }
    const fresh = results.filter((result) => result.sent_now).length;
    return {
      summary: `sent ${fresh} intro email${fresh === 1 ? '' : 's'} to target retailers${fresh === results.length ? '' : ` (${results.length - fresh} already sent)`}`,
      emails: results,
    };
  },
});
