import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types mktgbot introduces (see bots/salesbot/src/signals.ts for why they live here).
// Declared ahead of mktgbot's launch-readiness job so their consumers (adsbot, socialbot) can be
// built and tested with signals of the catalogued shape (design §8).

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
export const signalTypes = [launchAtRisk];

declare module '@jbot/core' {
  interface SignalPayloads {
    launch_at_risk: z.output<typeof launchAtRisk.schema>;
  }
}
