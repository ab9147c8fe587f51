// The public surface of salesbot's activity jobs (re-exported by index.ts in one line).
export { activityJobs, activityActions } from './activity-jobs.js';
export * from './leads/index.js';
export * from './sales-days.js';
export {
  inboundLeadRouter,
  inboundLeadRouterSettings,
  leadRouterMessage,
  runInboundLeadRouter,
  type InboundLeadRouterResult,
  type RoutedLead,
} from './jobs/inbound-lead-router.js';
export { repActivity, repActivitySettings, findRepActivity, repActivityMessage, runRepActivity, type RepActivityRow } from './jobs/rep-activity.js';
export {
  overdueTasks,
  overdueTasksSettings,
  businessDaysOverdue,
  findOverdueTasks,
  overdueTasksMessage,
  runOverdueTasks,
  LATE_STAGES,
  type OverdueTask,
} from './jobs/overdue-tasks.js';
export {
  accountOnboarding,
  accountOnboardingSettings,
  findOnboarding,
  onboardingMessage,
  runAccountOnboarding,
  type AccountOnboardingResult,
  type OnboardingFinding,
} from './jobs/account-onboarding.js';
export { sendOnboardingPack, type OnboardingPackDraft, type SendOnboardingPackResult } from './onboarding/send-onboarding-pack.js';
export { dealClosedWon, marginException, commitAtRisk } from './signals.js';
export * from './outreach/index.js';
export { prospectOutreach, prospectOutreachSettings, outreachMessage, runProspectOutreach, type ProspectOutreachResult } from './jobs/prospect-outreach.js';
export * from './quotes/index.js';
export { quoteExpiry, quoteExpirySettings, findQuoteFollowUps, quoteExpiryMessage, runQuoteExpiry, type QuoteFinding } from './jobs/quote-expiry.js';
export * from './pricing/index.js';
export {
  discountGuard,
  discountGuardSettings,
  findPricingExceptions,
  discountGuardMessage,
  runDiscountGuard,
  type PricingException,
} from './jobs/discount-guard.js';
export { commitRisk, commitRiskSettings, findCommitRisk, commitRiskMessage, runCommitRisk, type CommitRisk, type CommitRiskDeal } from './jobs/commit-risk.js';
export * from './replies/index.js';
export { markDealsReplied, type MarkRepliedDraft, type MarkDealsRepliedResult } from './followups/mark-deals-replied.js';
export {
  followupReplies,
  followupRepliesSettings,
  findFollowUpStates,
  followupRepliesMessage,
  runFollowupReplies,
  type FollowUpState,
} from './jobs/followup-replies.js';
