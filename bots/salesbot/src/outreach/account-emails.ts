import { z } from 'zod';
import type { ApprovalExecutionContext } from '@jbot/core';
import { accountDeal } from '../collections/account-deal.js';

/** One drafted email to a wholesale account's buyer, exactly as it will be sent. */
export const accountEmail = z.object({
  account_id: z.string().min(1),
  account: z.string().min(1),
  to: z.string().email(),
  subject: z.string().min(1),
  body: z.string().min(1),
});

/** An email draft (input shape). */
export type AccountEmail = z.input<typeof accountEmail>;

/** What sending one batch did. */
export interface AccountEmailsResult {
  summary: string;
  emails: Array<{ account: string; to: string; email_id: string | null; sent_now: boolean }>;
}

/**
 * Send approved emails to wholesale buyers through the CRM, each logged on the account's deal,
 * once per approval and account (`kind` keeps two actions' keys apart). An account without a
 * deal in the CRM is reported, not guessed at.
 */
export async function sendAccountEmails(
  emails: readonly z.output<typeof accountEmail>[],
  context: ApprovalExecutionContext,
  kind: string,
  noun: string,
): Promise<AccountEmailsResult> {
  const deals = await context.connectors.crm.listDeals();
  const results: AccountEmailsResult['emails'] = [];
  for (const email of emails) {
    const deal = accountDeal(deals, email.account);
    if (deal === null) {
      context.log.warn({ account: email.account }, `no CRM deal for the account: ${noun} not sent`);
      results.push({ account: email.account, to: email.to, email_id: null, sent_now: false });
      continue;
    }
    const sent = await context.connectors.crm.sendEmail({
      dealId: deal.id,
      to: email.to,
      subject: email.subject,
      body: email.body,
      idempotencyKey: `${context.idempotencyKey}:${kind}:${email.account_id}`,
    });
    results.push({ account: email.account, to: email.to, email_id: sent.emailId, sent_now: sent.created });
  }
  const sent = results.filter((result) => result.email_id !== null);
  const missing = results.filter((result) => result.email_id === null).map((result) => result.account);
  const again = sent.filter((result) => !result.sent_now).length;
  return {
    summary: `sent ${sent.length} ${noun}${sent.length === 1 ? '' : 's'}${again === 0 ? '' : ` (${again} already sent)`}${missing.length === 0 ? '' : `; no CRM deal for ${missing.join(', ')}`}`,
    emails: results,
  };
}
