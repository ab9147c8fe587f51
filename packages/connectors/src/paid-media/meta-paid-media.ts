import { ConnectorError } from '../connector-error.js';
import { createMetaGraphSession, type MetaAdsOptions } from '../ads/meta-ads-connector.js';
import type { AdPlatformAdapter, AdReview, CampaignDay, CampaignFunnel, PaidCampaign } from './paid-media-connector.js';
import { normaliseAdAccountStatus } from './sample-paid-media.js';

type GraphRow = Record<string, unknown>;
const numberOf = (value: unknown): number => Number(value ?? 0) || 0;
// Meta reports budgets, spend caps and amount spent in the currency's minor unit (cents for USD).
const fromMinor = (value: unknown): number | null => (value === undefined || value === null || value === '' ? null : numberOf(value) / 100);
const actionValue = (row: GraphRow, field: string, type: string): number =>
  numberOf(((row[field] ?? []) as Array<{ action_type: string; value: string }>).find((action) => action.action_type === type)?.value);
// Meta's account_status codes (AdAccount reference): 1 ACTIVE, 2 DISABLED, 3 UNSETTLED, 7 PENDING_RISK_REVIEW, 101 CLOSED…
const ACCOUNT_STATUS: Record<string, string> = {
  '1': 'ACTIVE',
  '2': 'DISABLED',
  '3': 'UNSETTLED',
  '7': 'PENDING_RISK_REVIEW',
  '8': 'PENDING_SETTLEMENT',
  '9': 'IN_GRACE_PERIOD',
  '100': 'PENDING_CLOSURE',
  '101': 'CLOSED',
  '201': 'ANY_ACTIVE',
  '202': 'ANY_CLOSED',
};
// disable_reason codes: 0 NONE, 1 ADS_INTEGRITY_POLICY, 2 ADS_IP_REVIEW, 3 RISK_PAYMENT, 4 GRAY_ACCOUNT_SHUT_DOWN…
const DISABLE_REASON: Record<string, string> = {
  '1': 'ADS_INTEGRITY_POLICY',
  '2': 'ADS_IP_REVIEW',
  '3': 'RISK_PAYMENT',
  '4': 'GRAY_ACCOUNT_SHUT_DOWN',
  '5': 'ADS_AFC_REVIEW',
  '6': 'BUSINESS_INTEGRITY_RAR',
  '7': 'PERMANENT_CLOSE',
  '8': 'UNUSED_RESELLER_ACCOUNT',
  '9': 'UNUSED_ACCOUNT',
};

/** The funnel from our naming convention (BRAND | Objective | Theme). */
export function funnelFromName(name: string, objective: string | null): CampaignFunnel {
  if (objective === 'OUTCOME_AWARENESS' || /\|\s*awareness\s*\|/i.test(name)) return 'brand';
  if (/retarget/i.test(name)) return 'retargeting';
  return 'prospecting';
}

/** Every page of a Graph list edge (follows the `after` cursor while paging.next is present). */
async function allPages(session: ReturnType<typeof createMetaGraphSession>, path: string[], params: GraphRow, operation: string): Promise<GraphRow[]> {
  const rows: GraphRow[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const response = await session.call('GET', path, { ...params, ...(after === undefined ? {} : { after }) }, operation);
    rows.push(...((response['data'] ?? []) as GraphRow[]));
    const paging = response['paging'] as { next?: string; cursors?: { after?: string } } | undefined;
    if (paging?.next === undefined || paging.cursors?.after === undefined) break;
    after = paging.cursors.after;
  }
  return rows;
}

const nested = (row: GraphRow, edge: string): GraphRow[] => ((row[edge] as { data?: GraphRow[] } | undefined)?.data ?? []) as GraphRow[];

/**
 * Meta's side of paid media on facebook-nodejs-business-sdk (the Marketing API, v24.0):
 * campaigns with their ad sets' pixel and exclusions and their ads' url_tags; campaign-level
 * daily insights (spend, purchases, purchase value); today's spend; the ad account's status and
 * spend cap; ads whose review failed. Budget and spend-cap changes go through the side-effect
 * ledger, so an approval changes Meta once even when an answer is lost.
 */
