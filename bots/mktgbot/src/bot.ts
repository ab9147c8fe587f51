import { defineBot } from '@jbot/core';
import { klaviyoCampaignRecap } from './jobs/klaviyo-campaign-recap.js';
import { klaviyoFlowHealth } from './jobs/klaviyo-flow-health.js';
import { klaviyoSendGuard } from './jobs/klaviyo-send-guard.js';
import { fixOrUnscheduleCampaign } from './klaviyo/fix-or-unschedule-campaign.js';
import { answerOperator } from './operator-replies.js';
import { pauseCampaigns, proposePauses } from './propose-pauses.js';
import { signalTypes } from './signals.js';
import { searchJobs, searchActions } from './search/search-jobs.js';
import { searchSignalTypes } from './search/search-signals.js';

/** mktgbot — watches Meta Ads and Klaviyo: spend, fatigue, flows, sends; proposes pauses for products going out of stock. */
export const mktgbot = defineBot({
  name: 'mktgbot',
  jobs: [klaviyoFlowHealth, klaviyoCampaignRecap, klaviyoSendGuard, ...searchJobs],
  signalTypes: [...signalTypes, ...searchSignalTypes],
  // The freight cascade: campaigns promoting SKUs that will run out → a pause proposal (approval).
  on: { freight_delay: proposePauses },
  // The operator's reply to a Klaviyo escalation: explain it, or hold the campaign it names.
  onInstruction: answerOperator,
  actions: [pauseCampaigns, fixOrUnscheduleCampaign, ...searchActions],
});
