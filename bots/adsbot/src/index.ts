export { adsbot } from './bot.js';
export { adFatigue, adClaimsRisk, signalTypes } from './signals.js';
export {
  creativeFatigue,
  creativeFatigueSettings,
  findFatiguedAds,
  fatigueSeverity,
  runCreativeFatigue,
  type FatiguedAd,
  type FatigueReport,
} from './jobs/creative-fatigue.js';
export { creativeTestReadout, creativeTestSettings, readCreativeTests, runCreativeTestReadout, type TestReadout } from './jobs/creative-test-readout.js';
export { creativeBriefs, creativeBriefsSettings, findBriefSubjects, runCreativeBriefs, type BriefSubject } from './jobs/creative-briefs.js';
export { creativeCompliance, creativeComplianceSettings, checkAdClaims, runCreativeCompliance, type ClaimFinding } from './jobs/creative-compliance.js';
export { rotateCreatives } from './actions/rotate-creatives.js';
export { applyCreativeTestResult } from './actions/apply-creative-test-result.js';
export { createAdDrafts } from './actions/create-ad-drafts.js';
export { fixAdCopy } from './actions/fix-ad-copy.js';
export { twoProportionPValue } from './two-proportion-test.js';
export { answerOperator } from './operator-replies.js';
