import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types mktgbot introduces. Pure declarations (zod only), like bots/salesbot/src/signals.ts.
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

/** Every type mktgbot introduces. */
export const signalTypes = [discountLeak, launchAtRisk];

declare module '@jbot/core' {
  interface SignalPayloads {
    discount_leak: z.output<typeof discountLeak.schema>;
    launch_at_risk: z.output<typeof launchAtRisk.schema>;
  }
}
