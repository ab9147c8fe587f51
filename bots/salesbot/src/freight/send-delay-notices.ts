import { z } from 'zod';
import { defineAction } from '@jbot/core';
import type { Deal } from '@jbot/connectors';

const noticesDraft = z.object({
  notices: z
    .array(
      z.object({
        customer: z.string().min(1),
        account_id: z.string().optional(),
        to: z.string().email(),
        orders: z.string(),
        subject: z.string().min(1),
        body: z.string().min(1),
      }),
    )
    .min(1),
  note: z.string().optional(),
});

/** One drafted notice, exactly as it will be sent. */
export type DelayNotice = z.input<typeof noticesDraft>['notices'][number];

/** What sending the notices did, stored as the approval's result. */
export interface SendDelayNoticesResult {
  summary: string;
  notices: Array<{ customer: string; to: string; email_id: string | null; sent_now: boolean; deal_id: string | null }>;
}

/**
 * The executor for `send_delay_notices`: each notice is sent through the CRM and logged on the
 * customer's most relevant deal (open first, most recently active), once per approval and
 * customer. A customer with no deal in the CRM is reported, not guessed at.
 */
export const sendDelayNotices = defineAction({
  name: 'send_delay_notices',
  draft: noticesDraft,
  async execute({ notices }, context): Promise<SendDelayNoticesResult> {
    const { crm } = context.connectors;
    const deals = await crm.listDeals();
    const results: SendDelayNoticesResult['notices'] = [];
    for (const notice of notices) {
      const deal = dealFor(deals, notice.customer);
      if (deal === null) {
        results.push({ customer: notice.customer, to: notice.to, email_id: null, sent_now: false, deal_id: null });
        context.log.warn({ customer: notice.customer }, 'no CRM deal for this customer: notice not sent');
        continue;
      }
      const sent = await crm.sendEmail({
        dealId: deal.id,
        to: notice.to,
        subject: notice.subject,
        body: notice.body,
        idempotencyKey: `${context.idempotencyKey}:notice:${notice.account_id ?? notice.to}`,
      });
      results.push({ customer: notice.customer, to: notice.to, email_id: sent.emailId, sent_now: sent.created, deal_id: deal.id });
    }
    const sentCount = results.filter((result) => result.email_id !== null).length;
    const missing = results.filter((result) => result.email_id === null).map((result) => result.customer);
    return {
      summary: `sent ${sentCount} delay notice${sentCount === 1 ? '' : 's'}${missing.length === 0 ? '' : ` (no CRM deal for ${missing.join(', ')})`}`,
      notices: results,
    };
  },
});

function dealFor(deals: Deal[], customer: string): Deal | null {
  const mine = deals.filter((deal) => deal.accountName === customer);
  const rank = (deal: Deal) => Date.parse(deal.lastActivityAt ?? deal.createdAt) || 0;
  return [...mine].sort((left, right) => Number(left.isClosed) - Number(right.isClosed) || rank(right) - rank(left))[0] ?? null;
}
