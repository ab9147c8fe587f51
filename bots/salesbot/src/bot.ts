import { defineBot } from '@jbot/core';
import { planDelayNotices, SEND_DELAY_NOTICES, sendDelayNotices } from './freight/index.js';
import { hubspotSync } from './jobs/hubspot-sync.js';
import { planFollowUps, SEND_FOLLOW_UPS, sendFollowUps } from './followups/index.js';

/** salesbot — Keeps the HubSpot pipeline moving: new, stale and won deals, follow-up drafts, customer notices. */
export const salesbot = defineBot({
  name: 'salesbot',
  purpose: 'Keeps the HubSpot pipeline moving: new, stale and won deals, follow-up drafts, customer notices',
  channel: '#sales-bot',
  jobs: [hubspotSync],
  // The freight cascade: wholesale customers whose orders now ship late get a drafted notice (approval).
  on: { freight_delay: planDelayNotices },
  // The Monday flow: the operator's reply to the stale-deals line → drafted follow-ups for approval.
  onInstruction: planFollowUps,
  executors: {
    [SEND_FOLLOW_UPS]: sendFollowUps,
    [SEND_DELAY_NOTICES]: sendDelayNotices,
  },
});
