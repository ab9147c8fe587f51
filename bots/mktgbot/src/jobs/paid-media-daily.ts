import {
  defineJob,
  envInteger,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
} from '@jbot/core';
import { AD_PLATFORMS, type AdPlatform, type CampaignDay, type PaidCampaign } from '@jbot/connectors';
import { adjustCampaignBudget } from '../paid-media/adjust-campaign-budget.js';
import { localDay, ratio, shiftDay, usd } from '../paid-media/local-day.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's thresholds as defaults. */
export const paidMediaDailySettings = envSettings({
  FLEET_TZ: timeZone('UTC'),
  PAID_ROAS_FLOOR_PROSPECTING: envNumber(1.5, 0),
  PAID_ROAS_FLOOR_RETARGETING: envNumber(3.0, 0),
  /** Days in a row under the floor before a campaign is flagged. */
  PAID_ROAS_DAYS: envInteger(3, 1, 14),
  /** Each of those days must spend at least this much (small spend is noise). */
  PAID_MIN_DAILY_SPEND_USD: envNumber(100, 0),
  PAID_CPA_TARGET_USD: envNumber(50, 0),
  /** CPA over this multiple of the target is flagged. */
  PAID_CPA_MULTIPLE: envNumber(1.5, 1),
  PAID_MER_TARGET: envNumber(3.0, 0),
  /** The narrative is skipped when nothing is flagged and MER moved less than this. */
  PAID_MER_CHANGE_PCT: envNumber(5, 0),
  /** The proposed budget cut for a flagged campaign. */
  PAID_BUDGET_CUT_PCT: envInteger(20, 1, 90),
});

type PaidMediaDailySettings = ReturnType<typeof paidMediaDailySettings.load>;

/** One platform's yesterday. */
export interface PlatformDay {
  platform: AdPlatform;
  source: 'sample' | 'live';
  spend: number;
  revenue: number;
  purchases: number;
  roas: number | null;
  cpa: number | null;
}

/** A campaign losing money by the catalogue's rules. */
export interface LosingCampaign {
  platform: AdPlatform;
  campaign_id: string;
  campaign: string;
  funnel: PaidCampaign['funnel'];
  daily_budget: number;
  roas_3d: number;
  floor: number;
  spend_3d: number;
  cpa_3d: number | null;
  rules: Array<'roas' | 'cpa'>;
}

/** The day's report: per platform, the blended MER, and the flagged campaigns. */
export interface PaidMediaReport {
  day: string;
  platforms: PlatformDay[];
  spend: number;
  revenue: number;
  shopifyRevenue: number;
  mer: number | null;
  merDayBefore: number | null;
  flagged: LosingCampaign[];
}

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * The catalogue's rules over every active campaign with a ROAS goal (awareness campaigns have
 * none): each of the last N days (default 3) at or above the minimum spend and under its floor
 * (1.5 prospecting and search, 3.0 retargeting) → roas; over the same days CPA above 1.5 × the
 * target → cpa. Pure, so the rules are tested without a database.
 */
export function findLosingCampaigns(
  campaigns: readonly PaidCampaign[],
  days: readonly CampaignDay[],
  lastDay: string,
  settings: PaidMediaDailySettings,
): LosingCampaign[] {
  const window = Array.from({ length: settings.PAID_ROAS_DAYS }, (_, index) => shiftDay(lastDay, index));
  const flagged: LosingCampaign[] = [];
  for (const campaign of campaigns) {
    if (campaign.status !== 'ACTIVE' || campaign.funnel === 'brand') continue;
    const rows = window.map((day) => days.find((row) => row.platform === campaign.platform && row.campaignId === campaign.id && row.day === day));
    if (rows.some((row) => row === undefined || row.spend < settings.PAID_MIN_DAILY_SPEND_USD)) continue;
    const present = rows.filter((row): row is CampaignDay => row !== undefined);
    const floor = campaign.funnel === 'retargeting' ? settings.PAID_ROAS_FLOOR_RETARGETING : settings.PAID_ROAS_FLOOR_PROSPECTING;
    const spend = present.reduce((sum, row) => sum + row.spend, 0);
    const revenue = present.reduce((sum, row) => sum + row.revenue, 0);
    const purchases = present.reduce((sum, row) => sum + row.purchases, 0);
    const cpa = purchases === 0 ? null : spend / purchases;
    const rules: Array<'roas' | 'cpa'> = [];
    if (present.every((row) => row.revenue / row.spend < floor)) rules.push('roas');
    if (cpa === null || cpa > settings.PAID_CPA_TARGET_USD * settings.PAID_CPA_MULTIPLE) rules.push('cpa');
    if (rules.length === 0) continue;
    flagged.push({
      platform: campaign.platform,
      campaign_id: campaign.id,
      campaign: campaign.name,
      funnel: campaign.funnel,
      daily_budget: campaign.dailyBudget,
      roas_3d: round(revenue / spend),
      floor,
      spend_3d: round(spend),
      cpa_3d: cpa === null ? null : round(cpa),
      rules,
    });
  }
  return flagged.sort((left, right) => left.roas_3d - right.roas_3d);
}

