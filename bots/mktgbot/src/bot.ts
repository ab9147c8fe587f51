import { defineBot } from '@jbot/core';
import { PAUSE_CAMPAIGNS, pauseCampaigns, proposePauses } from './propose-pauses.js';

/** mktgbot — Watches Meta Ads and Klaviyo: spend, fatigue, flows; proposes pauses for products going out of stock. */
export const mktgbot = defineBot({
  name: 'mktgbot',
  purpose: 'Watches Meta Ads and Klaviyo: spend, fatigue, flows; proposes pauses for products going out of stock',
  channel: '#mktg-bot',
  jobs: [],
  // The freight cascade: campaigns promoting SKUs that will run out → a pause proposal (approval).
  on: { freight_delay: proposePauses },
  executors: { [PAUSE_CAMPAIGNS]: pauseCampaigns },
});
