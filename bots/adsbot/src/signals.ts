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

/** Ad copy that breaks a claims rule (the lexicon, a wrong price, an unlabelled creator ad) on an ad that is already live. */
export const adClaimsRisk = defineSignalType({
  type: 'ad_claims_risk',
  description: 'A live ad whose copy makes a claim the brand cannot substantiate, shows a wrong price or lacks its paid-partnership label',
  defaultSeverity: 'warning',
  schema: z.object({
    ad_id: z.string().min(1),
    excerpt: z.string().min(1),
    rule: z.string().min(1),
    live: z.boolean(),
    ad_name: z.string().optional(),
  }),
});

/** Every type adsbot introduces. */
export const signalTypes = [adFatigue, adClaimsRisk];

declare module '@jbot/core' {
  interface SignalPayloads {
    ad_fatigue: z.output<typeof adFatigue.schema>;
    ad_claims_risk: z.output<typeof adClaimsRisk.schema>;
  }
}
