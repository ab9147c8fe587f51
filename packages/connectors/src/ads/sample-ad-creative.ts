import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { day, instant, numberOrNull, text } from '../sample/row-values.js';
import type { AdsConnector } from './ads-connector.js';
import type { AdDailyInsight, AdSet, CreativeAd } from './ad-creative.js';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The creative half of the sample Meta account: ad sets, ads, ad-level insights, tests, library; writes through keyed SQL functions. */
export function sampleAdCreative(
  db: Db,
): Pick<
  AdsConnector,
  'listAdSets' | 'listAds' | 'listAdInsights' | 'listCreativeTests' | 'listCreativeAssets' | 'listBrandGuidelines' | 'setAdStatus' | 'createAd'
> {
  return {
    async listAdSets() {
      return (await db.rpc('sample_ads_list_ad_sets')).map((row): AdSet => ({
        id: String(row['ad_set_id']),
        campaignId: String(row['campaign_id']),
        name: String(row['name']),
        audience: row['audience'] === 'retargeting' ? 'retargeting' : 'prospecting',
        dailyBudget: numberOrNull(row['daily_budget']) ?? 0,
        brand: text(row['brand']),
        status: String(row['status']),
      }));
    },
    async listAds() {
      return (await db.rpc('sample_ads_list_ads')).map((row): CreativeAd => ({
        id: String(row['ad_id']),
        adSetId: String(row['ad_set_id']),
        campaignId: String(row['campaign_id']),
        name: String(row['name']),
        status: String(row['status']) as CreativeAd['status'],
        queued: row['queued'] === true,
        format: String(row['format']),
        hook: text(row['hook']),
        creator: text(row['creator']),
        paidPartnershipLabel: row['paid_partnership_label'] === true,
        assetId: text(row['asset_id']),
        brand: text(row['brand']),
        sku: text(row['sku']),
        body: String(row['body']),
        title: text(row['title']),
        description: text(row['description']),
        createdAt: instant(row['created_at']) ?? '',
        updatedAt: instant(row['updated_at']) ?? '',
      }));
    },
    async listAdInsights(options = {}) {
      const since = options.since ?? new Date(Date.now() - 28 * 86_400_000);
      const rows = await db.rpc('sample_ads_ad_insights', { p_since: since.toISOString().slice(0, 10) });
      return rows.map((row): AdDailyInsight => ({
        adId: String(row['ad_id']),
        day: day(row['day']),
        impressions: Number(row['impressions']),
        reach: Number(row['reach']),
        frequency7d: numberOrNull(row['frequency_7d']) ?? 0,
        linkClicks: Number(row['link_clicks']),
        spend: numberOrNull(row['spend']) ?? 0,
        purchases: Number(row['purchases']),
        video3sViews: Number(row['video_3s_views']),
        thruplays: Number(row['thruplays']),
      }));
    },
    async listCreativeTests() {
      return (await db.rpc('sample_ads_creative_tests')).map((row) => ({
        id: String(row['test_id']),
        name: String(row['name']),
        adSetId: String(row['ad_set_id']),
        adIds: strings(row['ad_ids']),
        targetCpa: numberOrNull(row['target_cpa']) ?? 0,
        startedAt: instant(row['started_at']) ?? '',
      }));
    },
    async listCreativeAssets() {
      return (await db.rpc('sample_ads_creative_library')).map((row) => ({
        id: String(row['asset_id']),
        brand: String(row['brand']),
        format: String(row['format']),
        name: String(row['name']),
        tags: strings(row['tags']),
        rights: String(row['rights']),
      }));
    },
    async listBrandGuidelines() {
      return (await db.rpc('sample_brand_guidelines')).map((row) => ({
        brand: String(row['brand']),
        voice: String(row['voice']),
        substantiated: strings(row['substantiated']),
      }));
    },
    async setAdStatus(input) {
      const row = await rpcOne(db, 'sample_ads_set_ad_status', {
        p_idempotency_key: input.idempotencyKey,
        p_ad_id: input.adId,
        p_status: input.status,
        p_reason: input.reason,
      });
      return { adId: String(row['ad_id']), status: String(row['status']), changed: row['changed'] === true };
    },
    async createAd(input) {
      const row = await rpcOne(db, 'sample_ads_create_ad', {
        p_idempotency_key: input.idempotencyKey,
        p_ad_set_id: input.adSetId,
        p_name: input.name,
        p_body: input.body,
        p_title: input.title,
        p_asset_id: input.assetId,
        p_format: input.format,
        p_hook: input.hook,
        p_creator: input.creator,
        p_paid_partnership_label: input.paidPartnershipLabel ?? false,
        p_sku: input.sku,
      });
      return { adId: String(row['ad_id']), created: row['created'] === true };
    },
  };
}
