import { z } from 'zod';
import { defineAction } from '@jbot/core';

const allocationDraft = z.object({
  order_id: z.string().min(1),
  vendor_id: z.string().min(1),
  customer: z.string().min(1),
  lines: z.array(z.object({ sku: z.string().min(1), ordered: z.number().int().positive(), allocate: z.number().int().nonnegative() })).min(1),
  backorder_ship_date: z.iso.date().nullable(),
});

/** The approval draft for apply_allocation: the order's lines as they will ship. */
export type AllocationDraft = z.input<typeof allocationDraft>;

/**
 * `apply_allocation`: edit a wholesale order to the quantities stock can cover in its window (the
 * rest follows on the backorder date), once per approval key.
 */
export const applyAllocation = defineAction({
  name: 'apply_allocation',
  draft: allocationDraft,
  async execute(draft, context) {
    const result = await context.connectors.wholesale.applyAllocation({
      orderId: draft.order_id,
      vendorId: draft.vendor_id,
      lines: draft.lines,
      backorderShipDate: draft.backorder_ship_date,
      idempotencyKey: context.idempotencyKey,
    });
    const short = draft.lines.filter((line) => line.allocate < line.ordered);
    return {
      summary: `${result.applied ? 'allocated' : 'already allocated'} ${draft.order_id} (${draft.customer}): ${short.map((line) => `${line.sku} ${line.allocate}/${line.ordered}`).join(', ')}${draft.backorder_ship_date === null ? '' : `; the rest ships ${draft.backorder_ship_date}`}`,
      ...result,
    };
  },
});
