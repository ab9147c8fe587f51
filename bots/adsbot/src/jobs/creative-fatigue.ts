import {
  defineJob,
  envInteger,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  type BotContext,
  type JobRunInfo,
  type Severity,
} from '@jbot/core';
import type { AdDailyInsight, Connectors, CreativeAd } from '@jbot/connectors';
import { rotateCreatives, type RotateCreativesDraft } from '../actions/rotate-creatives.js';

const DAY_MS = 86_400_000;

/** The catalogue's thresholds for creative fatigue, each an env setting. */
export const creativeFatigueSettings = envSettings({
  ADS_FATIGUE_FREQUENCY_PROSPECTING: envNumber(3.5),
  ADS_FATIGUE_FREQUENCY_RETARGETING: envNumber(6),
  /** Link CTR at or under this share of the ad's first-7-day CTR counts as decayed. */
  ADS_FATIGUE_CTR_RATIO: envNumber(0.8),
  ADS_FATIGUE_CONSECUTIVE_DAYS: envInteger(3, 1, 28),
  ADS_FATIGUE_CPM_RISE_PCT: envNumber(30),
  ADS_FATIGUE_MIN_DAILY_SPEND_USD: envNumber(50),
  /** jbot hears of it (warning) only when fatigued ads carry at least this share of the 7-day spend. */
  ADS_FATIGUE_JBOT_SPEND_SHARE_PCT: envNumber(20),
});

/** The parsed settings. */
export type CreativeFatigueSettings = ReturnType<typeof creativeFatigueSettings.load>;

/** One fatigued ad, with the numbers the rule used. */
export interface FatiguedAd {
  ad_id: string;
  ad: string;
  ad_set_id: string;
  campaign_id: string;
  brand: string | null;
  audience: 'prospecting' | 'retargeting';
  frequency_7d: number;
  ctr_first_week_pct: number;
  ctr_recent_pct: number;
  ctr_drop_pct: number;
  cpm_change_pct: number;
  spend_7d: number;
  /** The paused creative of the same ad set a rotation would activate, if any. */
  replacement_ad_id: string | null;
  replacement: string | null;
}

