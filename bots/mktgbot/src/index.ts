export { mktgbot } from './bot.js';
export { findCampaignsPromotingStockouts, type PauseProposal, type DelayedStock } from './campaigns-promoting-stockouts.js';
export { proposePauses, pauseCampaigns } from './propose-pauses.js';
export { klaviyoIssue, deliverabilityRisk, signalTypes } from './signals.js';
export { klaviyoSendGuard, sendGuardSettings, findHeldCampaigns, runSendGuard, type HeldCampaign } from './jobs/klaviyo-send-guard.js';
export { fixOrUnscheduleCampaign, type FixOrUnscheduleDraft } from './klaviyo/fix-or-unschedule-campaign.js';
export { checkCampaign, linksIn, productHandle, type SendIssue, type SendRule } from './klaviyo/send-checks.js';
export { answerOperator } from './operator-replies.js';
export { klaviyoFlowHealth, flowHealthSettings, judgeFlows, flowBenchmarkKind, runFlowHealth, type FlowFinding } from './jobs/klaviyo-flow-health.js';
export { klaviyoCampaignRecap, campaignRecapSettings, recapCampaigns, runCampaignRecap, type CampaignRecapLine } from './jobs/klaviyo-campaign-recap.js';
export { searchSignalTypes, trackingBroken, conversionDrop, feedItemIssue, brandSearchLoss } from './search/search-signals.js';
export { budgetIncreasesHeld, openTrackingBreaks, TRACKING_RESTORED_KIND, type OpenTrackingBreak } from './search/tracking-hold.js';
export { trackingHealth, trackingHealthSettings, judgeTracking, judgeUtmCoverage, runTrackingHealth, type TrackingFinding } from './jobs/tracking-health.js';
export {
  siteConversionWatch,
  siteConversionSettings,
  judgeCheckoutRates,
  judgeOrderGap,
  runSiteConversionWatch,
  type ConversionFinding,
} from './jobs/site-conversion-watch.js';
export {
  productFeedHealth,
  productFeedSettings,
  judgeFeeds,
  runProductFeedHealth,
  type FeedVerdict,
  type FeedItemProblem,
} from './jobs/product-feed-health.js';
export { googleSearchTerms, searchTermsSettings, judgeSearchTerms, runGoogleSearchTerms, type SearchTermProposal } from './jobs/google-search-terms.js';
export { applyNegativeKeywords, type ApplyNegativeKeywordsDraft, type ApplyNegativeKeywordsResult } from './search/apply-negative-keywords.js';
export { searchJobs, searchActions } from './search/search-jobs.js';
export {
  amazonAdsKeywords,
  amazonKeywordsSettings,
  judgeAmazonKeywords,
  runAmazonAdsKeywords,
  type AmazonKeywordProposals,
} from './jobs/amazon-ads-keywords.js';
export { applyAmazonBidChanges, type ApplyAmazonBidChangesDraft, type ApplyAmazonBidChangesResult } from './search/apply-amazon-bid-changes.js';
export { brandSearchShare, brandSearchSettings, judgeBrandSearch, runBrandSearchShare, type BrandSearchFinding } from './jobs/brand-search-share.js';
export { adjustCampaignBudget, type AdjustCampaignBudgetDraft } from './search/adjust-campaign-budget.js';
