import { rpcOne, type Db } from '@jbot/core';
import { day, instant, numberOrNull, stringRecord, text } from '../sample/row-values.js';
import type { AdAccountStatus, AdPlatform, AdPlatformAdapter, CampaignFunnel, MarketingPlanSource, PaidCampaign } from './paid-media-connector.js';

/** The hour of the day (fractional) at `now` in `timeZone`. */
export function localHour(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') + value('minute') / 60;
}

/** Each platform's account status code, normalised (Meta account_status 1 = ACTIVE, 2 = DISABLED, 3 = UNSETTLED…). */
export function normaliseAdAccountStatus(raw: string): AdAccountStatus['status'] {
  const status = raw.toUpperCase();
  if (['ACTIVE', 'ENABLED', 'STATUS_ENABLE', '1'].includes(status)) return 'active';
  if (['DISABLED', 'SUSPENDED', 'STATUS_DISABLE', '2'].includes(status)) return 'disabled';
  if (['UNSETTLED', '3'].includes(status)) return 'unsettled';
  if (['PENDING_RISK_REVIEW', 'PENDING_REVIEW', '7', '8'].includes(status)) return 'pending_review';
  if (['CLOSED', 'CANCELED', '101'].includes(status)) return 'closed';
  return 'other';
}

/**
 * Every platform's paid media over the sample company's tables (Meta from the Meta Ads sample,
 * Google Ads, TikTok, Pinterest and Amazon Ads from paid-media.json). Writes go through SQL
 * functions keyed by the approval's idempotency key, so an approved change lands once.
 */