/** Read yesterday (company zone) and the window before it, and judge it. */
export async function buildPaidMediaReport(context: Pick<BotContext, 'connectors'>, settings: PaidMediaDailySettings, now: Date): Promise<PaidMediaReport> {
  const { paidMedia, reporting } = context.connectors;
  const day = localDay(new Date(now.getTime() - DAY_MS), settings.FLEET_TZ);
  const from = shiftDay(day, Math.max(settings.PAID_ROAS_DAYS, 2) - 1);
  const [campaigns, days, sales] = await Promise.all([
    paidMedia.listCampaigns(),
    paidMedia.dailyMetrics({ from, to: day }),
    reporting.dailySales({ from: shiftDay(day, 1), to: day, timeZone: settings.FLEET_TZ }),
  ]);
  const platformDay = (platform: AdPlatform, on: string): PlatformDay => {
    const rows = days.filter((row) => row.platform === platform && row.day === on);
    const spend = rows.reduce((sum, row) => sum + row.spend, 0);
    const revenue = rows.reduce((sum, row) => sum + row.revenue, 0);
    const purchases = rows.reduce((sum, row) => sum + row.purchases, 0);
    return {
      platform,
      source: paidMedia.sources[platform],
      spend: round(spend),
      revenue: round(revenue),
      purchases,
      roas: spend === 0 ? null : round(revenue / spend),
      cpa: purchases === 0 ? null : round(spend / purchases),
    };
  };
  const dtc = (on: string) => sales.filter((row) => row.channel === 'dtc' && row.day === on).reduce((sum, row) => sum + row.revenue, 0);
  const totalSpend = (on: string) => days.filter((row) => row.day === on).reduce((sum, row) => sum + row.spend, 0);
  const mer = (on: string) => (totalSpend(on) === 0 ? null : round(dtc(on) / totalSpend(on)));
  const platforms = AD_PLATFORMS.map((platform) => platformDay(platform, day));
  return {
    day,
    platforms,
    spend: round(platforms.reduce((sum, row) => sum + row.spend, 0)),
    revenue: round(platforms.reduce((sum, row) => sum + row.revenue, 0)),
    shopifyRevenue: round(dtc(day)),
    mer: mer(day),
    merDayBefore: mer(shiftDay(day, 1)),
    flagged: findLosingCampaigns(campaigns, days, day, settings),
  };
}

/** The #mktg-bot table: one row per platform, MER against target, then the flagged campaigns. */
export function paidMediaMessage(report: PaidMediaReport, settings: PaidMediaDailySettings, narrative: string | null): string {
  const rows = report.platforms.map(
    (row) =>
      `| ${row.platform}${row.source === 'sample' ? ' (sample)' : ''} | ${usd(row.spend)} | ${usd(row.revenue)} | ${ratio(row.roas)} | ${usd(row.cpa)} |`,
  );
  const merLine = `MER ${ratio(report.mer)} (Shopify DTC ${usd(report.shopifyRevenue)} ÷ ad spend ${usd(report.spend)}) vs target ${settings.PAID_MER_TARGET.toFixed(1)}${report.mer !== null && report.mer < settings.PAID_MER_TARGET ? ' — below target' : ''}; day before ${ratio(report.merDayBefore)}`;
  const flagged = report.flagged.map(
    (campaign) =>
      `• ⚠️ ${campaign.platform} **${campaign.campaign}**: ROAS ${campaign.roas_3d.toFixed(2)} over ${settings.PAID_ROAS_DAYS} days (floor ${campaign.floor.toFixed(1)}), CPA ${usd(campaign.cpa_3d)}, spend ${usd(campaign.spend_3d)} → budget −${settings.PAID_BUDGET_CUT_PCT}% proposed`,
  );
  return [
    ...(narrative === null ? [] : [narrative, '']),
    '| platform | spend | revenue | ROAS | CPA |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    merLine,
    ...(flagged.length === 0 ? ['No campaign under its ROAS floor or over its CPA ceiling.'] : ['', ...flagged]),
  ].join('\n');
}

