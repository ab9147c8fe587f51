import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const onboardingPackDraft = z.object({
  deal_id: z.string().min(1),
  account: z.string(),
  /** 0 = the welcome pack on the win; 3 / 7 / 14 = the reminder that many days after it. */
  milestone_days: z.number().int().nonnegative(),
  open_items: z.array(z.string()),
  to: z.email(),
  contact_id: z.string().optional(),
  subject: z.string().min(1).max(200),
  body: z.string().min(1).max(5000),
});

/** The approval draft: the email exactly as it will be sent. */
export type OnboardingPackDraft = z.input<typeof onboardingPackDraft>;

/** What sending did, stored as the approval's result. */
export interface SendOnboardingPackResult {
  summary: string;
  email_id: string;
  sent_now: boolean;
}

/**
 * `send_onboarding_pack`: the welcome email with the vendor-setup forms (or the reminder of the
 * items still open), sent to the buyer and logged on the deal once under the approval's key.
 */
export const sendOnboardingPack = defineAction({
  name: 'send_onboarding_pack',
  draft: onboardingPackDraft,
  async execute(draft, context): Promise<SendOnboardingPackResult> {
    const { crm } = context.connectors;
    const sent = await crm.sendEmail({
      dealId: draft.deal_id,
      to: draft.to,
      subject: draft.subject,
      body: draft.body,
      idempotencyKey: `${context.idempotencyKey}:email:${draft.deal_id}`,
      ...(draft.contact_id === undefined ? {} : { contactId: draft.contact_id }),
    });
    context.log.info({ dealId: draft.deal_id, emailId: sent.emailId, sentNow: sent.created }, `onboarding pack to ${draft.to}`);
    return {
      summary: `${draft.milestone_days === 0 ? 'welcome pack' : `day-${draft.milestone_days} onboarding reminder`} sent to ${draft.to} (${draft.account})${sent.created ? '' : ' — already sent under this approval'}`,
      email_id: sent.emailId,
      sent_now: sent.created,
    };
  },
});
