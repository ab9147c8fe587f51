import { z } from 'zod';
import { defineAction } from '@jbot/core';

const noticesDraft = z.object({
  notices: z
    .array(
      z.object({
        order_id: z.string().min(1),
        tracker_id: z.string().min(1),
        /** What the company offers: a replacement sent now, a refund, or an apology while the carrier finds it. */
        remedy: z.enum(['reship', 'refund', 'wait']),
        to: z.email(),
        subject: z.string().min(1),
        body: z.string().min(1),
      }),
    )
    .min(1),
});

/** The approval draft for send_carrier_exception_notices: each email exactly as it will go out. */
export type CarrierNoticesDraft = z.input<typeof noticesDraft>;

/** What sending did, stored as the approval's result. */
export interface CarrierNoticesResult {
  summary: string;
  notices: Array<{ order_id: string; remedy: string; sent_now: boolean; notice_id: string | null }>;
  /** Reships and refunds to do in the store: recorded here for the team (no draft order is created yet). */
  remedies_for_team: Array<{ order_id: string; remedy: 'reship' | 'refund' }>;
}

/**
 * `send_carrier_exception_notices`: one email per parcel in trouble, each once under the
 * approval's key. The store's mail outbox sends them; where the store cannot email customers the
 * result says which to send by hand. Reships and refunds are listed for the team to do.
 */
export const sendCarrierExceptionNotices = defineAction({
  name: 'send_carrier_exception_notices',
  draft: noticesDraft,
  async execute({ notices }, context): Promise<CarrierNoticesResult> {
    const results: CarrierNoticesResult['notices'] = [];
    for (const notice of notices) {
      const sent = await context.connectors.fulfilment.sendCustomerNotice({
        orderId: notice.order_id,
        to: notice.to,
        subject: notice.subject,
        body: notice.body,
        kind: `carrier_exception:${notice.remedy}`,
        idempotencyKey: `${context.idempotencyKey}:notice:${notice.tracker_id}`,
      });
      results.push({ order_id: notice.order_id, remedy: notice.remedy, sent_now: sent?.created ?? false, notice_id: sent?.noticeId ?? null });
    }
    const fresh = results.filter((result) => result.sent_now).length;
    const unsent = results.filter((result) => result.notice_id === null).length;
    const remedies = notices.flatMap((notice) => (notice.remedy === 'wait' ? [] : [{ order_id: notice.order_id, remedy: notice.remedy }]));
    return {
      summary: `sent ${fresh} carrier-exception notice${fresh === 1 ? '' : 's'}${fresh + unsent === results.length ? '' : ` (${results.length - fresh - unsent} already sent)`}${unsent === 0 ? '' : `; ${unsent} to send by hand (the store cannot email customers)`}${remedies.length === 0 ? '' : `; ${remedies.length} reship/refund for the team`}`,
      notices: results,
      remedies_for_team: remedies,
    };
  },
});
