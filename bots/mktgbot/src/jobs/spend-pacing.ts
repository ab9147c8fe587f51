import { z } from 'zod';
import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { localHour, type AdPlatform, type PaidCampaign } from '@jbot/connectors';
import { adjustCampaignBudget } from '../paid-media/adjust-campaign-budget.js';
import { budgetIncreasesHeld } from '../search/tracking-hold.js';
import { localDay, shiftDay, usd } from '../paid-media/local-day.js';

const DAY_MS = 86_400_000;
// A typical e-commerce day's delivery by local hour (share of the day's spend), 00:00-23:00.
const DEFAULT_CURVE = [1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 5, 4, 3, 3];

const hourlyCurve = z
  .string()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value.trim() === '') return DEFAULT_CURVE;
    const numbers = value.split(',').map((part) => Number(part.trim()));
    if (numbers.length !== 24 || numbers.some((number) => !Number.isFinite(number) || number < 0)) {
      context.addIssue({ code: 'custom', message: 'must be 24 comma-separated non-negative weights, one per local hour' });
      return z.NEVER;
    }
    return numbers;
  });

/** The job's settings, with the catalogue's thresholds as defaults. */
export const spendPacingSettings = envSettings({
  FLEET_TZ: timeZone('UTC'),
  /** Spend to date above this multiple of budget × the hourly curve's share is overspend. */
  PAID_PACING_OVERSPEND_FACTOR: envNumber(1.3, 1),
  /** Expected spend below this is too early to judge pace (early-morning noise). */
  PAID_PACING_MIN_EXPECTED_USD: envNumber(20, 0),
  /** An overspend this far over pace raises ad_spend_anomaly (catalogue: $500). */
  PAID_PACING_ALERT_OVER_USD: envNumber(500, 0),
  /** An active campaign at $0 by this local hour is not delivering. */
  PAID_NO_DELIVERY_HOUR: envInteger(11, 1, 23),
  /** Not delivering raises the alert for the top N campaigns by budget. */
  PAID_NO_DELIVERY_TOP_N: envInteger(5, 1, 100),
  /** Amazon budget usage at or above this share… */
  PAID_OUT_OF_BUDGET_PCT: envInteger(90, 1, 100),
  /** …before this local hour, with ROAS at or above the target, is out of budget. */
  PAID_OUT_OF_BUDGET_BEFORE_HOUR: envInteger(18, 1, 24),
  PAID_AMAZON_ROAS_TARGET: envNumber(3, 0),
  /** The proposed changes: cut an overspender, raise a profitable campaign out of budget. */
  PAID_PACING_CUT_PCT: envInteger(20, 1, 90),
  PAID_PACING_RAISE_PCT: envInteger(25, 1, 200),
  /** 24 weights, one per local hour: the day's delivery curve. */
  PAID_PACING_CURVE: hourlyCurve,
});

type SpendPacingSettings = ReturnType<typeof spendPacingSettings.load>;

