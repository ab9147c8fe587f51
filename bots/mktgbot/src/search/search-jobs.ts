import { trackingHealth } from '../jobs/tracking-health.js';

/** mktgbot's tracking, site, feed and search jobs (registered in bot.ts). */
export const searchJobs = [trackingHealth];

/** The approval actions those jobs raise. */
export const searchActions = [];