const NARRATIVE_SYSTEM =
  "You write the three-line morning note on paid media for a consumer-goods company's marketing team. Line 1: the day in one sentence (spend, MER vs target). Line 2: what is losing money and the proposed action. Line 3: one thing to watch. Plain text, no greetings, figures as given, never invent numbers.";

/** Whether the day warrants a narrative (catalogue: skipped when nothing is flagged and MER is within ±5% of the day before). */
export function needsNarrative(report: PaidMediaReport, settings: PaidMediaDailySettings): boolean {
  if (report.flagged.length > 0) return true;
  if (report.mer === null || report.merDayBefore === null || report.merDayBefore === 0) return report.mer !== report.merDayBefore;
  return Math.abs(report.mer / report.merDayBefore - 1) * 100 > settings.PAID_MER_CHANGE_PCT;
}

function templateNarrative(report: PaidMediaReport): string {
  const worst = report.flagged[0];
  return [
    `${report.day}: ${usd(report.spend)} ad spend across ${report.platforms.filter((row) => row.spend > 0).length} platforms, MER ${ratio(report.mer)}.`,
    worst === undefined
      ? 'No campaign is losing money by the floors.'
      : `${worst.campaign} (${worst.platform}) at ROAS ${worst.roas_3d.toFixed(2)} for three days: budget cut proposed.`,
    `Platform-reported revenue ${usd(report.revenue)}.`,
  ].join('\n');
}

