import { defineBot } from '@jbot/core';
import { applyCreativeTestResult } from './actions/apply-creative-test-result.js';
import { createAdDrafts } from './actions/create-ad-drafts.js';
import { fixAdCopy } from './actions/fix-ad-copy.js';
import { rotateCreatives } from './actions/rotate-creatives.js';
import { addUgcToLibrary, briefOnFatigue, briefOnLaunch, pauseAdsOnExpiringRights } from './handlers.js';
import { creativeBriefs } from './jobs/creative-briefs.js';
import { creativeCompliance } from './jobs/creative-compliance.js';
import { creativeFatigue } from './jobs/creative-fatigue.js';
import { creativeTestReadout } from './jobs/creative-test-readout.js';
import { answerOperator } from './operator-replies.js';
import { signalTypes } from './signals.js';

/** adsbot — ad creative: fatigue, tests, briefs and claims checks on Meta ads. */
export const adsbot = defineBot({
  name: 'adsbot',
  jobs: [creativeFatigue, creativeTestReadout, creativeBriefs, creativeCompliance],
  signalTypes,
  on: {
    // The creative chain: fatigue → a brief trigger; studiobot's cleared UGC → the creative library.
    ad_fatigue: briefOnFatigue,
    ugc_available: addUgcToLibrary,
    launch_at_risk: briefOnLaunch,
    ugc_rights_expiring: pauseAdsOnExpiringRights,
  },
  onInstruction: answerOperator,
  actions: [rotateCreatives, applyCreativeTestResult, createAdDrafts, fixAdCopy],
});
