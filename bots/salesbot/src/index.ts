export { salesbot } from './bot.js';
export {
  hubspotSync,
  hubspotSyncSettings,
  findDealChanges,
  runHubSpotSync,
  isoWeek,
  previousSync,
  type DealChanges,
  type DealSummary,
  type HubSpotSyncResult,
} from './jobs/hubspot-sync.js';
export {
  dealHygiene,
  dealHygieneSettings,
  findDealDefects,
  hygieneMessage,
  localDay,
  runDealHygiene,
  type DealDefect,
  type DealDefectKind,
  type DealHygieneResult,
} from './jobs/deal-hygiene.js';
export * from './hygiene/index.js';
export * from './followups/index.js';
export * from './freight/index.js';
export { staleDeals, signalTypes } from './signals.js';
export * from './activity-exports.js';
export {
  arCollections,
  arCollectionsSettings,
  findOverdueAccounts,
  agingMessage,
  requestArReminders,
  runArCollections,
  type OverdueAccount,
  type OverdueInvoice,
  type ArCollectionsResult,
} from './jobs/ar-collections.js';
export { sendArReminders, type ArRemindersDraft, type SendArRemindersResult } from './collections/send-ar-reminders.js';
export { placeCreditHold, type CreditHoldDraft, type PlaceCreditHoldResult } from './collections/place-credit-hold.js';
export { answerAccountSignal } from './replies/account-replies.js';
export { arOverdue, forecastGap, accountSignalTypes } from './signals.js';
export { salesEod, salesEodSettings, findPipelineMovement, movementMessage, runSalesEod, type PipelineMovement, type MovementKind } from './jobs/sales-eod.js';
export {
  weeklyForecast,
  weeklyForecastSettings,
  forecastQuarter,
  forecastMessage,
  runWeeklyForecast,
  type QuarterForecast,
  type SlippedDeal,
} from './jobs/weekly-forecast.js';
export { startOfLocalDay, quarterOf } from './jobs/local-time.js';
export { crmDedupe, crmDedupeSettings, findDuplicates, duplicatesMessage, runCrmDedupe, type DuplicatePair } from './jobs/crm-dedupe.js';
export { mergeCrmRecords, type MergeCrmRecordsDraft, type MergeCrmRecordsResult } from './dedupe/merge-crm-records.js';
export { nameSimilarity } from './dedupe/name-similarity.js';
export { planMapNotice } from './outreach/plan-map-notice.js';
export { planClearanceOffer, clearanceOfferSettings } from './outreach/plan-clearance-offer.js';
export { sendMapNotice, type MapNoticeDraft } from './outreach/send-map-notice.js';
export { sendReorderNudges, type ReorderNudgesDraft } from './outreach/send-reorder-nudges.js';
export type { AccountEmail, AccountEmailsResult } from './outreach/account-emails.js';
export {
  buyerTurnover,
  buyerTurnoverSettings,
  findDepartedBuyers,
  turnoverMessage,
  runBuyerTurnover,
  DEPARTED_PATTERN,
  type DepartedBuyer,
} from './jobs/buyer-turnover.js';
export {
  sampleRequests,
  sampleRequestsSettings,
  findSampleRequests,
  sampleRequestsMessage,
  runSampleRequests,
  type SampleFinding,
} from './jobs/sample-requests.js';
export { createSampleOrder, type SampleOrderDraft, type CreateSampleOrderResult } from './samples/create-sample-order.js';
export {
  monthlyAccountReview,
  monthlyAccountReviewSettings,
  reviewAccounts,
  reviewMessage,
  growthOpportunities,
  runMonthlyAccountReview,
  requestAccountCheckins,
  type AccountReview,
  type MonthlyAccountReviewResult,
} from './jobs/monthly-account-review.js';
export { sendAccountCheckins, type AccountCheckinsDraft, type SendAccountCheckinsResult } from './accounts/send-account-checkins.js';
export { accountChurnRisk } from './signals.js';
export {
  lineReviewPrep,
  lineReviewPrepSettings,
  findLineReviews,
  packMessage,
  runLineReviewPrep,
  type LineReviewPack,
  type PackSku,
} from './jobs/line-review-prep.js';
export {
  deductionsWatch,
  deductionsWatchSettings,
  findDeductions,
  deductionRulesOf,
  disputePacket,
  requestDeductionDisputes,
  runDeductionsWatch,
  type FlaggedDeduction,
  type DeductionRules,
  type DeductionsWatchResult,
} from './jobs/deductions-watch.js';
export { sendDeductionDisputes, type DeductionDisputesDraft, type SendDeductionDisputesResult } from './deductions/send-deduction-disputes.js';
export { deductionDisputeDue } from './signals.js';
export {
  reorderCadence,
  reorderCadenceSettings,
  findLateAccounts,
  runReorderCadence,
  type LateAccount,
  type HeldBackAccount,
  type ReorderCadenceResult,
} from './jobs/reorder-cadence.js';
