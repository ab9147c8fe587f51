import { defineBot } from '@jbot/core';
import { renewOrPauseAsset, requestUgcRights, sendCreatorFixRequests, sendCreatorOutreach, sendCreatorReminders } from './actions/index.js';
import { replaceLeakedCode } from './handlers/replace-leaked-code.js';
import { shortlistUgcForFatigue } from './handlers/shortlist-ugc-for-fatigue.js';
import { creatorPipeline } from './jobs/creator-pipeline.js';
import { creatorPostCompliance } from './jobs/creator-post-compliance.js';
import { creatorRoi } from './jobs/creator-roi.js';
import { influencerDiscovery } from './jobs/influencer-discovery.js';
import { ugcHarvest } from './jobs/ugc-harvest.js';
import { ugcRightsExpiry } from './jobs/ugc-rights-expiry.js';
import { answerOperator } from './operator-replies.js';
import { signalTypes } from './signals.js';

/** studiobot — influencers and UGC: finds creators, licenses customer content, runs collaborations, guards rights and disclosure. */
export const studiobot = defineBot({
  name: 'studiobot',
  jobs: [influencerDiscovery, ugcHarvest, creatorPipeline, creatorPostCompliance, creatorRoi, ugcRightsExpiry],
  signalTypes,
  // The creative chain: a fatigued ad → rights-cleared UGC to replace it (ugc_available → adsbot).
  // A leaked creator code (mktgbot) → the creator is told and given a new code (approval).
  on: { ad_fatigue: shortlistUgcForFatigue, discount_leak: replaceLeakedCode },
  // The operator's reply to expiring rights, a missing disclosure or a late creator.
  onInstruction: answerOperator,
  actions: [sendCreatorOutreach, requestUgcRights, sendCreatorReminders, sendCreatorFixRequests, renewOrPauseAsset],
});
