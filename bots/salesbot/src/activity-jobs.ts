import type { ActionDefinition, JobDefinition } from '@jbot/core';
import { inboundLeadRouter } from './jobs/inbound-lead-router.js';
import { repActivity } from './jobs/rep-activity.js';
import { overdueTasks } from './jobs/overdue-tasks.js';
import { accountOnboarding } from './jobs/account-onboarding.js';
import { sendOnboardingPack } from './onboarding/send-onboarding-pack.js';
import { prospectOutreach } from './jobs/prospect-outreach.js';
import { sendOutreach } from './outreach/send-outreach.js';
import { quoteExpiry } from './jobs/quote-expiry.js';
import { sendQuoteFollowUps } from './quotes/send-quote-followups.js';
import { discountGuard } from './jobs/discount-guard.js';
import { approveDealPricing } from './pricing/approve-deal-pricing.js';
import { commitRisk } from './jobs/commit-risk.js';
import { followupReplies } from './jobs/followup-replies.js';
import { markDealsReplied } from './followups/mark-deals-replied.js';
import { assignLeadAndReply } from './leads/assign-lead-and-reply.js';

// salesbot's selling-activity jobs (leads, rep activity, tasks, pricing, late-stage deals) and the
// actions they ask for, listed once here so bot.ts takes them in one line.

/** The activity jobs, in the catalogue's order. */
export const activityJobs: JobDefinition[] = [
  inboundLeadRouter,
  repActivity,
  overdueTasks,
  accountOnboarding,
  prospectOutreach,
  quoteExpiry,
  discountGuard,
  followupReplies,
  commitRisk,
];

/** The approval actions the activity jobs ask for. */
export const activityActions: ActionDefinition[] = [
  assignLeadAndReply,
  sendOnboardingPack,
  sendOutreach,
  sendQuoteFollowUps,
  approveDealPricing,
  markDealsReplied,
];
