import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const holdDraft = z.object({
  order_id: z.string().min(1),
  /** The store's own id for the order (a Shopify gid, or the sample order id). */
  vendor_id: z.string().min(1),
  kind: z.enum(['hold', 'cancel']),
  reasons: z.array(z.string().min(1)).min(1),
  customer: z.string(),
  total: z.number().nonnegative(),
  /** The customer email that goes with an address hold, exactly as it will be sent. */
  notice: z.object({ to: z.email(), subject: z.string().min(1), body: z.string().min(1) }).nullable(),
});

/** The approval draft for hold_or_cancel_order. */
export type HoldOrCancelDraft = z.input<typeof holdDraft>;

/** What the executor did, stored as the approval's result. */
export interface HoldOrCancelResult {
  summary: string;
  order_id: string;
  kind: 'hold' | 'cancel';
  applied_now: boolean;
  status: string;
  notice: 'sent' | 'already sent' | 'not sent: the store cannot email customers (send it from the help desk)' | 'none';
}

/**
 * `hold_or_cancel_order`: put an order's fulfilment on hold (Shopify fulfillmentOrderHold) or
 * cancel it with a refund (orderCancel), then send the customer notice if the draft has one.
 * Each step is keyed by the approval's idempotency key, so a retry or a second host repeats none.
 */
export const holdOrCancelOrder = defineAction({
  name: 'hold_or_cancel_order',
  draft: holdDraft,
  async execute(draft, context): Promise<HoldOrCancelResult> {
    const { fulfilment } = context.connectors;
    const held = await fulfilment.holdOrder({
      orderId: draft.order_id,
      vendorId: draft.vendor_id,
      kind: draft.kind,
      reason: draft.reasons.join('; '),
      idempotencyKey: `${context.idempotencyKey}:${draft.kind}:${draft.order_id}`,
    });
    let notice: HoldOrCancelResult['notice'] = 'none';
    if (draft.notice !== null) {
      const sent = await fulfilment.sendCustomerNotice({
        orderId: draft.order_id,
        to: draft.notice.to,
        subject: draft.notice.subject,
        body: draft.notice.body,
        kind: 'address_check',
        idempotencyKey: `${context.idempotencyKey}:notice:${draft.order_id}`,
      });
      notice = sent === null ? 'not sent: the store cannot email customers (send it from the help desk)' : sent.created ? 'sent' : 'already sent';
    }
    context.log.info(
      { orderId: draft.order_id, kind: draft.kind, appliedNow: held.applied, notice },
      `order ${draft.order_id} ${draft.kind === 'hold' ? 'held' : 'cancelled'}`,
    );
    const verb = draft.kind === 'hold' ? 'held' : 'cancelled with a refund';
    return {
      summary: `${draft.order_id} ${verb}${held.applied ? '' : ' (already done)'}${notice === 'none' ? '' : `; customer notice ${notice}`}`,
      order_id: draft.order_id,
      kind: draft.kind,
      applied_now: held.applied,
      status: held.status,
      notice,
    };
  },
});
