import { z } from 'zod';
import { defineAction } from '@jbot/core';

const updatesDraft = z.object({
  updates: z
    .array(
      z.object({
        order_id: z.string().min(1),
        to: z.email(),
        new_date: z.iso.date(),
        offer_cancel: z.boolean(),
        subject: z.string().min(1),
        body: z.string().min(1),
      }),
    )
    .min(1),
});

/** The approval draft for send_backorder_updates: each templated email as it will go out. */
export type BackorderUpdatesDraft = z.input<typeof updatesDraft>;

/**
 * `send_backorder_updates`: email each waiting customer the new ship date and record it as the
 * date last told (so the next run compares with it), each once under the approval's key.
 */
export const sendBackorderUpdates = defineAction({
  name: 'send_backorder_updates',
  draft: updatesDraft,
  async execute({ updates }, context) {
    const { fulfilment } = context.connectors;
    const results = [];
    for (const update of updates) {
      const sent = await fulfilment.sendCustomerNotice({
        orderId: update.order_id,
        to: update.to,
        subject: update.subject,
        body: update.body,
        kind: update.offer_cancel ? 'backorder_update:offer_cancel' : 'backorder_update',
        idempotencyKey: `${context.idempotencyKey}:notice:${update.order_id}`,
      });
      const recorded = await fulfilment.setPromisedShipDate({
        orderId: update.order_id,
        date: update.new_date,
        idempotencyKey: `${context.idempotencyKey}:promise:${update.order_id}`,
      });
      results.push({
        order_id: update.order_id,
        new_date: update.new_date,
        sent_now: sent?.created ?? false,
        unsent: sent === null,
        recorded: recorded?.applied ?? false,
      });
    }
    const fresh = results.filter((result) => result.sent_now).length;
    const unsent = results.filter((result) => result.unsent).length;
    return {
      summary: `sent ${fresh} backorder update${fresh === 1 ? '' : 's'}${fresh + unsent === results.length ? '' : ` (${results.length - fresh - unsent} already sent)`}${unsent === 0 ? '' : `; ${unsent} to send by hand (the store cannot email customers)`}`,
      updates: results,
    };
  },
});
