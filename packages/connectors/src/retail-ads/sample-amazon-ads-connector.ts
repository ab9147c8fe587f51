import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { numberOrNull, text } from '../sample/row-values.js';
import type { AmazonAdsConnector } from './amazon-ads-connector.js';

/** Amazon-Ads-shaped SP keywords and 14-day reports over the sample tables; bid and negative changes land once per key. */
export function createSampleAmazonAdsConnector(db: Db): AmazonAdsConnector {
  const keywords = async () => db.rpc('sample_amazon_ads_keywords_list');
  return {
    source: 'sample',
    async listKeywords() {
      return (await keywords()).map((row) => ({
        keywordId: String(row['keyword_id']),
        campaignId: String(row['campaign_id']),
        adGroupId: String(row['ad_group_id']),
        keywordText: String(row['keyword_text']),
        matchType: String(row['match_type']),
        bid: numberOrNull(row['bid']) ?? 0,
        state: String(row['state']),
      }));
    },
    async listNegativeKeywords() {
      return (await db.rpc('sample_amazon_ads_negatives_list')).map((row) => ({
        campaignId: String(row['campaign_id']),
        adGroupId: String(row['ad_group_id']),
        keywordText: String(row['keyword_text']),
        matchType: String(row['match_type']),
      }));
    },
    // The sample holds one 14-day period; `range` is what the live report asks for.
    async targetingReport() {
      return (await keywords()).map((row) => ({
        keywordId: String(row['keyword_id']),
        campaignId: String(row['campaign_id']),
        adGroupId: String(row['ad_group_id']),
        keywordText: String(row['keyword_text']),
        matchType: String(row['match_type']),
        cost: numberOrNull(row['cost']) ?? 0,
        clicks: Number(row['clicks']),
        purchases: Number(row['purchases']),
        sales: numberOrNull(row['sales']) ?? 0,
      }));
    },
    async searchTermReport() {
      return (await db.rpc('sample_amazon_ads_search_terms_list')).map((row) => ({
        campaignId: String(row['campaign_id']),
        adGroupId: String(row['ad_group_id']),
        keywordId: text(row['keyword_id']),
        searchTerm: String(row['search_term']),
        cost: numberOrNull(row['cost']) ?? 0,
        clicks: Number(row['clicks']),
        purchases: Number(row['purchases']),
        sales: numberOrNull(row['sales']) ?? 0,
      }));
    },
    async applyChanges(input) {
      const row = await rpcOne(db, 'sample_amazon_ads_apply_changes', {
        p_idempotency_key: input.idempotencyKey,
        p_bids: input.bids.map((bid) => ({ keyword_id: bid.keywordId, bid: bid.bid })),
        p_negatives: input.negatives.map((negative) => ({
          campaign_id: negative.campaignId,
          ad_group_id: negative.adGroupId,
          keyword_text: negative.keywordText,
        })),
      });
      return { bidsApplied: Number(row['bids_applied']), negativesApplied: Number(row['negatives_applied']), skipped: Number(row['skipped']) };
    },
  };
}
