import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types contentbot introduces (see bots/salesbot/src/signals.ts for why they live here).

/** An Amazon listing we sell is suppressed, or carries an issue that suppresses it (amazon-listing-health). */
export const amazonListingSuppressed = defineSignalType({
  type: 'amazon_listing_suppressed',
  description: 'An Amazon listing with sales is not buyable or discoverable, or an issue suppresses it',
  defaultSeverity: 'alert',
  schema: z.object({
    asin: z.string().min(1),
    sku: z.string().min(1),
    issues: z.array(z.object({ code: z.string(), message: z.string(), severity: z.string(), enforcement: z.string().nullable() })),
    statuses: z.array(z.string()).optional(),
    approval_id: z.string().nullable().optional(),
  }),
});

/** Someone else holds the featured offer (Buy Box) on one of our ASINs, or nobody does (amazon-offer-watch). */
export const buyBoxLost = defineSignalType({
  type: 'buy_box_lost',
  description: 'The featured offer on one of our ASINs is not ours on consecutive checks, or there is none',
  defaultSeverity: 'warning',
  schema: z.object({
    asin: z.string().min(1),
    sku: z.string().min(1),
    winner_seller_id: z.string().nullable(),
    winner_price: z.number().nullable(),
    our_price: z.number().nullable(),
    map_price: z.number().nullable(),
    below_map: z.boolean(),
    wholesale_account_id: z.string().nullable(),
    wholesale_account: z.string().nullable().optional(),
    suppressed: z.boolean(),
    competitive_price: z.number().nullable().optional(),
    checks: z.number().int().nonnegative().optional(),
  }),
});

/** A page losing organic clicks and position week over week (seo-rank-watch). */
export const seoRegression = defineSignalType({
  type: 'seo_regression',
  description: 'A page lost at least 30% of its organic clicks week over week and fell in position',
  defaultSeverity: 'warning',
  schema: z.object({
    url: z.string().min(1),
    clicks_7d: z.number().int().nonnegative(),
    clicks_prev_7d: z.number().int().nonnegative(),
    position_change: z.number(),
    queries: z.array(z.object({ query: z.string(), clicks_7d: z.number(), clicks_prev_7d: z.number(), position: z.number() })),
  }),
});

/** A key template failing or regressing on Core Web Vitals (core-web-vitals). */
export const siteSpeedRegression = defineSignalType({
  type: 'site_speed_regression',
  description: "A key page's real-user Core Web Vitals fail or regressed",
  defaultSeverity: 'warning',
  schema: z.object({
    url: z.string().min(1),
    template: z.string(),
    metric: z.enum(['lcp', 'inp', 'cls']),
    p75: z.number(),
    threshold: z.number(),
    median_7d: z.number().nullable().optional(),
    kind: z.enum(['fail', 'crossed', 'regressed']).optional(),
  }),
});

/** A complaint topic rising in an ASIN's reviews, or its rating falling (review-insights). */
export const reviewTopicAlert = defineSignalType({
  type: 'review_topic_alert',
  description: "A negative review topic rose or appeared in an ASIN's top three, or its star rating fell",
  defaultSeverity: 'warning',
  schema: z.object({
    asin: z.string().min(1),
    sku: z.string().min(1),
    topic: z.string().nullable(),
    share: z.number().nullable(),
    change_pts: z.number().nullable(),
    rating_change: z.number().nullable(),
  }),
});

/** Every type contentbot introduces. */
export const signalTypes = [amazonListingSuppressed, buyBoxLost, seoRegression, siteSpeedRegression, reviewTopicAlert];

declare module '@jbot/core' {
  interface SignalPayloads {
    amazon_listing_suppressed: z.output<typeof amazonListingSuppressed.schema>;
    buy_box_lost: z.output<typeof buyBoxLost.schema>;
    seo_regression: z.output<typeof seoRegression.schema>;
    site_speed_regression: z.output<typeof siteSpeedRegression.schema>;
    review_topic_alert: z.output<typeof reviewTopicAlert.schema>;
  }
}
