import { defineJob, envInteger, envSettings, jobOutcome, optionalString, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { GoogleAdsCampaign, GoogleAdsCampaignDay } from '@jbot/connectors';
import { adjustCampaignBudget, type AdjustCampaignBudgetDraft } from '../search/adjust-campaign-budget.js';
import { addDays, localDay } from '../search/local-time.js';
import { budgetIncreasesHeld } from '../search/tracking-hold.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's thresholds as defaults. */
export const brandSearchSettings = envSettings({
  FLEET_TZ: timeZone('UTC'),
  /** Brand campaigns: names matching this (case-insensitive regular expression; default "brand"). */
  GOOGLE_ADS_BRAND_CAMPAIGN_PATTERN: optionalString.refine(
    (pattern) => {
      try {
        new RegExp(pattern ?? 'brand', 'i');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a valid regular expression (e.g. "brand|branded")' },
  ),
  /** Impression share below this two days running is a loss (catalogue: 90%). */
  BRAND_IS_MIN_PCT: envInteger(90, 1, 100),
  /** Impression share lost to budget above this two days running is a loss (catalogue: 5%). */
  BRAND_BUDGET_LOST_MAX_PCT: envInteger(5, 0, 100),
  /** Top-of-page impression share down more than this many points vs the week before → conquesting (catalogue: 15). */
  BRAND_TOP_IS_DROP_POINTS: envInteger(15, 1, 100),
  /** The budget increase proposed (catalogue: +25%). */
  BRAND_BUDGET_STEP_PCT: envInteger(25, 1, 200),
});

type BrandSearchSettings = ReturnType<typeof brandSearchSettings.load>;

/** A brand campaign losing share. */
export interface BrandSearchFinding {
  campaign_id: string;
  campaign: string;
  impression_share: number;
  lost_budget: number;
  lost_rank: number;
  top_is_change: number;
  reasons: string[];
  /** Budget-limited: a budget increase is the fix (rank losses need bids or ad quality instead). */
  budget_limited: boolean;
  daily_budget: number;
}

const points = (value: number) => Math.round(value * 1000) / 10;
const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((total, value) => total + value, 0) / values.length);

/**
 * The catalogue's rules over the brand campaigns: impression share under the minimum or share
 * lost to budget over the maximum on both of the last two days → a loss (budget-limited when
 * budget, not rank, takes the larger share); top-of-page share down more than the points
 * against the 7 days before → conquesting.
 */
export function judgeBrandSearch(
  campaigns: readonly GoogleAdsCampaign[],
  days: readonly GoogleAdsCampaignDay[],
  yesterday: string,
  settings: Pick<BrandSearchSettings, 'GOOGLE_ADS_BRAND_CAMPAIGN_PATTERN' | 'BRAND_IS_MIN_PCT' | 'BRAND_BUDGET_LOST_MAX_PCT' | 'BRAND_TOP_IS_DROP_POINTS'>,
): BrandSearchFinding[] {
  const pattern = new RegExp(settings.GOOGLE_ADS_BRAND_CAMPAIGN_PATTERN ?? 'brand', 'i');
  const findings: BrandSearchFinding[] = [];
  for (const campaign of campaigns.filter((candidate) => candidate.status === 'ENABLED' && pattern.test(candidate.name))) {
    const ofCampaign = new Map(days.filter((day) => day.campaignId === campaign.id).map((day) => [day.day, day]));
    const last = ofCampaign.get(yesterday);
    const before = ofCampaign.get(addDays(yesterday, -1));
    if (last?.impressionShare === null || last?.impressionShare === undefined || before?.impressionShare === null || before?.impressionShare === undefined)
      continue;
    const lowShare = [last, before].every((day) => (day.impressionShare ?? 1) * 100 < settings.BRAND_IS_MIN_PCT);
    const budgetLost = [last, before].every((day) => (day.budgetLostImpressionShare ?? 0) * 100 > settings.BRAND_BUDGET_LOST_MAX_PCT);
    const earlierTop = Array.from({ length: 7 }, (_, index) => ofCampaign.get(addDays(yesterday, -2 - index))?.topImpressionShare).filter(
      (value): value is number => typeof value === 'number',
    );
    const topChange = last.topImpressionShare === null || earlierTop.length === 0 ? 0 : points(last.topImpressionShare - mean(earlierTop));
    const conquested = topChange < -settings.BRAND_TOP_IS_DROP_POINTS;
    if (!lowShare && !budgetLost && !conquested) continue;
    const lostBudget = last.budgetLostImpressionShare ?? 0;
    const lostRank = last.rankLostImpressionShare ?? 0;
    findings.push({
      campaign_id: campaign.id,
      campaign: campaign.name,
      impression_share: last.impressionShare,
      lost_budget: lostBudget,
      lost_rank: lostRank,
      top_is_change: topChange,
      reasons: [
        lowShare ? `impression share ${points(last.impressionShare)}% (< ${settings.BRAND_IS_MIN_PCT}%) two days running` : null,
        budgetLost ? `${points(lostBudget)}% lost to budget (> ${settings.BRAND_BUDGET_LOST_MAX_PCT}%) two days running` : null,
        conquested ? `top-of-page share ${topChange} points vs the week before: a competitor is bidding on the brand` : null,
      ].filter((reason): reason is string => reason !== null),
      budget_limited: (lowShare || budgetLost) && lostBudget >= lostRank,
      daily_budget: campaign.dailyBudget,
    });
  }
  return findings;
}

/**
 * Run the check once: post on change, one `brand_search_loss` warning per campaign per day, and
 * for a budget-limited campaign an `adjust_campaign_budget` (+25%) — unless conversion tracking
 * is broken, when no budget increase is proposed (catalogue Handlers).
 */
export async function runBrandSearchShare(
  context: BotContext & JobRunInfo,
  settings = brandSearchSettings.load({}),
  now = new Date(),
): Promise<{
  outcome: Awaited<ReturnType<typeof reportFindings>>;
  findings: BrandSearchFinding[];
  signals: number;
  approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }>;
  held: string | null;
}> {
  const yesterday = addDays(localDay(now, settings.FLEET_TZ), -1);
  const { googleAds } = context.connectors;
  const [campaigns, days] = await Promise.all([googleAds.listCampaigns(), googleAds.campaignMetrics({ from: addDays(yesterday, -8), to: yesterday })]);
  const findings = judgeBrandSearch(campaigns, days, yesterday, settings);
  const hold = findings.some((finding) => finding.budget_limited) ? await budgetIncreasesHeld(context.db, now) : { held: false, reason: null };
  const step = settings.BRAND_BUDGET_STEP_PCT;
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => ({ ...finding, held: hold.held })),
    noun: 'brand campaign losing share',
    message: (found) => ({
      title: `Brand search ${yesterday}: ${found.map((finding) => finding.campaign).join(', ')}`,
      text: [
        ...findings.map(
          (finding) =>
            `• **${finding.campaign}**: ${finding.reasons.join('; ')} (lost to rank ${points(finding.lost_rank)}%)${finding.budget_limited ? (hold.held ? ' — budget increase held' : ` → budget +${step}% proposed`) : ' — raise bids or ad quality, not budget'}`,
        ),
        ...(hold.held ? ['', `No budget increase proposed: ${hold.reason}.`] : []),
      ].join('\n'),
      kind: 'note',
    }),
    nothingLine: `${yesterday}: every brand campaign kept ≥ ${settings.BRAND_IS_MIN_PCT}% impression share and top-of-page share held.`,
  });
  let signals = 0;
  const approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }> = [];
  for (const finding of findings) {
    const emitted = await context.signals.emit(
      'brand_search_loss',
      {
        campaign_id: finding.campaign_id,
        campaign: finding.campaign,
        impression_share: finding.impression_share,
        lost_budget: finding.lost_budget,
        lost_rank: finding.lost_rank,
        top_is_change: finding.top_is_change,
        reasons: finding.reasons,
      },
      { severity: 'warning', dedupeKey: `brand_search_loss:${finding.campaign_id}:${yesterday}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
    if (!finding.budget_limited || hold.held) continue;
    const next = Math.round(finding.daily_budget * (1 + step / 100) * 100) / 100;
    const draft: AdjustCampaignBudgetDraft = {
      platform: 'google',
      campaign_id: finding.campaign_id,
      campaign: finding.campaign,
      current_daily_budget: finding.daily_budget,
      new_daily_budget: next,
      reason: finding.reasons.join('; '),
      source: 'brand-search-share',
    };
    const { approval, created } = await context.approvals.request({
      action: adjustCampaignBudget,
      title: `Google brand "${finding.campaign}": budget $${finding.daily_budget.toFixed(0)} → $${next.toFixed(0)}/day (${points(finding.impression_share)}% IS, ${points(finding.lost_budget)}% lost to budget)`,
      draft,
      // One proposal per campaign and starting budget: approved, the budget moves and a new one may follow.
      requestKey: `brand-search-share:${finding.campaign_id}:${finding.daily_budget}`,
    });
    approvals.push({ campaign_id: finding.campaign_id, approval_id: approval.id, created });
  }
  context.log.info({ findings: findings.length, signals, approvals, held: hold.reason }, `brand search share: ${findings.length} campaign(s) losing share`);
  return { outcome, findings, signals, approvals, held: hold.reason };
}

/** mktgbot's brand-search-share: daily 08:20 (fleet time zone). */
export const brandSearchShare = defineJob({
  id: 'brand-search-share',
  schedule: '20 8 * * *',
  description:
    'Branded search impression share and what loses it (budget, rank, conquesting) → brand_search_loss (warning); adjust_campaign_budget +25% when budget-limited',
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: brandSearchSettings,
  async run(context) {
    // The tick's own time: a catch-up run judges the day (or hours) it was scheduled for.
    const { outcome, signals, approvals, held } = await runBrandSearchShare(context, context.config, context.scheduledFor);
    const parts = [
      signals === 0 ? '' : `${signals} brand_search_loss raised`,
      approvals.length === 0 ? '' : `adjust_campaign_budget asked for ${approvals.filter((approval) => approval.created).length}`,
      held === null ? '' : 'budget increases held (tracking broken)',
    ].filter((part) => part !== '');
    return jobOutcome(`${outcome.outcome}${parts.length === 0 ? '' : `; ${parts.join('; ')}`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals, approvals, held },
    });
  },
});
