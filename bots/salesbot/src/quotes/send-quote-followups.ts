import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const quoteFollowUpDraft = z.object({
  quote_id: z.string().min(1),
  quote: z.string(),
  deal_id: z.string().min(1),
  reason: z.enum(['expiring', 'silent']),
  to: z.email(),
  contact_id: z.string().optional(),
  subject: z.string().min(1).max(200),
  body: z.string().min(1).max(5000),
});

/** The approval draft: the follow-up exactly as it will be sent. */
export type QuoteFollowUpDraft = z.input<typeof quoteFollowUpDraft>;

/** What sending did, stored as the approval's result. */
export interface SendQuoteFollowUpsResult {
  summary: string;
  email_id: string;
  sent_now: boolean;
}

/** `send_quote_followups`: the approved follow-up on a quote, sent to the buyer and logged on the deal once. */
export const sendQuoteFollowUps = defineAction({
  name: 'send_quote_followups',
  draft: quoteFollowUpDraft,
  async execute(draft, context): Promise<SendQuoteFollowUpsResult> {
    const sent = await context.connectors.crm.sendEmail({
      dealId: draft.deal_id,
      to: draft.to,
      subject: draft.subject,
      body: draft.body,
      idempotencyKey: `${context.idempotencyKey}:email:${draft.quote_id}`,
      ...(draft.contact_id === undefined ? {} : { contactId: draft.contact_id }),
    });
    context.log.info({ quoteId: draft.quote_id, emailId: sent.emailId, sentNow: sent.created }, `quote follow-up to ${draft.to}`);
    return {
      summary: `follow-up on "${draft.quote}" sent to ${draft.to}${sent.created ? '' : ' (already sent under this approval)'}`,
      email_id: sent.emailId,
      sent_now: sent.created,
    };
  },
});
