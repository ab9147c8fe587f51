import { z } from 'zod';
import { defineAction } from '@jbot/core';

const inboundPlanDraft = z.object({
  name: z.string().min(1).max(80),
  items: z
    .array(
      z.object({
        sku: z.string().min(1),
        quantity: z.number().int().positive(),
        short_term_days_of_supply: z.number().nonnegative().nullable(),
        long_term_days_of_supply: z.number().nonnegative().nullable(),
      }),
    )
    .min(1),
});

/** The approval draft for create_fba_inbound_plan: the SKUs and units to send to FBA. */
export type InboundPlanDraft = z.input<typeof inboundPlanDraft>;

/**
 * `create_fba_inbound_plan`: Fulfillment Inbound 2024-03-20 createInboundPlan for the SKUs below
 * 28 days of supply on both views, so the low-inventory-level fee stops. One plan per approval
 * key; packing, placement and transport are chosen in Seller Central afterwards.
 */
export const createFbaInboundPlan = defineAction({
  name: 'create_fba_inbound_plan',
  draft: inboundPlanDraft,
  async execute(draft, context) {
    const plan = await context.connectors.fba.createInboundPlan({
      name: draft.name,
      items: draft.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
      idempotencyKey: context.idempotencyKey,
    });
    const units = draft.items.reduce((sum, item) => sum + item.quantity, 0);
    return {
      summary: `${plan.created ? 'created' : 'already created'} FBA inbound plan ${plan.inboundPlanId}: ${units} units of ${draft.items.map((item) => item.sku).join(', ')} (choose packing and transport in Seller Central)`,
      ...plan,
    };
  },
});
