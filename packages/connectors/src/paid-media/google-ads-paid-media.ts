import { ConnectorError } from '../connector-error.js';
import type { GoogleAdsConnector } from '../search-ads/google-ads-connector.js';
import type { AdPlatformAdapter, PaidCampaign } from './paid-media-connector.js';

/**
 * Google Ads' side of paid media over the Google Ads connector (sample or live, as configured for
 * the search jobs): campaigns, campaign-day cost and conversion value, budget changes. Google has
 * no account spend cap or ad review feed in that connector yet: those reads answer nothing, and a
 * setup patch or spend cap on Google says so.
 */
export function googleAdsPaidMedia(googleAds: GoogleAdsConnector): AdPlatformAdapter {
  const unsupported = (what: string) =>
    new ConnectorError('paid_media_unsupported', `${what} on Google Ads is not available through the Google Ads connector yet: change it in Google Ads`, {
      facts: { platform: 'google' },
    });
  return {
    source: googleAds.source === 'sample' ? 'sample' : 'live',
    async listCampaigns() {
      return (await googleAds.listCampaigns()).map((campaign): PaidCampaign => ({
        platform: 'google',
        id: campaign.id,
        name: campaign.name,
        brand: /^([A-Z]{2})\s*\|/.exec(campaign.name)?.[1] ?? null,
        // Google search and shopping are held to the prospecting floor; Performance Max prospects.
        funnel: /performance max/i.test(campaign.name) ? 'prospecting' : 'search',
        status: campaign.status === 'ENABLED' ? 'ACTIVE' : campaign.status === 'PAUSED' ? 'PAUSED' : 'ARCHIVED',
        objective: null,
        dailyBudget: campaign.dailyBudget,
        previousDailyBudget: null,
        // Tracking lives in the account's final URL suffix, which the connector does not read; with no
        // updatedAt either, campaign-config-audit leaves Google campaigns to the search jobs.
        urlTags: null,
        pixelId: null,
        endAt: null,
        excludesPurchasers: null,
        promo: false,
        updatedAt: null,
      }));
    },
    async dailyMetrics(range) {
      return (await googleAds.campaignMetrics(range)).map((row) => ({
        platform: 'google' as const,
        campaignId: row.campaignId,
        day: row.day,
        spend: row.cost,
        revenue: row.conversionsValue,
        purchases: Math.round(row.conversions),
        impressions: 0,
        clicks: row.clicks,
      }));
    },
    async todaySpend() {
      return [];
    },
    async accountStatus() {
      return [];
    },
    async adReviews() {
      return [];
    },
    async adDestinations() {
      return [];
    },
    async adSetLearning() {
      return [];
    },
    async setCampaignBudget(input) {
      const result = await googleAds.setCampaignBudget({ idempotencyKey: input.idempotencyKey, campaignId: input.campaignId, dailyBudget: input.dailyBudget });
      return { campaignId: result.campaignId, previousDailyBudget: null, dailyBudget: result.dailyBudget, changed: result.changed };
    },
    async patchCampaign() {
      throw unsupported('A setup patch');
    },
    async setSpendCap() {
      throw unsupported('A spend cap');
    },
    async updateAdSet() {
      throw unsupported('An ad group change');
    },
  };
}
