import { defineBot } from '@jbot/core';
import { scheduleSocialPosts } from './actions/schedule-social-posts.js';
import { hideComments, sendSocialReplies } from './actions/send-social-replies.js';
import { addUgcToPostLibrary, draftForLaunch, holdSkuOnStockout, releaseSkuBackInStock } from './handlers.js';
import { calendarGapsJob } from './jobs/calendar-gaps.js';
import { communityInbox } from './jobs/community-inbox.js';
import { postDrafts } from './jobs/post-drafts.js';
import { socialPerformance } from './jobs/social-performance.js';
import { answerOperator } from './operator-replies.js';
import { signalTypes } from './signals.js';

/** socialbot — the social calendar across platforms: gaps, drafts, the community inbox, performance. */
export const socialbot = defineBot({
  name: 'socialbot',
  jobs: [calendarGapsJob, postDrafts, communityInbox, socialPerformance],
  signalTypes,
  on: {
    stockout_risk: holdSkuOnStockout,
    back_in_stock: releaseSkuBackInStock,
    ugc_available: addUgcToPostLibrary,
    launch_at_risk: draftForLaunch,
  },
  onInstruction: answerOperator,
  actions: [scheduleSocialPosts, sendSocialReplies, hideComments],
});