/** What the rule found across the account. */
export interface FatigueReport {
  fatigued: FatiguedAd[];
  /** Fatigued ads' share of all active ads' 7-day spend, in percent. */
  spend_share_pct: number;
  total_spend_7d: number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const ctrOf = (rows: readonly AdDailyInsight[]) => {
  const impressions = rows.reduce((sum, row) => sum + row.impressions, 0);
  return impressions === 0 ? 0 : (rows.reduce((sum, row) => sum + row.linkClicks, 0) / impressions) * 100;
};
const cpmOf = (rows: readonly AdDailyInsight[]) => {
  const impressions = rows.reduce((sum, row) => sum + row.impressions, 0);
  return impressions === 0 ? 0 : (rows.reduce((sum, row) => sum + row.spend, 0) / impressions) * 1000;
};

/**
 * The catalogue's rule, deterministically, over the last 28 days of ad-level insights: an active
 * ad whose 7-day frequency is over its audience's ceiling, whose link CTR has been at or under
 * 80% of its first-7-day CTR on each of the last 3 days, and which spends at least $50 a day.
 */
export async function findFatiguedAds(connectors: Pick<Connectors, 'ads'>, settings: CreativeFatigueSettings, now = new Date()): Promise<FatigueReport> {
  const [ads, adSets, insights] = await Promise.all([
    connectors.ads.listAds(),
    connectors.ads.listAdSets(),
    connectors.ads.listAdInsights({ since: new Date(now.getTime() - 28 * DAY_MS) }),
  ]);
  const audienceOf = new Map(adSets.map((adSet) => [adSet.id, adSet.audience]));
  const rowsOf = new Map<string, AdDailyInsight[]>();
  for (const row of insights) rowsOf.set(row.adId, [...(rowsOf.get(row.adId) ?? []), row]);
  const active = ads.filter((ad) => ad.status === 'ACTIVE');
  const recentSpend = (ad: CreativeAd) => (rowsOf.get(ad.id) ?? []).slice(-7).reduce((sum, row) => sum + row.spend, 0);
  const totalSpend = active.reduce((sum, ad) => sum + recentSpend(ad), 0);
  const days = settings.ADS_FATIGUE_CONSECUTIVE_DAYS;
  const fatigued: FatiguedAd[] = [];
  for (const ad of active) {
    const rows = [...(rowsOf.get(ad.id) ?? [])].sort((left, right) => left.day.localeCompare(right.day));
    // A first week to compare with, and the decayed days after it.
    if (rows.length < 7 + days) continue;
    const firstWeek = rows.slice(0, 7);
    const recent = rows.slice(-days);
    const lastWeek = rows.slice(-7);
    const audience = audienceOf.get(ad.adSetId) ?? 'prospecting';
    const ceiling = audience === 'retargeting' ? settings.ADS_FATIGUE_FREQUENCY_RETARGETING : settings.ADS_FATIGUE_FREQUENCY_PROSPECTING;
    const frequency = rows.at(-1)?.frequency7d ?? 0;
    const baseline = ctrOf(firstWeek);
    const spend7d = lastWeek.reduce((sum, row) => sum + row.spend, 0);
    const decayed = baseline > 0 && recent.every((row) => ctrOf([row]) <= baseline * settings.ADS_FATIGUE_CTR_RATIO);
    if (frequency <= ceiling || !decayed || spend7d / lastWeek.length < settings.ADS_FATIGUE_MIN_DAILY_SPEND_USD) continue;
    const replacement = ads.find((other) => other.adSetId === ad.adSetId && other.status === 'PAUSED' && other.queued) ?? null;
    const firstCpm = cpmOf(firstWeek);
    fatigued.push({
      ad_id: ad.id,
      ad: ad.name,
      ad_set_id: ad.adSetId,
      campaign_id: ad.campaignId,
      brand: ad.brand,
      audience,
      frequency_7d: round(frequency, 2),
      ctr_first_week_pct: round(baseline, 2),
      ctr_recent_pct: round(ctrOf(recent), 2),
      ctr_drop_pct: round((1 - ctrOf(recent) / baseline) * 100),
      cpm_change_pct: firstCpm === 0 ? 0 : round((cpmOf(recent) / firstCpm - 1) * 100),
      spend_7d: round(spend7d, 2),
      replacement_ad_id: replacement?.id ?? null,
      replacement: replacement?.name ?? null,
    });
  }
  fatigued.sort((left, right) => right.spend_7d - left.spend_7d || left.ad_id.localeCompare(right.ad_id));
  const share = totalSpend === 0 ? 0 : (fatigued.reduce((sum, ad) => sum + ad.spend_7d, 0) / totalSpend) * 100;
  return { fatigued, spend_share_pct: round(share), total_spend_7d: round(totalSpend, 2) };
}

/**
 * Severity by rule: warning (jbot hears) when fatigued ads carry ≥ 20% of the spend, info (the
 * channel only) below; a CPM up ≥ 30% on the first week raises it one step.
 */
export function fatigueSeverity(ad: FatiguedAd, report: FatigueReport, settings: CreativeFatigueSettings): Severity {
  const base: Severity = report.spend_share_pct >= settings.ADS_FATIGUE_JBOT_SPEND_SHARE_PCT ? 'warning' : 'info';
  if (ad.cpm_change_pct < settings.ADS_FATIGUE_CPM_RISE_PCT) return base;
  return base === 'warning' ? 'alert' : 'warning';
}

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/** The #ads-bot post. */
export function fatigueMessage(report: FatigueReport): string {
  const lines = report.fatigued.map(
    (ad) =>
      `• **${ad.ad}** (${ad.audience}): frequency ${ad.frequency_7d} in 7 days, link CTR ${ad.ctr_recent_pct}% vs ${ad.ctr_first_week_pct}% in its first week (−${ad.ctr_drop_pct}%), CPM ${ad.cpm_change_pct >= 0 ? '+' : ''}${ad.cpm_change_pct}%, ${money(ad.spend_7d)} in 7 days → ${ad.replacement === null ? 'no queued creative: brief needed' : `rotate to "${ad.replacement}"`}`,
  );
  return [
    ...lines,
    '',
    `Fatigued ads carry ${report.spend_share_pct}% of the last 7 days' spend (${money(report.total_spend_7d)}).`,
    'Approve to pause them and activate the queued creatives.',
  ].join('\n');
}

/** What a run did. */
export interface CreativeFatigueResult {
  report: FatigueReport;
  signals: number;
  approvalId: string | null;
}

/** Run creative-fatigue once: find, post on change, one ad_fatigue per ad (once a day), ask rotate_creatives once per fatigued set. */
export async function runCreativeFatigue(context: BotContext & JobRunInfo, settings: CreativeFatigueSettings, now = new Date()) {
  const report = await findFatiguedAds(context.connectors, settings, now);
  const outcome = await reportFindings(context, {
    findings: report.fatigued,
    noun: 'fatigued ad',
    message: (findings) => ({
      title: `Creative fatigue: ${findings.length} ad${findings.length === 1 ? '' : 's'} worn out`,
      text: fatigueMessage(report),
      kind: 'note',
    }),
    nothingLine: 'No active ad is over its frequency ceiling with a decayed CTR.',
  });
  const day = now.toISOString().slice(0, 10);
  let signals = 0;
  for (const ad of report.fatigued) {
    const emitted = await context.signals.emit(
      'ad_fatigue',
      {
        platform: 'meta',
        ad_id: ad.ad_id,
        ad_set_id: ad.ad_set_id,
        frequency_7d: ad.frequency_7d,
        ctr_drop_pct: ad.ctr_drop_pct,
        cpm_change_pct: ad.cpm_change_pct,
        spend_7d: ad.spend_7d,
        ad_name: ad.ad,
        campaign_id: ad.campaign_id,
        ...(ad.brand === null ? {} : { brand: ad.brand }),
      },
      { severity: fatigueSeverity(ad, report, settings), dedupeKey: `ad_fatigue:${ad.ad_id}:${day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  let approvalId: string | null = null;
  if (report.fatigued.length > 0) {
    const draft: RotateCreativesDraft = {
      reason: 'creative fatigue',
      rotations: report.fatigued.map((ad) => ({ pause_ad_id: ad.ad_id, pause_ad: ad.ad, activate_ad_id: ad.replacement_ad_id, activate_ad: ad.replacement })),
    };
    const { approval } = await context.approvals.request({
      action: rotateCreatives,
      title: `Rotate ${report.fatigued.length} fatigued ad${report.fatigued.length === 1 ? '' : 's'} (${report.spend_share_pct}% of spend)`,
      draft,
      requestKey: `creative-fatigue:${fingerprintOf(report.fatigued.map((ad) => ad.ad_id))}`,
    });
    approvalId = approval.id;
  }
  return { outcome, result: { report, signals, approvalId } satisfies CreativeFatigueResult };
}

/** adsbot's creative-fatigue: daily 07:30 (fleet time zone). */
export const creativeFatigue = defineJob({
  id: 'creative-fatigue',
  schedule: '30 7 * * *',
  description:
    'Ads with 7-day frequency over 3.5 (prospecting) / 6 (retargeting), link CTR ≤ 80% of the first week for 3 days, ≥ $50/day → ad_fatigue, rotate_creatives',
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: creativeFatigueSettings,
  async run(context) {
    const { outcome, result } = await runCreativeFatigue(context, context.config);
    return jobOutcome(`${outcome.outcome}${result.approvalId === null ? '' : '; rotate_creatives asked'}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals: result.signals, approvalId: result.approvalId, spendSharePct: result.report.spend_share_pct },
    });
  },
});
