import { z } from 'zod';
import { defineAction } from '@jbot/core';

const quantitiesDraft = z.object({
  reason: z.string().min(1),
  changes: z
    .array(z.object({ sku: z.string().min(1), location: z.string().min(1), from: z.number().int(), to: z.number().int(), wms_on_hand: z.number().int() }))
    .min(1),
});

/** The approval draft for set_inventory_quantities: each correction as it will be written. */
export type InventoryQuantitiesDraft = z.input<typeof quantitiesDraft>;

/**
 * `set_inventory_quantities`: set the store's available stock to the 3PL's count (Shopify
 * inventorySetQuantities, reason correction, compare-and-set against the drafted number), each
 * SKU once under the approval's key.
 */
export const setInventoryQuantities = defineAction({
  name: 'set_inventory_quantities',
  draft: quantitiesDraft,
  async execute(draft, context) {
    const results = [];
    for (const change of draft.changes) {
      const result = await context.connectors.fulfilment.setAvailable({
        sku: change.sku,
        location: change.location,
        available: change.to,
        compareAvailable: change.from,
        reason: draft.reason,
        idempotencyKey: `${context.idempotencyKey}:${change.sku}@${change.location}`,
      });
      results.push({ sku: change.sku, location: change.location, from: result.previous, to: result.available, applied_now: result.applied });
    }
    const fresh = results.filter((result) => result.applied_now).length;
    return {
      summary: `corrected ${fresh} stock level${fresh === 1 ? '' : 's'} to the 3PL's count${fresh === results.length ? '' : ` (${results.length - fresh} already corrected)`}`,
      changes: results,
    };
  },
});
