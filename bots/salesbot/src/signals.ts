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

// Receivables, forecast and account health (ar-collections, weekly-forecast, monthly-account-review).

/** An account far past due or over its credit limit (catalogue §4); credit_hold says whether the hold is placed. */
export const arOverdue = defineSignalType({
  type: 'ar_overdue',
  description: 'A wholesale account more than 60 days past due or over its credit limit (credit_hold: the hold is placed)',
  defaultSeverity: 'warning',
  schema: z.object({
    account_id: z.string().min(1),
    account: z.string().min(1),
    invoices: z.array(z.object({ id: z.string().min(1), amount: z.number(), days_past_due: z.number().int() })),
    total_overdue: z.number().nonnegative(),
    credit_hold: z.boolean(),
    reason: z.string().optional(),
    approval_id: z.string().optional(),
  }),
});

/** Weighted pipeline short of the quarter's remaining target, or thin coverage (weekly-forecast). */
export const forecastGap = defineSignalType({
  type: 'forecast_gap',
  description: 'Weighted pipeline below 90% of the remaining quarter target, or coverage under 3×',
  defaultSeverity: 'warning',
  schema: z.object({
    quarter: z.string().min(1),
    target: z.number().nonnegative(),
    won: z.number().nonnegative(),
    weighted: z.number().nonnegative(),
    coverage_ratio: z.number().nonnegative(),
    slipped: z.array(z.object({ deal_id: z.string().min(1), name: z.string(), amount: z.number().nullable(), from: z.string(), to: z.string() })),
  }),
});

/** Every account-side type salesbot introduces. */
export const accountSignalTypes = [arOverdue, forecastGap];

/** Every type salesbot introduces. */
export const signalTypes = [staleDeals, ...accountSignalTypes];

declare module '@jbot/core' {
  interface SignalPayloads {
    stale_deals: z.output<typeof staleDeals.schema>;
  }
}

declare module '@jbot/core' {
  interface SignalPayloads {
    ar_overdue: z.output<typeof arOverdue.schema>;
    forecast_gap: z.output<typeof forecastGap.schema>;
  }
}
