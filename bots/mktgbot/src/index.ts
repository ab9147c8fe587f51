export { mktgbot } from './bot.js';
export { findCampaignsPromotingStockouts, type PauseProposal, type DelayedStock } from './campaigns-promoting-stockouts.js';
export { proposePauses, pauseCampaigns } from './propose-pauses.js';
export { klaviyoIssue, deliverabilityRisk, promoRisk, discountLeak, launchAtRisk, signalTypes } from './signals.js';
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
export { adjustCampaignBudget, type AdjustCampaignBudgetDraft } from './paid-media/adjust-campaign-budget.js';
export {
  klaviyoListGrowth,
  listGrowthSettings,
  judgeListGrowth,
  runListGrowth,
  type ListGrowthFinding,
  type BrokenForm,
  type ListDecline,
} from './jobs/klaviyo-list-growth.js';
export {
  klaviyoCampaignDrafts,
  campaignDraftsSettings,
  findDueEmails,
  runCampaignDrafts,
  templateCopy,
  type DueEmail,
  type EmailCopy,
  type CampaignDraftsResult,
} from './jobs/klaviyo-campaign-drafts.js';
export { createKlaviyoDraft, draftCampaignName, type CreateKlaviyoDraftDraft } from './klaviyo/create-klaviyo-draft.js';
export {
  promoGuard,
  promoGuardSettings,
  findRiskyPromotions,
  adjustmentFor,
  runPromoGuard,
  type RiskyPromotion,
  type PromoSkuRisk,
} from './jobs/promo-guard.js';
export { adjustPromotion, type AdjustPromotionDraft } from './promotions/adjust-promotion.js';
export { discountCodeLeak, discountLeakSettings, judgeCodes, runDiscountLeak, type LeakedCode } from './jobs/discount-code-leak.js';
export { disableDiscountCode, replacementCode, type DisableDiscountCodeDraft } from './promotions/disable-discount-code.js';
export { proposeClearance, createClearancePromo, clearanceSettings, type ClearanceDraft } from './propose-clearance.js';
export { proposeResumes, resumeCampaigns, type ResumeDraft } from './propose-resumes.js';
export { launchReadiness, launchReadinessSettings, checkLaunches, runLaunchReadiness, type LaunchCheck } from './jobs/launch-readiness.js';
export { klaviyoListHygiene, listHygieneSettings, judgeMembers, runListHygiene, type HygieneVerdict } from './jobs/klaviyo-list-hygiene.js';
export { suppressUnengagedProfiles, type SuppressUnengagedDraft } from './klaviyo/suppress-unengaged-profiles.js';
