import type { Db } from '@jbot/core';
import type { SideEffectLedger } from '../ledger/side-effect-ledger.js';
import type { AdsConnector } from './ads-connector.js';
import type { AdDailyInsight, AdSet, CreativeAd, CreativeTest, SetAdStatusResult, CreateAdResult } from './ad-creative.js';
import { sampleAdCreative } from './sample-ad-creative.js';

/** One Graph call as the Meta Ads connector makes it (timeout, abort and error mapping included). */
export type MetaCall = (method: string, path: string[], params: Record<string, unknown>, operation: string) => Promise<Record<string, unknown>>;

type GraphRow = Record<string, unknown>;

// Our account conventions, as labels on ads and ad sets (Meta's adlabels): "queued", "format:video",
// "hook:lifestyle", "creator:handle", "brand:DW", "sku:DW-104", "target_cpa:25", "creative_test".
function labels(row: GraphRow): string[] {
  const data = (row['adlabels'] as { data?: Array<{ name?: string }> } | Array<{ name?: string }> | undefined) ?? [];
  const list = Array.isArray(data) ? data : (data.data ?? []);
  return list.map((label) => String(label.name ?? ''));
}
const labelValue = (names: string[], key: string): string | null => names.find((name) => name.startsWith(`${key}:`))?.slice(key.length + 1) ?? null;
const numberOf = (value: unknown): number => Number(value ?? 0) || 0;
const actionValue = (row: GraphRow, field: string, type: string): number =>
  numberOf(((row[field] ?? []) as Array<{ action_type: string; value: string }>).find((action) => action.action_type === type)?.value);

/** Every page of a Graph list edge (follows paging.next's `after` cursor). */
async function allPages(call: MetaCall, path: string[], params: Record<string, unknown>, operation: string): Promise<GraphRow[]> {
  const rows: GraphRow[] = [];
  let after: string | undefined;
  for (let page = 0; page < 50; page += 1) {
    const response = await call('GET', path, { ...params, ...(after === undefined ? {} : { after }) }, operation);
    rows.push(...((response['data'] ?? []) as GraphRow[]));
    const paging = response['paging'] as { next?: string; cursors?: { after?: string } } | undefined;
    if (paging?.next === undefined || paging.cursors?.after === undefined) break;
    after = paging.cursors.after;
  }
  return rows;
}

/**
 * The creative half of the live Meta Ads connector: ad sets, ads (with creative copy), ad-level
 * insights, status changes and new PAUSED ads, on the same SDK client as campaigns. Creative
 * tests are ad sets labelled `creative_test`; brand guidelines are company data the brain holds
 * (Meta has none), read from the brain's guidelines table.
 */
export function metaAdCreative(options: {
  call: MetaCall;
  account: string;
  ledger: SideEffectLedger;
  db: Db;
  /** The Facebook Page new creatives are published as (META_PAGE_ID). */
  pageId?: string;
  now?: () => Date;
}): Pick<
  AdsConnector,
  'listAdSets' | 'listAds' | 'listAdInsights' | 'listCreativeTests' | 'listCreativeAssets' | 'listBrandGuidelines' | 'setAdStatus' | 'createAd'
