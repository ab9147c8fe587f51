import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types mktgbot introduces. Pure declarations (zod only), like bots/salesbot/src/signals.ts.

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

/** Every type mktgbot introduces. */
export const signalTypes = [discountLeak];

declare module '@jbot/core' {
  interface SignalPayloads {
    discount_leak: z.output<typeof discountLeak.schema>;
  }
}