export function createMetaPaidMedia(options: MetaAdsOptions): AdPlatformAdapter {
  const session = createMetaGraphSession(options);
  const { account, call, ledger } = session;
  const onlyMeta = (platform: string) => {
    if (platform !== 'meta')
      throw new ConnectorError('paid_media_wrong_platform', `the Meta adapter was asked to change a ${platform} campaign`, { facts: { platform } });
  };
  return {
    source: 'live',
    async listCampaigns() {
      const rows = await allPages(
        session,
        [account, 'campaigns'],
        {
          fields:
            'id,name,status,objective,daily_budget,stop_time,updated_time,adlabels,adsets.limit(50){promoted_object,targeting,end_time},ads.limit(50){creative{url_tags}}',
          limit: 100,
        },
        'campaigns list',
      );
      return rows.map((row): PaidCampaign => {
        const name = String(row['name']);
        const objective = row['objective'] === undefined ? null : String(row['objective']);
        const funnel = funnelFromName(name, objective);
        const adSets = nested(row, 'adsets');
        // Ads of one campaign usually share url_tags; one ad without UTM is enough to lose attribution.
        const tags = nested(row, 'ads').map((ad) => String((ad['creative'] as GraphRow | undefined)?.['url_tags'] ?? ''));
        const urlTags = tags.find((value) => !/utm_source=/.test(value) || !/utm_campaign=/.test(value)) ?? tags[0] ?? null;
        const exclusions = adSets.map(
          (set) => ((set['targeting'] as GraphRow | undefined)?.['excluded_custom_audiences'] as unknown[] | undefined)?.length ?? 0,
        );
        const labels = ((row['adlabels'] as Array<{ name?: string }> | undefined) ?? []).map((label) => String(label.name ?? ''));
        return {
          platform: 'meta',
          id: String(row['id']),
          name,
          brand: /^([A-Z]{2})\s*\|/.exec(name)?.[1] ?? null,
          funnel,
          status: String(row['status'] ?? 'ACTIVE') as PaidCampaign['status'],
          objective,
          dailyBudget: fromMinor(row['daily_budget']) ?? 0,
          // The budget before the last edit lives in the account's activity log, which this adapter does not read.
          previousDailyBudget: null,
          urlTags: urlTags === '' ? null : urlTags,
          pixelId:
            adSets
              .map((set) => (set['promoted_object'] as GraphRow | undefined)?.['pixel_id'])
              .find((id) => id !== undefined)
              ?.toString() ?? null,
          endAt: row['stop_time'] === undefined ? null : new Date(String(row['stop_time'])).toISOString(),
          excludesPurchasers: funnel !== 'prospecting' || adSets.length === 0 ? null : exclusions.every((count) => count > 0),
          promo: labels.includes('promo'),
          updatedAt: row['updated_time'] === undefined ? null : new Date(String(row['updated_time'])).toISOString(),
        };
      });
    },
    async dailyMetrics(range) {
      const rows = await allPages(
        session,
        [account, 'insights'],
        {
          level: 'campaign',
          time_increment: 1,
          time_range: JSON.stringify({ since: range.from, until: range.to }),
          fields: 'campaign_id,date_start,spend,impressions,clicks,actions,action_values,purchase_roas',
          limit: 500,
        },
        'campaign insights',
      );
      return rows.map((row): CampaignDay => ({
        platform: 'meta',
        campaignId: String(row['campaign_id']),
        day: String(row['date_start']),
        spend: numberOf(row['spend']),
        revenue: actionValue(row, 'action_values', 'purchase'),
        purchases: actionValue(row, 'actions', 'purchase'),
        impressions: numberOf(row['impressions']),
        clicks: numberOf(row['clicks']),
      }));
    },
    async todaySpend() {
      // date_preset=today is the ad account's own day, which is the company's.
      const rows = await allPages(
        session,
        [account, 'insights'],
        { level: 'campaign', date_preset: 'today', fields: 'campaign_id,spend', limit: 500 },
        'today insights',
      );
      return rows.map((row) => ({ platform: 'meta' as const, campaignId: String(row['campaign_id']), spendToDate: numberOf(row['spend']) }));
    },
    async accountStatus() {
      const row = await call('GET', [account], { fields: 'name,account_status,disable_reason,spend_cap,amount_spent' }, 'account status');
      const code = String(row['account_status'] ?? '');
      const raw = ACCOUNT_STATUS[code] ?? code;
      const reason = String(row['disable_reason'] ?? '0');
      const spendCap = fromMinor(row['spend_cap']);
      return [
        {
          platform: 'meta',
          accountId: account,
          name: String(row['name'] ?? account),
          status: normaliseAdAccountStatus(raw),
          rawStatus: raw,
          disableReason: reason === '0' ? null : (DISABLE_REASON[reason] ?? reason),
          // 0 means no cap.
          spendCap: spendCap === 0 ? null : spendCap,
          amountSpent: fromMinor(row['amount_spent']),
          paymentFailed: raw === 'UNSETTLED' || reason === '3',
        },
      ];
    },
    async adReviews() {
      const rows = await allPages(
        session,
        [account, 'ads'],
        {
          fields: 'id,name,adset_id,campaign_id,effective_status,ad_review_feedback,adset{effective_status},campaign{effective_status}',
          filtering: JSON.stringify([{ field: 'effective_status', operator: 'IN', value: ['DISAPPROVED', 'WITH_ISSUES'] }]),
          limit: 200,
        },
        'ads under review',
      );
      return rows.map((row): AdReview => {
        const feedback: Record<string, string> = {};
        for (const group of Object.values((row['ad_review_feedback'] ?? {}) as Record<string, Record<string, string>>)) Object.assign(feedback, group);
        const status = (edge: string) => String((row[edge] as GraphRow | undefined)?.['effective_status'] ?? 'ACTIVE');
        return {
          platform: 'meta',
          adId: String(row['id']),
          name: String(row['name'] ?? row['id']),
          adSetId: row['adset_id'] === undefined ? null : String(row['adset_id']),
          campaignId: row['campaign_id'] === undefined ? null : String(row['campaign_id']),
          effectiveStatus: String(row['effective_status']),
          feedback,
          adSetActive: status('adset') === 'ACTIVE' && status('campaign') === 'ACTIVE',
        };
      });
    },
    async setCampaignBudget(input) {
      onlyMeta(input.platform);
      const cents = Math.round(input.dailyBudget * 100);
      const current = async () => fromMinor((await call('GET', [input.campaignId], { fields: 'daily_budget' }, 'campaign budget'))['daily_budget']);
      const { result, performed } = await ledger.run({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: 'campaign.daily_budget',
        request: { campaignId: input.campaignId, dailyBudget: input.dailyBudget, ...(input.reason === undefined ? {} : { reason: input.reason }) },
        // After an uncertain attempt: the budget already at the target means the change landed.
        lookup: async () =>
          (await current()) === input.dailyBudget
            ? { campaignId: input.campaignId, previousDailyBudget: null, dailyBudget: input.dailyBudget, changed: true }
            : null,
        perform: async () => {
          const previous = await current();
          await call('POST', [input.campaignId], { daily_budget: cents }, 'campaign budget update');
          return { campaignId: input.campaignId, previousDailyBudget: previous, dailyBudget: input.dailyBudget, changed: true };
        },
      });
      return { ...result, changed: performed };
    },
    async patchCampaign(input) {
      onlyMeta(input.platform);
      if (input.patch.urlTags !== undefined || input.patch.excludesPurchasers !== undefined)
        throw new ConnectorError(
          'meta_patch_unsupported',
          'Meta keeps url_tags on the ad creative (immutable) and exclusions on each ad set: apply this part of the fix in Ads Manager; only the end date is changed through the API',
          { facts: { campaignId: input.campaignId } },
        );
      if (input.patch.endAt === undefined) return { campaignId: input.campaignId, changed: false };
      const stop = input.patch.endAt;
      const { performed } = await ledger.run({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: 'campaign.stop_time',
        request: { campaignId: input.campaignId, stopTime: stop },
        lookup: async () => null, // setting the same stop time again is harmless
        perform: async () => {
          await call('POST', [input.campaignId], { stop_time: stop }, 'campaign end date');
          return { campaignId: input.campaignId };
        },
      });
      return { campaignId: input.campaignId, changed: performed };
    },
    async adDestinations() {
      const rows = await allPages(
        session,
        [account, 'ads'],
        {
          fields: 'id,name,campaign_id,adlabels,campaign{effective_status},creative{object_story_spec,asset_feed_spec}',
          filtering: JSON.stringify([{ field: 'effective_status', operator: 'IN', value: ['ACTIVE'] }]),
          limit: 200,
        },
        'ad destinations',
      );
      return rows.flatMap((row) => {
        const creative = (row['creative'] ?? {}) as {
          object_story_spec?: Record<string, Record<string, unknown>>;
          asset_feed_spec?: { link_urls?: Array<{ website_url?: string }>; bodies?: Array<{ text?: string }> };
        };
        const story = creative.object_story_spec ?? {};
        const link =
          (story['link_data']?.['link'] as string | undefined) ??
          (story['video_data']?.['call_to_action'] as { value?: { link?: string } } | undefined)?.value?.link ??
          creative.asset_feed_spec?.link_urls?.[0]?.website_url;
        if (link === undefined) return [];
        const text = String(story['link_data']?.['message'] ?? story['video_data']?.['message'] ?? creative.asset_feed_spec?.bodies?.[0]?.text ?? '');
        const price = /\$\s?(\d+(?:\.\d{2})?)/.exec(text)?.[1];
        const labels = ((row['adlabels'] as Array<{ name?: string }> | undefined) ?? []).map((label) => String(label.name ?? ''));
        return [
          {
            platform: 'meta' as const,
            adId: String(row['id']),
            name: String(row['name'] ?? row['id']),
            campaignId: String(row['campaign_id']),
            campaignStatus: String((row['campaign'] as GraphRow | undefined)?.['effective_status'] ?? 'ACTIVE'),
            sku: labels.find((label) => label.startsWith('sku:'))?.slice(4) ?? null,
            url: link,
            statedPrice: price === undefined ? null : Number(price),
          },
        ];
      });
    },
    async adSetLearning() {
      const [sets, insights] = await Promise.all([
        allPages(
          session,
          [account, 'adsets'],
          { fields: 'id,campaign_id,name,status,daily_budget,optimization_goal,learning_stage_info', limit: 200 },
          'ad sets',
        ),
        allPages(session, [account, 'insights'], { level: 'adset', date_preset: 'last_7d', fields: 'adset_id,actions', limit: 500 }, 'ad set insights'),
      ]);
      const events = new Map(insights.map((row) => [String(row['adset_id']), actionValue(row, 'actions', 'purchase')]));
      return sets.map((row) => {
        const stage = (row['learning_stage_info'] ?? {}) as { status?: string; last_sig_edit_ts?: number };
        return {
          platform: 'meta' as const,
          adSetId: String(row['id']),
          campaignId: String(row['campaign_id']),
          name: String(row['name']),
          status: String(row['status'] ?? 'ACTIVE'),
          dailyBudget: fromMinor(row['daily_budget']) ?? 0,
          learningStatus: (stage.status ?? 'SUCCESS') as 'LEARNING' | 'SUCCESS' | 'FAIL',
          lastSignificantEditAt: stage.last_sig_edit_ts === undefined ? null : new Date(stage.last_sig_edit_ts * 1000).toISOString(),
          optimizationGoal: String(row['optimization_goal'] ?? ''),
          events7d: events.get(String(row['id'])) ?? 0,
        };
      });
    },
    async updateAdSet(input) {
      onlyMeta(input.platform);
      const body = {
        ...(input.status === undefined ? {} : { status: input.status }),
        ...(input.dailyBudget === undefined ? {} : { daily_budget: Math.round(input.dailyBudget * 100) }),
      };
      const read = async () => {
        const row = await call('GET', [input.adSetId], { fields: 'status,daily_budget' }, 'ad set');
        return { status: String(row['status']), dailyBudget: fromMinor(row['daily_budget']) };
      };
      const { result, performed } = await ledger.run({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: 'adset.update',
        request: { adSetId: input.adSetId, ...body },
        // After an uncertain attempt: the ad set already as asked means the change landed.
        lookup: async () => {
          const now = await read();
          const landed =
            (input.status === undefined || now.status === input.status) && (input.dailyBudget === undefined || now.dailyBudget === input.dailyBudget);
          return landed ? { adSetId: input.adSetId, ...now } : null;
        },
        perform: async () => {
          await call('POST', [input.adSetId], body, 'ad set update');
          return { adSetId: input.adSetId, status: input.status ?? 'ACTIVE', dailyBudget: input.dailyBudget ?? null };
        },
      });
      return { ...result, changed: performed };
    },
    async setSpendCap(input) {
      onlyMeta(input.platform);
      const read = async () => fromMinor((await call('GET', [account], { fields: 'spend_cap' }, 'spend cap'))['spend_cap']);
      const { result, performed } = await ledger.run({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: 'account.spend_cap',
        request: { account, spendCap: input.spendCap },
        lookup: async () =>
          (await read()) === input.spendCap ? { accountId: account, previousSpendCap: null, spendCap: input.spendCap, changed: true } : null,
        perform: async () => {
          const previous = await read();
          // Written in the account currency's major unit (AdAccount update `spend_cap`); read back in minor units.
          await call('POST', [account], { spend_cap: input.spendCap }, 'spend cap update');
          return { accountId: account, previousSpendCap: previous, spendCap: input.spendCap, changed: true };
        },
      });
      return { ...result, changed: performed };
    },
  };
}
