import { adAccountHealth } from './jobs/ad-account-health.js';
import { adDestinationCheck } from './jobs/ad-destination-check.js';
import { budgetVsPlanMtd } from './jobs/budget-vs-plan-mtd.js';
import { campaignConfigAudit } from './jobs/campaign-config-audit.js';
import { metaLearningLimited } from './jobs/meta-learning-limited.js';
import { paidMediaDaily } from './jobs/paid-media-daily.js';
import { spendPacing } from './jobs/spend-pacing.js';
import { weeklyChannelMix } from './jobs/weekly-channel-mix.js';
import { adjustCampaignBudget } from './paid-media/adjust-campaign-budget.js';
import { consolidateAdsets } from './paid-media/consolidate-adsets.js';
import { fixCampaignConfig } from './paid-media/fix-campaign-config.js';
import { raiseSpendCap } from './paid-media/raise-spend-cap.js';
import { reallocateBudget } from './paid-media/reallocate-budget.js';

// mktgbot's paid-media jobs and the approval actions they ask for, listed here so bot.ts
// takes them in one line each (other mktgbot job families are declared beside it).

/** The paid-media cron jobs (catalogue: paid-media-daily, spend-pacing, ad-account-health, campaign-config-audit…). */
export const paidMediaJobs = [
  paidMediaDaily,
  spendPacing,
  adAccountHealth,
  campaignConfigAudit,
  budgetVsPlanMtd,
  metaLearningLimited,
  adDestinationCheck,
  weeklyChannelMix,
];

/** The approval actions those jobs ask for. */
export const paidMediaActions = [adjustCampaignBudget, fixCampaignConfig, raiseSpendCap, consolidateAdsets, reallocateBudget];
