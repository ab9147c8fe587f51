import { amazonAdsKeywords } from '../jobs/amazon-ads-keywords.js';
import { brandSearchShare } from '../jobs/brand-search-share.js';
import { googleSearchTerms } from '../jobs/google-search-terms.js';
import { productFeedHealth } from '../jobs/product-feed-health.js';
import { siteConversionWatch } from '../jobs/site-conversion-watch.js';
import { trackingHealth } from '../jobs/tracking-health.js';
import { adjustCampaignBudget } from './adjust-campaign-budget.js';
import { applyAmazonBidChanges } from './apply-amazon-bid-changes.js';
import { applyNegativeKeywords } from './apply-negative-keywords.js';

/** mktgbot's tracking, site, feed and search jobs (registered in bot.ts). */
export const searchJobs = [trackingHealth, siteConversionWatch, productFeedHealth, googleSearchTerms, brandSearchShare, amazonAdsKeywords];

/** The approval actions those jobs raise. */
export const searchActions = [applyNegativeKeywords, applyAmazonBidChanges, adjustCampaignBudget];
