import { defineBot } from '@jbot/core';
import { pauseCampaigns, proposePauses } from './propose-pauses.js';
import { signalTypes } from './signals.js';

/** mktgbot — watches Meta Ads and Klaviyo: spend, fatigue, flows; proposes pauses for products going out of stock. */
export const mktgbot = defineBot({
  name: 'mktgbot',
  jobs: [],
  signalTypes,
  // The freight cascade: campaigns promoting SKUs that will run out → a pause proposal (approval).
  on: { freight_delay: proposePauses },
  actions: [pauseCampaigns],
});
