import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types adsbot introduces. Pure declarations (zod only), like bots/salesbot/src/signals.ts.

/** An ad whose audience has seen it too often (catalogue §4; studiobot shortlists UGC replacements). */
export const adFatigue = defineSignalType({
  type: 'ad_fatigue',
  description: 'An ad with 7-day frequency over its threshold and link CTR well under its first week',
  defaultSeverity: 'warning',
  schema: z.object({
    platform: z.string().min(1),
    ad_id: z.string().min(1),
    ad_set_id: z.string().min(1),
    frequency_7d: z.number().nonnegative(),
    ctr_drop_pct: z.number(),
    cpm_change_pct: z.number(),
    spend_7d: z.number().nonnegative(),
    // Optional context a consumer can use without looking the ad up.
    ad_name: z.string().optional(),
    brand: z.string().optional(),
    campaign_id: z.string().optional(),
  }),
});

/** Every type adsbot introduces. */
export const signalTypes = [adFatigue];

declare module '@jbot/core' {
  interface SignalPayloads {
    ad_fatigue: z.output<typeof adFatigue.schema>;
  }
}
