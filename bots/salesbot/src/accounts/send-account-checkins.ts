import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { accountDeal } from '../collections/account-deal.js';

const checkinsDraft = z.object({
  checkins: z
    .array(
      z.object({
        account_id: z.string().min(1),
        account: z.string().min(1),
        to: z.string().email(),
        subject: z.string().min(1),
        body: z.string().min(1),
        reasons: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
  note: z.string().optional(),
});

/** The approval draft: every check-in email exactly as it will be sent. */
export type AccountCheckinsDraft = z.input<typeof checkinsDraft>;

/** What sending did, stored as the approval's result. */
export interface SendAccountCheckinsResult {
  summary: string;
  checkins: Array<{ account_id: string; email_id: string | null; sent_now: boolean }>;
}

/**
 * `send_account_checkins`: one check-in email per at-risk buyer, sent through the CRM and logged
 * on the account's deal, each under a key derived from the approval's idempotency key and the
 * account, so a retry or a second salesbot host sends nothing twice.
 */
export const sendAccountCheckins = defineAction({
  name: 'send_account_checkins',
  draft: checkinsDraft,
  async execute({ checkins }, context): Promise<SendAccountCheckinsResult> {
    const { crm } = context.connectors;
    const deals = await crm.listDeals();
    const results: SendAccountCheckinsResult['checkins'] = [];
    for (const checkin of checkins) {
      const deal = accountDeal(deals, checkin.account);
      if (deal === null) {
        context.log.warn({ account: checkin.account }, 'no CRM deal to log the check-in on: not sent');
        results.push({ account_id: checkin.account_id, email_id: null, sent_now: false });
        continue;
      }
      const sent = await crm.sendEmail({
        dealId: deal.id,
        to: checkin.to,
        subject: checkin.subject,
        body: checkin.body,
        idempotencyKey: `${context.idempotencyKey}:account-checkin:${checkin.account_id}`,
      });
      results.push({ account_id: checkin.account_id, email_id: sent.emailId, sent_now: sent.created });
    }
    const sentCount = results.filter((result) => result.email_id !== null).length;
    const fresh = results.filter((result) => result.sent_now).length;
    const missing = results.length - sentCount;
    return {
      summary: `sent ${sentCount} account check-in${sentCount === 1 ? '' : 's'}${fresh === sentCount ? '' : ` (${sentCount - fresh} already sent)`}${missing === 0 ? '' : `; ${missing} not sent (no CRM deal for the account)`}`,
      checkins: results,
    };
  },
});