/** One pacing problem. */
export interface PacingFinding {
  kind: 'overspend' | 'no_delivery' | 'out_of_budget';
  platform: AdPlatform;
  campaign_id: string;
  campaign: string;
  daily_budget: number;
  spend_today: number;
  expected_to_date: number;
  /** Raises ad_spend_anomaly (catalogue: ≥ $500 over pace, a top campaign not delivering, out of budget while profitable). */
  alert: boolean;
  /** The proposed budget, when a budget change helps. */
  proposed_budget: number | null;
  roas_7d: number | null;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** The curve's cumulative share of the day by `hour` (fractional). */
export function curveShare(curve: readonly number[], hour: number): number {
  const total = curve.reduce((sum, weight) => sum + weight, 0);
  if (total === 0) return hour / 24;
  const whole = Math.floor(hour);
  const done = curve.slice(0, whole).reduce((sum, weight) => sum + weight, 0) + (curve[whole] ?? 0) * (hour - whole);
  return done / total;
}

/**
 * The catalogue's pacing rules at local `hour`: Amazon usage ≥ 90% before 18:00 with 7-day ROAS
 * at target → out of budget; otherwise spend to date > 1.3 × budget × the curve's share →
 * overspend; an active campaign at $0 from 11:00 → not delivering. Pure.
 */
export function judgePacing(
  campaigns: readonly PaidCampaign[],
  spend: ReadonlyMap<string, number>,
  roas7d: ReadonlyMap<string, number | null>,
  hour: number,
  settings: SpendPacingSettings,
): PacingFinding[] {
  const share = curveShare(settings.PAID_PACING_CURVE, hour);
  const active = campaigns.filter((campaign) => campaign.status === 'ACTIVE' && campaign.dailyBudget > 0);
  const topByBudget = new Set(
    [...active]
      .sort((left, right) => right.dailyBudget - left.dailyBudget)
      .slice(0, settings.PAID_NO_DELIVERY_TOP_N)
      .map((campaign) => `${campaign.platform}:${campaign.id}`),
  );
  const findings: PacingFinding[] = [];
  for (const campaign of active) {
    const key = `${campaign.platform}:${campaign.id}`;
    const today = spend.get(key);
    if (today === undefined) continue;
    const expected = round(campaign.dailyBudget * share);
    const roas = roas7d.get(key) ?? null;
    const base = {
      platform: campaign.platform,
      campaign_id: campaign.id,
      campaign: campaign.name,
      daily_budget: campaign.dailyBudget,
      spend_today: today,
      expected_to_date: expected,
      roas_7d: roas,
    };
    if (
      campaign.platform === 'amazon' &&
      hour < settings.PAID_OUT_OF_BUDGET_BEFORE_HOUR &&
      today >= (campaign.dailyBudget * settings.PAID_OUT_OF_BUDGET_PCT) / 100
    ) {
      if (roas !== null && roas >= settings.PAID_AMAZON_ROAS_TARGET)
        findings.push({
          ...base,
          kind: 'out_of_budget',
          alert: true,
          proposed_budget: Math.round(campaign.dailyBudget * (1 + settings.PAID_PACING_RAISE_PCT / 100)),
        });
      continue;
    }
    if (expected >= settings.PAID_PACING_MIN_EXPECTED_USD && today > expected * settings.PAID_PACING_OVERSPEND_FACTOR) {
      findings.push({
        ...base,
        kind: 'overspend',
        alert: today - expected >= settings.PAID_PACING_ALERT_OVER_USD,
        proposed_budget: Math.max(1, Math.round(campaign.dailyBudget * (1 - settings.PAID_PACING_CUT_PCT / 100))),
      });
      continue;
    }
    if (hour >= settings.PAID_NO_DELIVERY_HOUR && today === 0)
      findings.push({ ...base, kind: 'no_delivery', alert: topByBudget.has(key), proposed_budget: null });
  }
  const order = { overspend: 0, out_of_budget: 1, no_delivery: 2 };
  return findings.sort((left, right) => order[left.kind] - order[right.kind] || right.spend_today - left.spend_today);
}

/** Run once: today's spend against pace, the post on change, ad_spend_anomaly per alerting finding, adjust_campaign_budget where a budget change helps. */
export async function runSpendPacing(
  context: BotContext & JobRunInfo,
  settings = spendPacingSettings.load({}),
  now = new Date(),
): Promise<{
  outcome: Awaited<ReturnType<typeof reportFindings>>;
  findings: PacingFinding[];
  approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }>;
  signals: number;
}> {
  const { paidMedia } = context.connectors;
  const today = localDay(now, settings.FLEET_TZ);
  const [campaigns, spendRows, history] = await Promise.all([
    paidMedia.listCampaigns(),
    paidMedia.todaySpend({ now, timeZone: settings.FLEET_TZ }),
    paidMedia.dailyMetrics({ from: shiftDay(today, 7), to: shiftDay(today, 1) }),
  ]);
  const spend = new Map(spendRows.map((row) => [`${row.platform}:${row.campaignId}`, row.spendToDate]));
  const roas7d = new Map<string, number | null>();
  for (const campaign of campaigns) {
    const rows = history.filter((row) => row.platform === campaign.platform && row.campaignId === campaign.id);
    const cost = rows.reduce((sum, row) => sum + row.spend, 0);
    roas7d.set(`${campaign.platform}:${campaign.id}`, cost === 0 ? null : round(rows.reduce((sum, row) => sum + row.revenue, 0) / cost));
  }
  const hour = localHour(now, settings.FLEET_TZ);
  const judged = judgePacing(campaigns, spend, roas7d, hour, settings);
  // While conversion tracking is broken (an open tracking_broken), ROAS cannot be trusted: no
  // budget increase is proposed (catalogue, mktgbot handlers); cuts still are.
  const raises = judged.some((finding) => finding.proposed_budget !== null && finding.proposed_budget > finding.daily_budget);
  const hold = raises ? await budgetIncreasesHeld(context.db, now) : { held: false, reason: null };
  const findings = judged.map((finding) =>
    hold.held && finding.proposed_budget !== null && finding.proposed_budget > finding.daily_budget ? { ...finding, proposed_budget: null } : finding,
  );
  const outcome = await reportFindings(context, {
    // Post on change: which campaigns are off pace, not by how much this hour.
    findings: findings.map((finding) => ({ kind: finding.kind, platform: finding.platform, campaign_id: finding.campaign_id, day: today })),
    noun: 'pacing issue',
    message: () => ({
      title: `Spend pacing ${today} ${String(Math.floor(hour)).padStart(2, '0')}:00: ${findings.length} campaign${findings.length === 1 ? '' : 's'} off pace`,
      text: findings
        .map(
          (finding) =>
            `• ${finding.kind === 'overspend' ? '🔥 overspend' : finding.kind === 'out_of_budget' ? '⛽ out of budget' : '🛑 not delivering'} ${finding.platform} **${finding.campaign}**: ${usd(finding.spend_today)} spent vs ${usd(finding.expected_to_date)} expected by now (budget ${usd(finding.daily_budget)}/day${finding.roas_7d === null ? '' : `, 7-day ROAS ${finding.roas_7d.toFixed(2)}`})${finding.proposed_budget === null ? '' : ` → budget ${usd(finding.proposed_budget)} proposed`}`,
        )
        .join('\n')
        .concat(hold.held ? `\n\nNo budget increase proposed: ${hold.reason ?? 'conversion tracking is broken'}.` : ''),
      kind: 'note',
    }),
    nothingLine: `Every active campaign is within ${settings.PAID_PACING_OVERSPEND_FACTOR}× of its pace and delivering.`,
  });
  let signals = 0;
  const approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }> = [];
  for (const finding of findings) {
    let signalId: string | undefined;
    if (finding.alert) {
      const emitted = await context.signals.emit(
        'ad_spend_anomaly',
        {
          platform: finding.platform,
          campaign_id: finding.campaign_id,
          kind: finding.kind,
          spend_today: finding.spend_today,
          expected_to_date: finding.expected_to_date,
          campaign: finding.campaign,
          daily_budget: finding.daily_budget,
        },
        // A condition that persists all day is one signal.
        { severity: 'alert', dedupeKey: `ad_spend_anomaly:${finding.kind}:${finding.platform}:${finding.campaign_id}:${today}`, dedupeWindowMs: DAY_MS },
      );
      signalId = emitted.id;
      if (!emitted.deduplicated) signals += 1;
    }
    if (finding.proposed_budget === null) continue;
    const raise = finding.proposed_budget > finding.daily_budget;
    const { approval, created } = await context.approvals.request({
      action: adjustCampaignBudget,
      title: `${raise ? 'Raise' : 'Cut'} ${finding.platform} "${finding.campaign}" to ${usd(finding.proposed_budget)}/day (${finding.kind.replace(/_/g, ' ')}: ${usd(finding.spend_today)} spent by ${String(Math.floor(hour)).padStart(2, '0')}:00)`,
      draft: {
        platform: finding.platform,
        campaign_id: finding.campaign_id,
        campaign: finding.campaign,
        current_daily_budget: finding.daily_budget,
        new_daily_budget: finding.proposed_budget,
        reason: raise
          ? `${Math.round((finding.spend_today / finding.daily_budget) * 100)}% of the budget used before ${settings.PAID_OUT_OF_BUDGET_BEFORE_HOUR}:00 at 7-day ROAS ${finding.roas_7d?.toFixed(2) ?? '—'}`
          : `${usd(finding.spend_today)} spent against ${usd(finding.expected_to_date)} expected by now`,
        source: 'spend-pacing',
      },
      ...(signalId === undefined ? {} : { signalId }),
      // One proposal per campaign, kind and day, however many hourly checks see it.
      requestKey: `spend-pacing:${finding.kind}:${finding.platform}:${finding.campaign_id}:${today}`,
    });
    approvals.push({ campaign_id: finding.campaign_id, approval_id: approval.id, created });
  }
  context.log.info({ findings: findings.length, signals, approvals: approvals.length, hour }, 'spend pacing');
  return { outcome, findings, approvals, signals };
}

/** mktgbot's spend-pacing: hourly at :05 from 08:05 to 22:05 (fleet time zone). */
export const spendPacing = defineJob({
  id: 'spend-pacing',
  schedule: '5 8-22 * * *',
  description:
    'Intraday pacing: overspend against the hourly curve, campaigns not delivering, Amazon out of budget while profitable → ad_spend_anomaly (alert) + adjust_campaign_budget',
  timeoutMs: 120_000,
  // An hourly watch: a missed hour is superseded by the next; overlapping runs are skipped.
  missed: 'skip',
  overlap: 'skip',
  settings: spendPacingSettings,
  async run(context) {
    const { outcome, findings, approvals, signals } = await runSpendPacing(context, context.config);
    const fresh = approvals.filter((approval) => approval.created).length;
    return jobOutcome(
      `${outcome.outcome}${approvals.length === 0 ? '' : `; adjust_campaign_budget asked for ${fresh} (${approvals.length - fresh} already asked)`}`,
      {
        ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
        detail: { ...outcome.detail, kinds: findings.map((finding) => finding.kind), approvals, signals },
      },
    );
  },
});
