export { jbot, createJbot, type JbotOptions } from './bot.js';
export { loadJbotConfig, LOCAL_OPERATOR_CHAT, type JbotConfig } from './jbot-config.js';
export {
  ROUTING_RULES,
  KEYWORD_ROUTES,
  keywordRouter,
  routeSignal,
  isQuietTime,
  parseQuietHours,
  synthesiseLine,
  type MessageRouter,
  type MessageRoute,
  type RoutingConfig,
} from './routing.js';
export { queueMorningBrief, morningBrief, BRIEF_MAX_ITEMS } from './jobs/morning-brief.js';
export { dailyDigest } from './jobs/daily-digest.js';
export { approvalNudge, approvalNudgeSettings, chooseNudges, runApprovalNudge, type NudgeFinding } from './jobs/approval-nudge.js';
export { openLoops, openLoopsSettings, findOpenLoops, runOpenLoops, type OpenLoop } from './jobs/open-loops.js';
export type { TelegramService } from './telegram-service.js';
export { llmRouter } from './llm-router.js';
export {
  salesFlash,
  salesFlashSettings,
  computeSalesFlash,
  runSalesFlash,
  flashHeadline,
  flashMessage,
  type SalesFlash,
  type FlashLine,
} from './jobs/sales-flash.js';
export { signalTypes, salesFlash as salesFlashSignal, revenuePaceMiss, operatorActionNeeded, disclosureHold, pressMention } from './signals.js';
export {
  monthlyKpiPack,
  kpiPackSettings,
  computeKpiPack,
  runKpiPack,
  kpiPackCsv,
  kpiPackText,
  templateCommentary,
  type KpiPack,
  type KpiRow,
} from './jobs/monthly-kpi-pack.js';
export { shareKpiPack, type ShareKpiPackDraft } from './actions/share-kpi-pack.js';
export {
  weeklyOpsReview,
  weeklyReviewSettings,
  gatherWeeklyFacts,
  runWeeklyReview,
  reviewText,
  templateReview,
  type WeeklyFacts,
  type ReviewDecision,
  type ReviewKpi,
} from './jobs/weekly-ops-review.js';
export {
  disclosureGuard,
  disclosureGuardSettings,
  outwardDrafts,
  runDisclosureGuard,
  type OutwardDraft,
  type DisclosureFinding,
} from './jobs/disclosure-guard.js';
export { releaseDisclosureHold, DisclosureApproverError, type ReleaseDisclosureHoldDraft } from './actions/release-disclosure-hold.js';
export { preFilter, quietPeriods, quietPeriodOn, draftText, type QuietPeriod, type RuleHit } from './disclosure/disclosure-rules.js';
export {
  calendarPrep,
  calendarPrepSettings,
  runCalendarPrep,
  meetingFacts,
  externalMeetings,
  dayWindow,
  templateCards,
  type MeetingFacts,
} from './jobs/calendar-prep.js';
export { inboxTriage, inboxTriageSettings, runInboxTriage, triageByRule, type TriagedMessage, type TriageCategory } from './jobs/inbox-triage.js';
export {
  meetingFollowups,
  meetingFollowupsSettings,
  runMeetingFollowups,
  meetingsToFollowUp,
  templateRecap,
  type FollowUpMeeting,
} from './jobs/meeting-followups.js';
export { logMeetingAndSendRecap, type MeetingRecapDraft } from './actions/log-meeting-and-send-recap.js';
export { newsWatch, newsWatchSettings, runNewsWatch, watchItems, titleSimilarity, type WatchedItem } from './jobs/news-watch.js';
export { answerJbotInstruction } from './jbot-instructions.js';
