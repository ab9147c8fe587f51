import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { day, numberOrNull } from '../sample/row-values.js';
import type { GoogleAdsCampaign, GoogleAdsConnector, GoogleAdsKeyword } from './google-ads-connector.js';

/** Google-Ads-shaped campaigns, daily metrics, search terms and keywords over the sample tables; changes land once per key. */
export function createSampleGoogleAdsConnector(db: Db): GoogleAdsConnector {
  return {
    source: 'sample',
    async listCampaigns() {
      return (await db.rpc('sample_google_campaigns_list')).map((row): GoogleAdsCampaign => ({
        id: String(row['campaign_id']),
        name: String(row['name']),
        status: String(row['status']) as GoogleAdsCampaign['status'],
        dailyBudget: numberOrNull(row['daily_budget']) ?? 0,
      }));
    },
    async campaignMetrics(range) {
      return (await db.rpc('sample_google_campaign_metrics', { p_from: range.from, p_to: range.to })).map((row) => ({
        campaignId: String(row['campaign_id']),
        day: day(row['day']),
        cost: numberOrNull(row['cost']) ?? 0,
        clicks: Number(row['clicks']),
        conversions: numberOrNull(row['conversions']) ?? 0,
        conversionsValue: numberOrNull(row['conversions_value']) ?? 0,
        impressionShare: numberOrNull(row['impression_share']),
        budgetLostImpressionShare: numberOrNull(row['budget_lost_impression_share']),
        rankLostImpressionShare: numberOrNull(row['rank_lost_impression_share']),
        topImpressionShare: numberOrNull(row['top_impression_share']),
      }));
    },
    async searchTerms() {
      return (await db.rpc('sample_google_search_terms_list')).map((row) => ({
        campaignId: String(row['campaign_id']),
        adGroupId: String(row['ad_group_id']),
        term: String(row['term']),
        cost: numberOrNull(row['cost']) ?? 0,
        clicks: Number(row['clicks']),
        conversions: numberOrNull(row['conversions']) ?? 0,
        conversionsValue: numberOrNull(row['conversions_value']) ?? 0,
      }));
    },
    async listKeywords() {
      return (await db.rpc('sample_google_keywords_list')).map((row): GoogleAdsKeyword => ({
        campaignId: String(row['campaign_id']),
        text: String(row['text']),
        matchType: String(row['match_type']) as GoogleAdsKeyword['matchType'],
        negative: row['negative'] === true,
      }));
    },
    async applyKeywords(input) {
      const row = await rpcOne(db, 'sample_google_apply_keywords', {
        p_idempotency_key: input.idempotencyKey,
        p_items: input.items.map((item) => ({ campaign_id: item.campaignId, text: item.text, match_type: item.matchType, negative: item.negative })),
      });
      return { applied: Number(row['applied']), skipped: Number(row['skipped']) };
    },
    async setCampaignBudget(input) {
      const row = await rpcOne(db, 'sample_search_set_budget', {
        p_idempotency_key: input.idempotencyKey,
        p_platform: 'google_ads',
        p_campaign_id: input.campaignId,
        p_daily_budget: input.dailyBudget,
      });
      return { campaignId: String(row['campaign_id']), dailyBudget: numberOrNull(row['daily_budget']) ?? 0, changed: row['changed'] === true };
    },
  };
}
