import { z } from 'zod';
import { defineSignalType, type SignalType } from '@jbot/core';

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

/** A wholesale deal just won: shipbot reserves the opening order, opsbot bumps demand (account-onboarding). */
export const dealClosedWon = defineSignalType({
  type: 'deal_closed_won',
  description: 'A wholesale deal was won: reserve the opening order and plan the demand',
  defaultSeverity: 'info',
  schema: z.object({
    deal_id: z.string().min(1),
    account_id: z.string().min(1),
    account: z.string().min(1),
    amount: z.number().nonnegative().nullable(),
    skus: z.array(z.object({ sku: z.string().min(1), qty: z.number().int().positive() })),
    first_ship_date: z.iso.date(),
  }),
});

// salesbot's activity jobs' types join the list (typed wide so each keeps its own schema).
(signalTypes as SignalType[]).push(dealClosedWon);

declare module '@jbot/core' {
  interface SignalPayloads {
    deal_closed_won: z.output<typeof dealClosedWon.schema>;
  }
}

/** A large deal priced below the margin floor: finance signs off before the quote goes out (discount-guard). */
export const marginException = defineSignalType({
  type: 'margin_exception',
  description: 'A deal of $20k or more is priced below the wholesale margin floor',
  defaultSeverity: 'warning',
  schema: z.object({
    deal_id: z.string().min(1),
    deal: z.string().optional(),
    amount: z.number().nonnegative(),
    min_margin_pct: z.number().nullable(),
    lines: z.array(z.object({ sku: z.string().min(1), price: z.number(), discount_pct: z.number() })).min(1),
    tier: z.enum(['finance', 'cfo']).optional(),
  }),
});

(signalTypes as SignalType[]).push(marginException);

declare module '@jbot/core' {
  interface SignalPayloads {
    margin_exception: z.output<typeof marginException.schema>;
  }
}

/** Late-stage deals going quiet before the stale line (commit-risk): warning when they are a fifth of the commit. */
export const commitAtRisk = defineSignalType({
  type: 'commit_at_risk',
  description: 'Late-stage deals going quiet inside the commit window',
  defaultSeverity: 'info',
  schema: z.object({
    deals: z
      .array(
        z.object({
          deal_id: z.string().min(1),
          name: z.string().optional(),
          owner: z.string().optional(),
          stage: z.string().min(1),
          idle_days: z.number().int().nonnegative(),
          amount: z.number().nonnegative(),
        }),
      )
      .min(1),
    at_risk_amount: z.number().nonnegative(),
    commit_amount: z.number().nonnegative(),
  }),
});

(signalTypes as SignalType[]).push(commitAtRisk);

declare module '@jbot/core' {
  interface SignalPayloads {
    commit_at_risk: z.output<typeof commitAtRisk.schema>;
  }
}

/** A wholesale account whose trailing-90-day volume fell past the churn line (monthly-account-review). */
export const accountChurnRisk = defineSignalType({
  type: 'account_churn_risk',
  description: 'A wholesale account ordering at least 30% less over the last 90 days than the 90 before',
  defaultSeverity: 'warning',
  schema: z.object({
    account_id: z.string().min(1),
    account: z.string().min(1),
    t90_revenue: z.number().nonnegative(),
    prior_t90_revenue: z.number().nonnegative(),
    change_pct: z.number(),
    reasons: z.array(z.string().min(1)).min(1),
    approval_id: z.string().optional(),
  }),
});

(signalTypes as SignalType[]).push(accountChurnRisk);

declare module '@jbot/core' {
  interface SignalPayloads {
    account_churn_risk: z.output<typeof accountChurnRisk.schema>;
  }
}

/** Disputable deductions (POD shows on-time, in-full) worth at least the threshold at one account (deductions-watch). */
export const deductionDisputeDue = defineSignalType({
  type: 'deduction_dispute_due',
  description: 'Shortage or late-delivery deductions the proof of delivery disputes, at least $5k at one account, before the deadline',
  defaultSeverity: 'warning',
  schema: z.object({
    account_id: z.string().min(1),
    account: z.string().min(1),
    deductions: z.array(z.object({ id: z.string().min(1), amount: z.number().positive(), reason: z.string().min(1), dispute_by: z.iso.date() })).min(1),
    disputable_total: z.number().positive(),
    approval_id: z.string().optional(),
  }),
});

(signalTypes as SignalType[]).push(deductionDisputeDue);

declare module '@jbot/core' {
  interface SignalPayloads {
    deduction_dispute_due: z.output<typeof deductionDisputeDue.schema>;
  }
}
