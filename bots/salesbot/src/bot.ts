import { defineBot } from '@jbot/core';
import { planDelayNotices, sendDelayNotices } from './freight/index.js';
import { hubspotSync } from './jobs/hubspot-sync.js';
import { dealHygiene } from './jobs/deal-hygiene.js';
import { createHygieneTasks } from './hygiene/index.js';
import { sendFollowUps } from './followups/index.js';
import { signalTypes } from './signals.js';
import { activityActions, activityJobs } from './activity-jobs.js';
import { answerOperator } from './replies/answer-operator.js';

/** salesbot — keeps the HubSpot pipeline moving: new, stale and won deals, follow-up drafts, customer notices. */
export const salesbot = defineBot({
  name: 'salesbot',
  jobs: [hubspotSync, dealHygiene, ...activityJobs],
  signalTypes,
  // The freight cascade: wholesale customers whose orders now ship late get a drafted notice (approval).
  on: { freight_delay: planDelayNotices },
  // The Monday flow: the operator's reply to the stale-deals line → drafted follow-ups for approval;
  // replies to the activity jobs' warnings go to their own handlers (replies/answer-operator.ts).
  onInstruction: answerOperator,
  actions: [sendFollowUps, sendDelayNotices, createHygieneTasks, ...activityActions],
});
