import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { accountDeal } from '../collections/account-deal.js';

const disputesDraft = z.object({
  packets: z
    .array(
      z.object({
        deduction_id: z.string().min(1),
        account_id: z.string().min(1),
        account: z.string().min(1),
        invoice_id: z.string().min(1).nullable(),
        amount: z.number().positive(),
        dispute_by: z.iso.date(),
        to: z.string().email(),
        subject: z.string().min(1),
        /** The dispute packet: the claim, the invoice and the proof of delivery, as sent. */
        body: z.string().min(1),
      }),
    )
    .min(1),
  note: z.string().optional(),
});

/** The approval draft: every dispute packet exactly as it will be sent. */
export type DeductionDisputesDraft = z.input<typeof disputesDraft>;

/** What sending did, stored as the approval's result. */
export interface SendDeductionDisputesResult {
  summary: string;
  packets: Array<{ deduction_id: string; email_id: string | null; sent_now: boolean }>;
}

/**
 * `send_deduction_disputes`: one dispute packet per deduction, emailed to the retailer's AR
 * contact through the CRM and logged on the account's deal. Each email carries a key derived
 * from the approval's idempotency key and the deduction, so a retry or a second host sends
 * nothing twice.
 */
export const sendDeductionDisputes = defineAction({
  name: 'send_deduction_disputes',
  draft: disputesDraft,
  async execute({ packets }, context): Promise<SendDeductionDisputesResult> {
    const { crm } = context.connectors;
    const deals = await crm.listDeals();
    const results: SendDeductionDisputesResult['packets'] = [];
    for (const packet of packets) {
      const deal = accountDeal(deals, packet.account);
      if (deal === null) {
        context.log.warn({ account: packet.account, deduction: packet.deduction_id }, 'no CRM deal to log the dispute on: not sent');
        results.push({ deduction_id: packet.deduction_id, email_id: null, sent_now: false });
        continue;
      }
      const sent = await crm.sendEmail({
        dealId: deal.id,
        to: packet.to,
        subject: packet.subject,
        body: packet.body,
        idempotencyKey: `${context.idempotencyKey}:deduction-dispute:${packet.deduction_id}`,
      });
      results.push({ deduction_id: packet.deduction_id, email_id: sent.emailId, sent_now: sent.created });
    }
    const sent = results.filter((result) => result.email_id !== null).length;
    const fresh = results.filter((result) => result.sent_now).length;
    const missing = results.length - sent;
    return {
      summary: `sent ${sent} deduction dispute${sent === 1 ? '' : 's'}${fresh === sent ? '' : ` (${sent - fresh} already sent)`}${missing === 0 ? '' : `; ${missing} not sent (no CRM deal for the account)`}`,
      packets: results,
    };
  },
});
