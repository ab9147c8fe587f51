import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types of mktgbot's tracking, site, feed and search jobs (catalogue §4). Pure
// declarations, registered through mktgbot's signalTypes like the others in ../signals.ts.

/** Conversion tracking on a platform (or GA4) stopped counting a share of real orders. */
export const trackingBroken = defineSignalType({
  type: 'tracking_broken',
  description: 'A platform or GA4 reports far fewer purchases than Shopify took: its tag or pixel is broken; mktgbot holds budget increases while open',
  defaultSeverity: 'alert',
  schema: z.object({
    /** ga4 / meta / google_ads, or `utm` for paid orders arriving without UTM tags. */
    platform: z.string().min(1),
    /** Yesterday's platform purchases ÷ Shopify orders (for utm: the tagged share of paid orders). */
    ratio_now: z.number().nonnegative(),
    /** The ratio's median over the days before (for utm: the minimum share). */
    ratio_median: z.number().nonnegative(),
    shopify_orders: z.number().int().nonnegative(),
    platform_purchases: z.number().nonnegative(),
    /** The local day judged, YYYY-MM-DD. */
    day: z.iso.date().optional(),
    detail: z.string().optional(),
  }),
});

/** The store's checkout stopped converting on a device (or took no orders at all). */
export const conversionDrop = defineSignalType({
  type: 'conversion_drop',
  description: 'Checkout→purchase conversion fell far below the same hours last week, or the store took no orders for hours',
  defaultSeverity: 'alert',
  schema: z.object({
    /** desktop / mobile / tablet, or `all` for the order-count rules. */
    device: z.string().min(1),
    /** The hours judged, "HH:MM–HH:MM" local with the day. */
    window: z.string().min(1),
    rate: z.number().nonnegative(),
    baseline_rate: z.number().nonnegative(),
    sessions: z.number().int().nonnegative(),
    orders: z.number().int().nonnegative(),
    /** checkout_rate / no_orders / no_orders_daytime. */
    rule: z.string().optional(),
  }),
});

/** Items of a product feed disapproved or out of sync with the store. */
export const feedItemIssue = defineSignalType({
  type: 'feed_item_issue',
  description: 'A product feed (Google / Meta / Pinterest) has too many items disapproved or out of sync with Shopify',
  defaultSeverity: 'warning',
  schema: z.object({
    feed: z.enum(['google', 'meta', 'pinterest']),
    items: z.array(z.object({ sku: z.string().min(1), issue: z.string().min(1), detail: z.string().optional() })).min(1),
    /** Share of the feed's items in error (0.075 = 7.5%). */
    error_share: z.number().min(0).max(1),
  }),
});

/** The brand search campaign is losing impressions (budget or rank) or being conquested. */
export const brandSearchLoss = defineSignalType({
  type: 'brand_search_loss',
  description: 'A branded search campaign lost impression share to budget or rank, or its top-of-page share dropped (competitor conquesting)',
  defaultSeverity: 'warning',
  schema: z.object({
    campaign_id: z.string().min(1),
    campaign: z.string().optional(),
    impression_share: z.number().min(0).max(1),
    lost_budget: z.number().min(0).max(1),
    lost_rank: z.number().min(0).max(1),
    /** Top-of-page impression share now minus its earlier level, in points (−16 = 16 points down). */
    top_is_change: z.number(),
    reasons: z.array(z.string()).optional(),
  }),
});

/** Every type the search/analytics jobs introduce. */
export const searchSignalTypes = [trackingBroken, conversionDrop, feedItemIssue, brandSearchLoss];

declare module '@jbot/core' {
  interface SignalPayloads {
    tracking_broken: z.output<typeof trackingBroken.schema>;
    conversion_drop: z.output<typeof conversionDrop.schema>;
    feed_item_issue: z.output<typeof feedItemIssue.schema>;
    brand_search_loss: z.output<typeof brandSearchLoss.schema>;
  }
}
