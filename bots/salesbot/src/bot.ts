import { defineBot } from '@jbot/core';
import { planDelayNotices, sendDelayNotices } from './freight/index.js';
import { hubspotSync } from './jobs/hubspot-sync.js';
import { dealHygiene } from './jobs/deal-hygiene.js';
import { createHygieneTasks } from './hygiene/index.js';
import { sendFollowUps } from './followups/index.js';
import { signalTypes } from './signals.js';
import { activityActions, activityJobs } from './activity-jobs.js';
import { answerOperator } from './replies/answer-operator.js';
import { buyBoxLost } from '@jbot/contentbot/signals';
import { expiringInventory } from '@jbot/shipbot/signals';
import { arCollections } from './jobs/ar-collections.js';
import { salesEod } from './jobs/sales-eod.js';
import { weeklyForecast } from './jobs/weekly-forecast.js';
import { crmDedupe } from './jobs/crm-dedupe.js';
import { mergeCrmRecords } from './dedupe/merge-crm-records.js';
import { planMapNotice } from './outreach/plan-map-notice.js';
import { clearanceOfferSettings, planClearanceOffer } from './outreach/plan-clearance-offer.js';
import { sendMapNotice } from './outreach/send-map-notice.js';
import { sendReorderNudges } from './outreach/send-reorder-nudges.js';
import { placeCreditHold } from './collections/place-credit-hold.js';
import { sendArReminders } from './collections/send-ar-reminders.js';
import { answerAccountSignal } from './replies/account-replies.js';
import { buyerTurnover } from './jobs/buyer-turnover.js';
import { sampleRequests } from './jobs/sample-requests.js';
import { createSampleOrder } from './samples/create-sample-order.js';
import { monthlyAccountReview } from './jobs/monthly-account-review.js';
import { sendAccountCheckins } from './accounts/send-account-checkins.js';
import { lineReviewPrep } from './jobs/line-review-prep.js';
import { deductionsWatch } from './jobs/deductions-watch.js';
import { sendDeductionDisputes } from './deductions/send-deduction-disputes.js';
import { reorderCadence } from './jobs/reorder-cadence.js';

/** salesbot — keeps the HubSpot pipeline moving: new, stale and won deals, follow-up drafts, customer notices. */
export const salesbot = defineBot({
  name: 'salesbot',
  settings: clearanceOfferSettings,
  jobs: [
    hubspotSync,
    dealHygiene,
    ...activityJobs,
    arCollections,
    salesEod,
    weeklyForecast,
    crmDedupe,
    buyerTurnover,
    sampleRequests,
    monthlyAccountReview,
    lineReviewPrep,
    deductionsWatch,
    reorderCadence,
  ],
  // Its own types, and those it consumes from contentbot and shipbot (so a lone salesbot process knows them).
  signalTypes: [...signalTypes, buyBoxLost, expiringInventory],
  // The freight cascade: wholesale customers whose orders now ship late get a drafted notice (approval).
  // Our own wholesale account below MAP on Amazon → a MAP notice; an expiring lot → a clearance offer (approvals).
  on: { freight_delay: planDelayNotices, buy_box_lost: planMapNotice, expiring_inventory: planClearanceOffer },
  // The Monday flow: the operator's reply to the stale-deals line → drafted follow-ups for approval;
  // replies to the activity jobs' warnings go to their own handlers (replies/answer-operator.ts), and
  // replies to the account-side escalations (AR, forecast) to replies/account-replies.ts first.
  onInstruction: async (instruction, context) => (await answerAccountSignal(instruction, context)) ?? answerOperator(instruction, context),
  actions: [
    sendFollowUps,
    sendDelayNotices,
    createHygieneTasks,
    ...activityActions,
    sendArReminders,
    placeCreditHold,
    mergeCrmRecords,
    sendMapNotice,
    sendReorderNudges,
    createSampleOrder,
    sendAccountCheckins,
    sendDeductionDisputes,
  ],
});