/** Run once: the report, the narrative (⟳), the post, paid_media_daily, and per flagged campaign roas_below_floor + adjust_campaign_budget. */
export async function runPaidMediaDaily(
  context: BotContext & JobRunInfo,
  settings = paidMediaDailySettings.load({}),
  now = new Date(),
): Promise<{
  outcome: Awaited<ReturnType<typeof reportFindings>>;
  report: PaidMediaReport;
  narrative: { called: boolean; text: string | null };
  modelInput: string | null;
  approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }>;
  signals: number;
}> {
  const report = await buildPaidMediaReport(context, settings, now);
  // ⟳: the model's input is fingerprinted; the same input as the last run reuses its narrative.
  let narrative: { called: boolean; text: string | null } = { called: false, text: null };
  let modelInput: string | null = null;
  if (needsNarrative(report, settings)) {
    const input = { day: report.day, platforms: report.platforms, mer: report.mer, merDayBefore: report.merDayBefore, flagged: report.flagged };
    modelInput = fingerprintOf(input);
    const earlier = (await context.lastRun())?.result as { modelInput?: unknown; narrative?: unknown } | null | undefined;
    if (earlier?.modelInput === modelInput && typeof earlier.narrative === 'string') narrative = { called: false, text: earlier.narrative };
    else {
      const drafted = await context.llm.complete({
        tier: 'fast',
        system: NARRATIVE_SYSTEM,
        prompt: `Yesterday's paid media (JSON):\n${JSON.stringify(input)}\nMER target ${settings.PAID_MER_TARGET}.`,
        maxTokens: 300,
        offline: () => templateNarrative(report),
      });
      // The offline drafter labels its own text.
      narrative = { called: true, text: drafted.value.trim() };
    }
  }
  const outcome = await reportFindings(context, {
    findings: report.spend === 0 ? [] : [{ day: report.day, platforms: report.platforms, mer: report.mer, flagged: report.flagged }],
    noun: 'daily report',
    message: () => ({
      title: `Paid media ${report.day}: ${usd(report.spend)} spend, MER ${ratio(report.mer)}, ${report.flagged.length} campaign${report.flagged.length === 1 ? '' : 's'} losing money`,
      text: paidMediaMessage(report, settings, narrative.text),
      kind: 'note',
    }),
    nothingLine: `No ad spend recorded for ${report.day} on any platform.`,
  });
  let signals = 0;
  if (report.spend > 0) {
    const emitted = await context.signals.emit(
      'paid_media_daily',
      {
        day: report.day,
        spend: report.spend,
        revenue: report.shopifyRevenue,
        mer: report.mer,
        by_platform: report.platforms.map((row) => ({ platform: row.platform, spend: row.spend, roas: row.roas, cpa: row.cpa })),
      },
      { severity: 'info', dedupeKey: `paid_media_daily:${report.day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  const approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }> = [];
  for (const campaign of report.flagged) {
    const emitted = await context.signals.emit(
      'roas_below_floor',
      {
        platform: campaign.platform,
        campaign_id: campaign.campaign_id,
        campaign: campaign.campaign,
        roas_3d: campaign.roas_3d,
        floor: campaign.floor,
        spend_3d: campaign.spend_3d,
        cpa_3d: campaign.cpa_3d,
        rules: campaign.rules,
      },
      { severity: 'warning', dedupeKey: `roas_below_floor:${campaign.platform}:${campaign.campaign_id}:${report.day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
    const newBudget = Math.max(1, Math.round(campaign.daily_budget * (1 - settings.PAID_BUDGET_CUT_PCT / 100)));
    const { approval, created } = await context.approvals.request({
      action: adjustCampaignBudget,
      title: `Cut ${campaign.platform} "${campaign.campaign}" to ${usd(newBudget)}/day (ROAS ${campaign.roas_3d.toFixed(2)} < ${campaign.floor.toFixed(1)} for ${settings.PAID_ROAS_DAYS} days)`,
      draft: {
        platform: campaign.platform,
        campaign_id: campaign.campaign_id,
        campaign: campaign.campaign,
        current_daily_budget: campaign.daily_budget,
        new_daily_budget: newBudget,
        reason: `ROAS ${campaign.roas_3d.toFixed(2)} under the ${campaign.floor.toFixed(1)} floor for ${settings.PAID_ROAS_DAYS} days on ${usd(campaign.spend_3d)} spend (CPA ${usd(campaign.cpa_3d)})`,
        source: 'paid-media-daily',
      },
      signalId: emitted.id,
      // Per campaign and budget: tomorrow's repeat finds this approval; after a cut a new one may be asked.
      requestKey: `paid-media-daily:${campaign.platform}:${campaign.campaign_id}:${campaign.daily_budget}`,
    });
    approvals.push({ campaign_id: campaign.campaign_id, approval_id: approval.id, created });
  }
  context.log.info({ day: report.day, spend: report.spend, flagged: report.flagged.length, narrative: narrative.called }, 'paid media daily');
  return { outcome, report, narrative, modelInput, approvals, signals };
}

/** mktgbot's paid-media-daily: daily 07:00 (fleet time zone). */
export const paidMediaDaily = defineJob({
  id: 'paid-media-daily',
  schedule: '0 7 * * *',
  description:
    'Yesterday across the five ad platforms: spend, revenue, ROAS, CPA, MER → paid_media_daily (info); campaigns under their ROAS floor → roas_below_floor + adjust_campaign_budget',
  timeoutMs: 300_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: paidMediaDailySettings,
  async run(context) {
    const { outcome, report, narrative, modelInput, approvals, signals } = await runPaidMediaDaily(context, context.config);
    const fresh = approvals.filter((approval) => approval.created).length;
    return jobOutcome(
      `${outcome.outcome}${approvals.length === 0 ? '' : `; adjust_campaign_budget asked for ${fresh} (${approvals.length - fresh} already asked)`}`,
      {
        ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
        detail: {
          ...outcome.detail,
          day: report.day,
          flagged: report.flagged.length,
          signals,
          approvals,
          modelInput,
          narrative: narrative.text,
          modelCalled: narrative.called,
        },
      },
    );
  },
});