> {
  const { call, account, ledger } = options;
  const now = options.now ?? (() => new Date());
  const adSetRows = () => allPages(call, [account, 'adsets'], { fields: 'id,name,campaign_id,status,daily_budget,adlabels', limit: 200 }, 'ad sets list');
  return {
    async listAdSets() {
      return (await adSetRows()).map((row): AdSet => {
        const names = labels(row);
        return {
          id: String(row['id']),
          campaignId: String(row['campaign_id']),
          name: String(row['name']),
          audience: /retarget/i.test(String(row['name'])) || names.includes('retargeting') ? 'retargeting' : 'prospecting',
          dailyBudget: numberOf(row['daily_budget']) / 100,
          brand: labelValue(names, 'brand') ?? String(row['name']).match(/^([A-Z]{2})\s*\|/)?.[1] ?? null,
          status: String(row['status'] ?? 'ACTIVE'),
        };
      });
    },
    async listAds() {
      const rows = await allPages(
        call,
        [account, 'ads'],
        {
          fields:
            'id,name,adset_id,campaign_id,status,created_time,updated_time,adlabels,creative{id,body,title,image_hash,video_id,branded_content_sponsor_page_id}',
          limit: 200,
        },
        'ads list',
      );
      return rows.map((row): CreativeAd => {
        const names = labels(row);
        const creative = (row['creative'] ?? {}) as GraphRow;
        return {
          id: String(row['id']),
          adSetId: String(row['adset_id']),
          campaignId: String(row['campaign_id']),
          name: String(row['name']),
          status: String(row['status'] ?? 'PAUSED') as CreativeAd['status'],
          queued: names.includes('queued'),
          format: labelValue(names, 'format') ?? (creative['video_id'] === undefined ? 'static' : 'video'),
          hook: labelValue(names, 'hook'),
          creator: labelValue(names, 'creator'),
          paidPartnershipLabel: creative['branded_content_sponsor_page_id'] !== undefined,
          assetId: String(creative['image_hash'] ?? creative['video_id'] ?? '') || null,
          brand: labelValue(names, 'brand'),
          sku: labelValue(names, 'sku'),
          body: String(creative['body'] ?? ''),
          title: creative['title'] === undefined ? null : String(creative['title']),
          description: null,
          createdAt: String(row['created_time'] ?? ''),
          updatedAt: String(row['updated_time'] ?? row['created_time'] ?? ''),
        };
      });
    },
    async listAdInsights(query = {}) {
      const since = (query.since ?? new Date(now().getTime() - 28 * 86_400_000)).toISOString().slice(0, 10);
      const until = now().toISOString().slice(0, 10);
      const fields = 'ad_id,date_start,impressions,reach,frequency,inline_link_clicks,spend,actions,video_thruplay_watched_actions';
      const daily = await allPages(
        call,
        [account, 'insights'],
        { level: 'ad', time_increment: 1, time_range: { since, until }, fields, limit: 500 },
        'ad insights',
      );
      // Frequency over a window is not the mean of daily frequencies: one call for the last 7 days.
      const week = await allPages(
        call,
        [account, 'insights'],
        { level: 'ad', date_preset: 'last_7d', fields: 'ad_id,frequency', limit: 500 },
        'ad frequency (7 days)',
      );
      const weekly = new Map(week.map((row) => [String(row['ad_id']), numberOf(row['frequency'])]));
      const weekStart = new Date(now().getTime() - 7 * 86_400_000).toISOString().slice(0, 10);
      return daily.map((row): AdDailyInsight => {
        const adId = String(row['ad_id']);
        const dayValue = String(row['date_start']);
        return {
          adId,
          day: dayValue,
          impressions: numberOf(row['impressions']),
          reach: numberOf(row['reach']),
          frequency7d: dayValue >= weekStart ? (weekly.get(adId) ?? numberOf(row['frequency'])) : numberOf(row['frequency']),
          linkClicks: numberOf(row['inline_link_clicks']),
          spend: numberOf(row['spend']),
          purchases: actionValue(row, 'actions', 'purchase') || actionValue(row, 'actions', 'offsite_conversion.fb_pixel_purchase'),
          // Meta counts a 3-second play as the `video_view` action.
          video3sViews: actionValue(row, 'actions', 'video_view'),
          thruplays: actionValue(row, 'video_thruplay_watched_actions', 'video_view'),
        };
      });
    },
    async listCreativeTests() {
      const sets = await adSetRows();
      const tests = sets.filter((row) => labels(row).includes('creative_test'));
      if (tests.length === 0) return [];
      const ads = await allPages(call, [account, 'ads'], { fields: 'id,adset_id,created_time', limit: 200 }, 'ads list');
      return tests.map((row): CreativeTest => {
        const members = ads.filter((ad) => String(ad['adset_id']) === String(row['id']));
        const started = members.map((ad) => String(ad['created_time'] ?? '')).sort()[0] ?? '';
        return {
          id: String(row['id']),
          name: String(row['name']),
          adSetId: String(row['id']),
          adIds: members.map((ad) => String(ad['id'])),
          targetCpa: Number(labelValue(labels(row), 'target_cpa') ?? 0),
          startedAt: started,
        };
      });
    },
    async listCreativeAssets() {
      const images = await allPages(call, [account, 'adimages'], { fields: 'hash,name,created_time', limit: 200 }, 'ad images');
      return images.map((row) => ({
        id: String(row['hash']),
        brand: String(row['name'] ?? '').match(/^([A-Z]{2})\b/)?.[1] ?? '',
        format: 'static',
        name: String(row['name'] ?? row['hash']),
        tags: [],
        rights: 'owned',
      }));
    },
    listBrandGuidelines: () => sampleAdCreative(options.db).listBrandGuidelines(),
    async setAdStatus(input) {
      const { result, performed } = await ledger.run<SetAdStatusResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: `ad.${input.status.toLowerCase()}`,
        request: { adId: input.adId, status: input.status, ...(input.reason === undefined ? {} : { reason: input.reason }) },
        lookup: async () => null, // setting the same status again is harmless
        perform: async () => {
          await call('POST', [input.adId], { status: input.status }, `ad ${input.status.toLowerCase()}`);
          return { adId: input.adId, status: input.status, changed: true };
        },
      });
      return { ...result, changed: performed };
    },
    async createAd(input) {
      const { result, performed } = await ledger.run<CreateAdResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: 'ad.create',
        request: { adSetId: input.adSetId, name: input.name },
        // An earlier attempt may have created it: Meta ads carry our key as a label.
        lookup: async () => {
          const found = await call(
            'GET',
            [account, 'ads'],
            { fields: 'id,adlabels', filtering: [{ field: 'adlabels', operator: 'ANY', value: [`key:${input.idempotencyKey}`] }] },
            'ad lookup',
          );
          const row = ((found['data'] ?? []) as GraphRow[])[0];
          return row === undefined ? null : { adId: String(row['id']), created: true };
        },
        perform: async () => {
          const creative = await call(
            'POST',
            [account, 'adcreatives'],
            {
              name: input.name,
              object_story_spec: {
                ...(options.pageId === undefined ? {} : { page_id: options.pageId }),
                link_data: { message: input.body, name: input.title, ...(input.assetId === null ? {} : { image_hash: input.assetId }) },
              },
            },
            'ad creative create',
          );
          const adLabels = [
            { name: 'queued' },
            { name: `key:${input.idempotencyKey}` },
            { name: `format:${input.format}` },
            ...(input.hook === undefined ? [] : [{ name: `hook:${input.hook}` }]),
            ...(input.creator === undefined ? [] : [{ name: `creator:${input.creator}` }]),
            ...(input.sku === undefined ? [] : [{ name: `sku:${input.sku}` }]),
          ];
          const ad = await call(
            'POST',
            [account, 'ads'],
            { name: input.name, adset_id: input.adSetId, creative: { creative_id: String(creative['id']) }, status: 'PAUSED', adlabels: adLabels },
            'ad create',
          );
          return { adId: String(ad['id']), created: true };
        },
      });
      return { ...result, created: performed };
    },
  };
}
