export { socialbot } from './bot.js';
export { calendarGap, socialSentimentSpike, signalTypes } from './signals.js';
export {
  calendarGapsJob,
  calendarGapsSettings,
  calendarGaps,
  findCalendarIssues,
  runCalendarGaps,
  type CalendarFindings,
  type CalendarGapFinding,
} from './jobs/calendar-gaps.js';
export { postDrafts, postDraftsSettings, findPostSlots, runPostDrafts, type PostSlot } from './jobs/post-drafts.js';
export { communityInbox, communityInboxSettings, triageInbox, findSpikes, runCommunityInbox, type SentimentSpike } from './jobs/community-inbox.js';
export { socialPerformance, socialPerformanceSettings, measureSocialPerformance, runSocialPerformance } from './jobs/social-performance.js';
export { scheduleSocialPosts } from './actions/schedule-social-posts.js';
export { sendSocialReplies, hideComments } from './actions/send-social-replies.js';
export { classifyByRules, faqAnswer, themeOf } from './inbox-rules.js';
export { answerOperator } from './operator-replies.js';
