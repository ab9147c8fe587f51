import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types salesbot introduces. Pure declarations (zod only): every bot process
// registers them through the fleet roster, and consumers get their payload types from the
// SignalPayloads augmentation below without depending on salesbot's code.

const dealSummary = z.object({
  deal_id: z.string().min(1),
  name: z.string().min(1),
  owner: z.string().optional(),
  stage: z.string().optional(),
  amount: z.number().optional(),
  last_activity_at: z.string().optional(),
  days_since_activity: z.number().int().nonnegative().optional(),
});

/** Deals with no activity past the stale threshold (the Monday flow). */
export const staleDeals = defineSignalType({
  type: 'stale_deals',
  description: 'Wholesale deals with no activity for longer than the stale threshold',
  defaultSeverity: 'warning',
  schema: z.object({
    deals: z.array(dealSummary).min(1),
    threshold_days: z.number().int().positive(),
    new_deals: z.array(dealSummary).optional(),
    closed_won: z.array(dealSummary).optional(),
  }),
});

/** Every type salesbot introduces. */
export const signalTypes = [staleDeals];

declare module '@jbot/core' {
  interface SignalPayloads {
    stale_deals: z.output<typeof staleDeals.schema>;
  }
}
