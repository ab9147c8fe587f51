import { z } from 'zod';
import { defineSignalType } from '@jbot/core';
import { paidMediaSignalTypes } from './paid-media-signals.js';

// The signal types mktgbot introduces. Pure declarations (zod only): every bot process
// registers them through the fleet roster, and consumers get their payload types from the
// SignalPayloads augmentation below without depending on mktgbot's code.

/** Something wrong with Klaviyo email/SMS: a stalled or weak flow, a broken form, a send that must not go out. */
export const klaviyoIssue = defineSignalType({
  type: 'klaviyo_issue',
  description: 'Klaviyo flow stalled or underperforming, sign-up form broken, list declining, or a scheduled send blocked by QA',
  defaultSeverity: 'warning',
  schema: z.object({
    kind: z.enum(['flow_stalled', 'flow_underperforming', 'form_broken', 'send_blocked', 'list_decline']),
    /** The Klaviyo flow, form, list or campaign id. */
    object_id: z.string().min(1),
    name: z.string().min(1),
    metric: z.string().min(1),
    value: z.union([z.number(), z.string()]),
    benchmark: z.union([z.number(), z.string()]).nullable(),
    /** What a person should look at, in words. */
    detail: z.string().optional(),
  }),
});

/** A campaign whose spam complaints, bounces or unsubscribes crossed the bulk-sender guardrails. */
export const deliverabilityRisk = defineSignalType({
  type: 'deliverability_risk',
  description: "A sent campaign's spam complaints, bounces or unsubscribes crossed the Gmail/Yahoo bulk-sender guardrails",
  defaultSeverity: 'warning',
  schema: z.object({
    campaign_id: z.string().min(1),
    /** Fractions of recipients (0.0034 = 0.34%). */
    spam_rate: z.number().min(0).max(1),
    bounce_rate: z.number().min(0).max(1),
    unsubscribe_rate: z.number().min(0).max(1),
    recipients: z.number().int().nonnegative(),
    campaign: z.string().optional(),
    /** Which guardrails it crossed, in words. */
    reasons: z.array(z.string()).optional(),
  }),
});
// launch_at_risk is declared ahead of mktgbot's launch-readiness job so its consumers (adsbot,
// socialbot) can be built and tested with signals of the catalogued shape (design §8).

/** A discount code redeemed far beyond its audience (catalogue §4; studiobot tells the creator and issues a new code). */
export const discountLeak = defineSignalType({
  type: 'discount_leak',
  description: 'A discount code redeemed far beyond its intended audience (leaked to coupon sites)',
  defaultSeverity: 'warning',
  schema: z.object({
    code: z.string().min(1),
    redemptions_today: z.number().int().nonnegative(),
    median: z.number().nonnegative(),
    coupon_share: z.number().min(0).max(1),
    /** The creator the code belongs to, when it is a creator code. */
    creator: z.string().nullable(),
  }),
});

/** A launch is missing pieces (ads, posts, copy, stock) close to its date (catalogue §4). */
export const launchAtRisk = defineSignalType({
  type: 'launch_at_risk',
  description: 'A product launch is missing ads, posts, copy or stock close to its date',
  defaultSeverity: 'warning',
  schema: z.object({
    launch: z.string().min(1),
    date: z.iso.date(),
    missing: z.array(z.object({ owner_bot: z.string().min(1), item: z.string().min(1) })).min(1),
    inventory_eta: z.string().nullable().optional(),
    brand: z.string().optional(),
    skus: z.array(z.string()).optional(),
  }),
});

/** A promotion that would sell stock we lack, discount below the margin floor, or disagree with an email (catalogue §4). */
export const promoRisk = defineSignalType({
  type: 'promo_risk',
  description: 'A promotion would sell stock we do not have, discount below the margin floor, or disagrees with a scheduled email',
  defaultSeverity: 'warning',
  schema: z.object({
    discount_id: z.string().min(1),
    skus: z.array(z.string()).min(1),
    risk: z.enum(['low_cover', 'below_margin', 'price_conflict']),
    detail: z.string().min(1),
    title: z.string().optional(),
  }),
});

/** Every type mktgbot introduces. */
export const signalTypes = [klaviyoIssue, deliverabilityRisk, discountLeak, launchAtRisk, ...paidMediaSignalTypes, promoRisk];

declare module '@jbot/core' {
  interface SignalPayloads {
    klaviyo_issue: z.output<typeof klaviyoIssue.schema>;
    deliverability_risk: z.output<typeof deliverabilityRisk.schema>;
    discount_leak: z.output<typeof discountLeak.schema>;
    launch_at_risk: z.output<typeof launchAtRisk.schema>;
    promo_risk: z.output<typeof promoRisk.schema>;
  }
}
