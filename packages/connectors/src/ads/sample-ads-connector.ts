import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { day, instant, numberOrNull } from '../sample/row-values.js';
import type { AdCampaign, AdsConnector } from './ads-connector.js';
import { sampleAdCreative } from './sample-ad-creative.js';

/** Meta-Ads-shaped campaigns over the sample tables; a pause changes the campaign's status in the database. */
export function createSampleAdsConnector(db: Db): AdsConnector {
  return {
    source: 'sample',
    async listCampaigns() {
      const rows = await db.rpc('sample_ads_list_campaigns');
      return rows.map((row): AdCampaign => ({
        id: String(row['campaign_id']),
        name: String(row['name']),
        status: String(row['status']) as AdCampaign['status'],
        objective: String(row['objective']),
        dailyBudget: numberOrNull(row['daily_budget']) ?? 0,
        promotedSkus: Array.isArray(row['promoted_skus']) ? (row['promoted_skus'] as unknown[]).map(String) : [],
        updatedAt: instant(row['updated_at']),
      }));
    },
    async listInsights(options = {}) {
      const since = options.since ?? new Date(Date.now() - 7 * 86_400_000);
      const rows = await db.rpc('sample_ads_insights', { p_campaign_id: options.campaignId, p_since: since.toISOString().slice(0, 10) });
      return rows.map((row) => ({
        campaignId: String(row['campaign_id']),
        day: day(row['day']),
        impressions: Number(row['impressions']),
        reach: Number(row['reach']),
        frequency: numberOrNull(row['frequency']) ?? 0,
        clicks: Number(row['clicks']),
        ctr: numberOrNull(row['ctr']) ?? 0,
        spend: numberOrNull(row['spend']) ?? 0,
        purchases: Number(row['purchases']),
      }));
    },
    async pauseCampaign(input) {
      const row = await rpcOne(db, 'sample_ads_pause_campaign', {
        p_idempotency_key: input.idempotencyKey,
        p_campaign_id: input.campaignId,
        p_reason: input.reason,
      });
      return { campaignId: String(row['campaign_id']), status: String(row['status']), changed: row['changed'] === true };
    },
    async resumeCampaign(input) {
      const row = await rpcOne(db, 'sample_ads_resume_campaign', {
        p_idempotency_key: input.idempotencyKey,
        p_campaign_id: input.campaignId,
        p_reason: input.reason,
      });
      return { campaignId: String(row['campaign_id']), status: String(row['status']), changed: row['changed'] === true };
    },
    ...sampleAdCreative(db),
  };
}
