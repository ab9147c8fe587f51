import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The paid-media signal types (catalogue §4), declared beside signals.ts and listed in its
// signalTypes so the fleet roster registers them with the rest of mktgbot's.

const platform = z.enum(['meta', 'google', 'tiktok', 'pinterest', 'amazon']);

/** Yesterday's paid media in one line per platform (info: the digest and weekly review read it). */
export const paidMediaDaily = defineSignalType({
  type: 'paid_media_daily',
  description: "Yesterday's spend, revenue, MER and ROAS/CPA by ad platform",
  defaultSeverity: 'info',
  schema: z.object({
    day: z.iso.date(),
    spend: z.number().nonnegative(),
    revenue: z.number().nonnegative(),
    /** Shopify revenue ÷ total ad spend; null with no spend. */
    mer: z.number().nonnegative().nullable(),
    by_platform: z.array(
      z.object({ platform, spend: z.number().nonnegative(), roas: z.number().nonnegative().nullable(), cpa: z.number().nonnegative().nullable() }),
    ),
  }),
});

/** A campaign under its ROAS floor (or over its CPA ceiling) for the whole window, at real spend. */
export const roasBelowFloor = defineSignalType({
  type: 'roas_below_floor',
  description: 'A campaign returned less than its ROAS floor (or cost more than 1.5× its CPA target) three days running',
  defaultSeverity: 'warning',
  schema: z.object({
    platform,
    campaign_id: z.string().min(1),
    campaign: z.string().min(1),
    roas_3d: z.number().nonnegative(),
    floor: z.number().positive(),
    spend_3d: z.number().nonnegative(),
    cpa_3d: z.number().nonnegative().nullable().optional(),
    /** roas (under the floor every day) and/or cpa (over the ceiling). */
    rules: z
      .array(z.enum(['roas', 'cpa']))
      .min(1)
      .optional(),
  }),
});

/** Intraday pacing gone wrong: overspending, not delivering, or out of budget while profitable. */
export const adSpendAnomaly = defineSignalType({
  type: 'ad_spend_anomaly',
  description: 'A campaign overspending its pace, not delivering, or running out of budget before evening',
  defaultSeverity: 'alert',
  schema: z.object({
    platform,
    campaign_id: z.string().min(1),
    kind: z.enum(['overspend', 'no_delivery', 'out_of_budget']),
    spend_today: z.number().nonnegative(),
    expected_to_date: z.number().nonnegative(),
    campaign: z.string().optional(),
    daily_budget: z.number().nonnegative().optional(),
  }),
});

/** A platform-side problem that stops ads: disapproval, payment, restriction, spend cap nearly used. */
export const adAccountIssue = defineSignalType({
  type: 'ad_account_issue',
  description: 'Ads stopped or about to stop by the platform: disapproved ads, payment failure, account restriction, spend cap nearly used',
  defaultSeverity: 'alert',
  schema: z.object({
    platform,
    account_id: z.string().min(1),
    kind: z.enum(['disapproved', 'payment', 'restricted', 'spend_cap']),
    ad_ids: z.array(z.string()),
    detail: z.string().min(1),
  }),
});

/** Costly setup mistakes in a campaign created or edited in the last 24 hours. */
export const adConfigIssue = defineSignalType({
  type: 'ad_config_issue',
  description: 'A campaign edited in the last 24 h has a costly setup mistake (budget over cap, no UTM, wrong pixel, no end date…)',
  defaultSeverity: 'warning',
  schema: z.object({
    platform,
    campaign_id: z.string().min(1),
    issues: z.array(z.object({ rule: z.string().min(1), value: z.union([z.string(), z.number(), z.null()]) })).min(1),
    campaign: z.string().optional(),
  }),
});

/** A platform's projected month-end spend off the marketing plan (over: warning; well under after day 10: info). */
export const mktgBudgetVariance = defineSignalType({
  type: 'mktg_budget_variance',
  description: "A platform's projected month-end marketing spend is off the monthly plan",
  defaultSeverity: 'warning',
  schema: z.object({
    /** First day of the month, YYYY-MM-DD. */
    month: z.iso.date(),
    platform,
    plan: z.number().nonnegative(),
    projected: z.number().nonnegative(),
    /** (projected − plan) ÷ plan, in percent. */
    variance_pct: z.number(),
    mtd: z.number().nonnegative().optional(),
  }),
});

/** An active ad landing on a broken, removed, sold-out or re-priced page. */
export const adDestinationBroken = defineSignalType({
  type: 'ad_destination_broken',
  description: 'An active ad lands on a page that is broken (4xx), removed, out of stock, or at another price than the ad states',
  defaultSeverity: 'warning',
  schema: z.object({
    platform,
    ad_id: z.string().min(1),
    url: z.string().min(1),
    problem: z.enum(['http_4xx', 'removed', 'out_of_stock', 'price_mismatch']),
    sku: z.string().nullable(),
    campaign_id: z.string().optional(),
    detail: z.string().optional(),
  }),
});

/** Every paid-media signal type mktgbot raises. */
export const paidMediaSignalTypes = [paidMediaDaily, roasBelowFloor, adSpendAnomaly, adAccountIssue, adConfigIssue, mktgBudgetVariance, adDestinationBroken];

declare module '@jbot/core' {
  interface SignalPayloads {
    paid_media_daily: z.output<typeof paidMediaDaily.schema>;
    roas_below_floor: z.output<typeof roasBelowFloor.schema>;
    ad_spend_anomaly: z.output<typeof adSpendAnomaly.schema>;
    ad_account_issue: z.output<typeof adAccountIssue.schema>;
    ad_config_issue: z.output<typeof adConfigIssue.schema>;
    mktg_budget_variance: z.output<typeof mktgBudgetVariance.schema>;
    ad_destination_broken: z.output<typeof adDestinationBroken.schema>;
  }
}
