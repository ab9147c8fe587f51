export { mktgbot } from './bot.js';
export { findCampaignsPromotingStockouts, type PauseProposal, type DelayedStock } from './campaigns-promoting-stockouts.js';
export { proposePauses, pauseCampaigns } from './propose-pauses.js';
export { klaviyoIssue, signalTypes } from './signals.js';
export { klaviyoSendGuard, sendGuardSettings, findHeldCampaigns, runSendGuard, type HeldCampaign } from './jobs/klaviyo-send-guard.js';
export { fixOrUnscheduleCampaign, type FixOrUnscheduleDraft } from './klaviyo/fix-or-unschedule-campaign.js';
export { checkCampaign, linksIn, productHandle, type SendIssue, type SendRule } from './klaviyo/send-checks.js';
export { answerOperator } from './operator-replies.js';
export { klaviyoFlowHealth, flowHealthSettings, judgeFlows, flowBenchmarkKind, runFlowHealth, type FlowFinding } from './jobs/klaviyo-flow-health.js';
