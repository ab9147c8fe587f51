import { defineBot, loggingHandlers } from '@jbot/core';
import { hubspotSync } from './jobs/hubspot-sync.js';
import { planFollowUps, SEND_FOLLOW_UPS, sendFollowUps } from './followups/index.js';

/** salesbot — Keeps the HubSpot pipeline moving: new, stale and won deals, follow-up drafts, customer notices. */
export const salesbot = defineBot({
  name: 'salesbot',
  purpose: 'Keeps the HubSpot pipeline moving: new, stale and won deals, follow-up drafts, customer notices',
  channel: '#sales-bot',
  jobs: [hubspotSync],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: loggingHandlers(['freight_delay']),
  // The Monday flow: the operator's reply to the stale-deals line → drafted follow-ups for approval.
  onInstruction: planFollowUps,
  executors: {
    [SEND_FOLLOW_UPS]: sendFollowUps,
  },
});