export function createSamplePaidMedia(db: Db): AdPlatformAdapter & MarketingPlanSource {
  return {
    source: 'sample',
    async marketingPlan(range) {
      const rows = await db.rpc('sample_marketing_plan_list', { p_from: range.fromMonth, p_to: range.toMonth });
      return rows.map((row) => ({
        month: day(row['month']),
        platform: String(row['platform']) as AdPlatform,
        brand: String(row['brand']),
        budget: numberOrNull(row['budget']) ?? 0,
      }));
    },
    async listCampaigns() {
      const rows = await db.rpc('sample_paid_list_campaigns');
      return rows.map((row): PaidCampaign => ({
        platform: String(row['platform']) as AdPlatform,
        id: String(row['campaign_id']),
        name: String(row['name']),
        brand: text(row['brand']),
        funnel: String(row['funnel']) as CampaignFunnel,
        status: String(row['status']) as PaidCampaign['status'],
        objective: text(row['objective']),
        dailyBudget: numberOrNull(row['daily_budget']) ?? 0,
        previousDailyBudget: numberOrNull(row['previous_daily_budget']),
        urlTags: text(row['url_tags']),
        pixelId: text(row['pixel_id']),
        endAt: instant(row['end_at']),
        excludesPurchasers: row['excludes_purchasers'] === null || row['excludes_purchasers'] === undefined ? null : row['excludes_purchasers'] === true,
        promo: row['promo'] === true,
        updatedAt: instant(row['updated_at']),
      }));
    },
    async dailyMetrics(range) {
      const rows = await db.rpc('sample_paid_daily_metrics', { p_from: range.from, p_to: range.to });
      return rows.map((row) => ({
        platform: String(row['platform']) as AdPlatform,
        campaignId: String(row['campaign_id']),
        day: day(row['day']),
        spend: numberOrNull(row['spend']) ?? 0,
        revenue: numberOrNull(row['revenue']) ?? 0,
        purchases: Number(row['purchases'] ?? 0),
        impressions: Number(row['impressions'] ?? 0),
        clicks: Number(row['clicks'] ?? 0),
      }));
    },
    async todaySpend({ now, timeZone }) {
      const hour = localHour(now, timeZone);
      const rows = await db.rpc('sample_paid_intraday_list');
      return rows.map((row) => {
        const hourly = (Array.isArray(row['hourly_spend']) ? (row['hourly_spend'] as unknown[]) : []).map((value) => numberOrNull(value) ?? 0);
        // Whole hours already past, plus the share of the current one.
        const whole = Math.floor(hour);
        const spend = hourly.slice(0, whole).reduce((sum, value) => sum + value, 0) + (hourly[whole] ?? 0) * (hour - whole);
        return { platform: String(row['platform']) as AdPlatform, campaignId: String(row['campaign_id']), spendToDate: Math.round(spend * 100) / 100 };
      });
    },
    async accountStatus() {
      const rows = await db.rpc('sample_paid_accounts_list');
      return rows.map((row) => ({
        platform: String(row['platform']) as AdPlatform,
        accountId: String(row['account_id']),
        name: String(row['name']),
        status: normaliseAdAccountStatus(String(row['status'])),
        rawStatus: String(row['status']),
        disableReason: text(row['disable_reason']),
        spendCap: numberOrNull(row['spend_cap']),
        amountSpent: numberOrNull(row['amount_spent']),
        paymentFailed: row['payment_failed'] === true,
      }));
    },
    async adReviews() {
      const rows = await db.rpc('sample_paid_ad_reviews_list');
      return rows.map((row) => {
        const feedback: Record<string, string> = {};
        // Meta's ad_review_feedback: { global: { "policy": "explanation" }, placement_specific: {…} }.
        for (const group of Object.values(stringRecordOfObjects(row['review_feedback']))) Object.assign(feedback, group);
        return {
          platform: String(row['platform']) as AdPlatform,
          adId: String(row['ad_id']),
          name: String(row['name']),
          adSetId: text(row['ad_set_id']),
          campaignId: text(row['campaign_id']),
          effectiveStatus: String(row['effective_status']),
          feedback,
          adSetActive: (row['ad_set_status'] ?? 'ACTIVE') === 'ACTIVE' && (row['campaign_status'] ?? 'ACTIVE') === 'ACTIVE',
        };
      });
    },
    async setCampaignBudget(input) {
      const row = await rpcOne(db, 'sample_paid_set_budget', {
        p_idempotency_key: input.idempotencyKey,
        p_platform: input.platform,
        p_campaign_id: input.campaignId,
        p_daily_budget: input.dailyBudget,
        p_reason: input.reason,
      });
      return {
        campaignId: String(row['campaign_id']),
        previousDailyBudget: numberOrNull(row['previous_daily_budget']),
        dailyBudget: numberOrNull(row['daily_budget']) ?? input.dailyBudget,
        changed: row['changed'] === true,
      };
    },
    async patchCampaign(input) {
      const patch = {
        ...(input.patch.urlTags === undefined ? {} : { url_tags: input.patch.urlTags }),
        ...(input.patch.endAt === undefined ? {} : { end_at: input.patch.endAt }),
        ...(input.patch.excludesPurchasers === undefined ? {} : { excludes_purchasers: input.patch.excludesPurchasers }),
      };
      const row = await rpcOne(db, 'sample_paid_patch_campaign', {
        p_idempotency_key: input.idempotencyKey,
        p_platform: input.platform,
        p_campaign_id: input.campaignId,
        p_patch: patch,
      });
      return { campaignId: String(row['campaign_id']), changed: row['changed'] === true };
    },
    async adDestinations() {
      const rows = await db.rpc('sample_paid_ad_destinations_list');
      return rows.map((row) => ({
        platform: String(row['platform']) as AdPlatform,
        adId: String(row['ad_id']),
        name: String(row['name']),
        campaignId: String(row['campaign_id']),
        campaignStatus: String(row['campaign_status']),
        sku: text(row['sku']),
        url: String(row['url']),
        statedPrice: numberOrNull(row['stated_price']),
      }));
    },
    async adSetLearning() {
      const rows = await db.rpc('sample_paid_ad_set_learning');
      return rows.map((row) => ({
        platform: 'meta' as const,
        adSetId: String(row['ad_set_id']),
        campaignId: String(row['campaign_id']),
        name: String(row['name']),
        status: String(row['status']),
        dailyBudget: numberOrNull(row['daily_budget']) ?? 0,
        learningStatus: String(row['learning_status']) as 'LEARNING' | 'SUCCESS' | 'FAIL',
        lastSignificantEditAt: instant(row['last_sig_edit_at']),
        optimizationGoal: String(row['optimization_goal']),
        events7d: Number(row['events_7d'] ?? 0),
      }));
    },
    async updateAdSet(input) {
      const row = await rpcOne(db, 'sample_paid_update_ad_set', {
        p_idempotency_key: input.idempotencyKey,
        p_ad_set_id: input.adSetId,
        p_status: input.status,
        p_daily_budget: input.dailyBudget,
      });
      return {
        adSetId: String(row['ad_set_id']),
        status: String(row['status']),
        dailyBudget: numberOrNull(row['daily_budget']),
        changed: row['changed'] === true,
      };
    },
    async setSpendCap(input) {
      const row = await rpcOne(db, 'sample_paid_set_spend_cap', {
        p_idempotency_key: input.idempotencyKey,
        p_platform: input.platform,
        p_spend_cap: input.spendCap,
      });
      return {
        accountId: String(row['account_id']),
        previousSpendCap: numberOrNull(row['previous_spend_cap']),
        spendCap: numberOrNull(row['spend_cap']) ?? input.spendCap,
        changed: row['changed'] === true,
      };
    },
  };
}

// A jsonb object of objects (the supabase transport may hand back a JSON string).
function stringRecordOfObjects(value: unknown): Record<string, Record<string, string>> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const result: Record<string, Record<string, string>> = {};
  if (parsed !== null && typeof parsed === 'object') for (const [key, item] of Object.entries(parsed)) result[key] = stringRecord(item);
  return result;
}
