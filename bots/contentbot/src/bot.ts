import { defineBot } from '@jbot/core';
import { patchListing } from './actions/patch-listing.js';
import { publishProductCopy } from './actions/publish-product-copy.js';
import { updateProductSeo } from './actions/update-product-seo.js';
import { amazonListingDrift } from './jobs/amazon-listing-drift.js';
import { amazonListingHealth } from './jobs/amazon-listing-health.js';
import { amazonOfferWatch } from './jobs/amazon-offer-watch.js';
import { coreWebVitals } from './jobs/core-web-vitals.js';
import { productCopyGaps } from './jobs/product-copy-gaps.js';
import { reviewInsights } from './jobs/review-insights.js';
import { seoRankWatch } from './jobs/seo-rank-watch.js';
import { siteCrawlAudit } from './jobs/site-crawl-audit.js';
import { answerOperator } from './operator-replies.js';
import { queueReviewCopy } from './queue-review-copy.js';
import { signalTypes } from './signals.js';

/** contentbot — SEO, product copy and Amazon listings: listing health, Buy Box, drift, search, site, speed, copy, reviews. */
export const contentbot = defineBot({
  name: 'contentbot',
  jobs: [amazonListingHealth, amazonOfferWatch, amazonListingDrift, seoRankWatch, siteCrawlAudit, coreWebVitals, productCopyGaps, reviewInsights],
  signalTypes,
  // The operator's reply to a contentbot escalation: explain it with a fresh read, or queue the copy work.
  onInstruction: answerOperator,
  // A rising complaint topic queues the SKU's copy for product-copy-gaps.
  on: { review_topic_alert: queueReviewCopy },
  actions: [patchListing, updateProductSeo, publishProductCopy],
});
