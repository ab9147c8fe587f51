import { describe, expect, it } from 'vitest';
import { synthesiseLine } from '../src/index.js';

// The operator's one Telegram line for mktgbot's tracking, site, feed and brand-search signals.
describe("jbot's lines for mktgbot's search and analytics signals", () => {
  const line = (type: string, payload: Record<string, unknown>) => synthesiseLine({ type, sourceBot: 'mktgbot', payload });

  it('says what broke, in numbers, and what mktgbot holds', () => {
    expect(line('tracking_broken', { platform: 'ga4', ratio_now: 0.286, ratio_median: 0.93, shopify_orders: 21, platform_purchases: 6 })).toBe(
      'ga4 tracking broken: 6 purchases for 21 Shopify orders (29% vs usual 93%). Budget increases held.',
    );
    expect(line('tracking_broken', { platform: 'utm', ratio_now: 0.7, ratio_median: 0.8, shopify_orders: 10, platform_purchases: 7 })).toBe(
      'Paid orders missing UTM tags: 70% tagged yesterday. Budget increases held.',
    );
    expect(line('conversion_drop', { device: 'mobile', window: '2026-12-01 10:00–12:00', rate: 0.154, baseline_rate: 0.62, sessions: 300, orders: 2 })).toBe(
      'mobile checkout conversion 15% vs 62% last week (2026-12-01 10:00–12:00).',
    );
    expect(line('conversion_drop', { device: 'all', window: '2026-12-01 08:00–12:00', rate: 0, baseline_rate: 12, sessions: 0, orders: 0 })).toBe(
      'No store orders 2026-12-01 08:00–12:00 (usually 12). Check checkout now.',
    );
    expect(
      line('feed_item_issue', {
        feed: 'google',
        items: [
          { sku: 'KC-104', issue: 'missing_gtin' },
          { sku: 'SM-107', issue: 'missing_gtin' },
        ],
        error_share: 0.075,
      }),
    ).toBe('google product feed: 2 items in error (7.5%).');
    expect(
      line('brand_search_loss', {
        campaign_id: '1710000004',
        campaign: 'TH | Search Brand | Trailhead Coffee',
        impression_share: 0.82,
        lost_budget: 0.12,
        lost_rank: 0.06,
        top_is_change: -8,
      }),
    ).toBe('Brand search TH | Search Brand | Trailhead Coffee at 82% impression share (12% lost to budget).');
  });
});
