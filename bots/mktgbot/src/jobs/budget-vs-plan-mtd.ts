import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { AD_PLATFORMS, type AdPlatform, type CampaignDay, type MarketingPlanBudget } from '@jbot/connectors';
import { localDay, shiftDay, usd } from '../paid-media/local-day.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's thresholds as defaults. */
export const budgetVsPlanSettings = envSettings({
  FLEET_TZ: timeZone('UTC'),
  /** Projected month-end over plan by more than this → warning. */
  PAID_PLAN_OVER_PCT: envInteger(5, 0, 100),
  /** Projected under plan by more than this, after the given day of the month → info. */
  PAID_PLAN_UNDER_PCT: envInteger(15, 0, 100),
  PAID_PLAN_UNDER_AFTER_DAY: envInteger(10, 1, 28),
  /** Days of spend the run rate averages. */
  PAID_PLAN_RUN_RATE_DAYS: envInteger(7, 1, 28),
});

type BudgetVsPlanSettings = ReturnType<typeof budgetVsPlanSettings.load>;

/** One platform's month so far against its plan. */
export interface PlatformPacing {
  platform: AdPlatform;
  month: string;
  plan: number;
  mtd: number;
  run_rate: number;
  days_left: number;
  projected: number;
  variance_pct: number | null;
  /** over: warning; under: info; null: within the plan's band. */
  verdict: 'over' | 'under' | null;
  /** Brands driving it, largest variance first. */
  brands: Array<{ brand: string; plan: number; projected: number }>;
}

const round = (value: number) => Math.round(value * 100) / 100;
const daysInMonth = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();

/**
 * The catalogue's rule per platform: projected = month-to-date + the last N days' daily run rate
 * × the days left; over plan by > 5% → over; under by > 15% after day 10 → under. The month is
 * the month of `lastDay` (the last complete day), so the run on the 1st closes the month before.
 * Brand of each campaign comes from `brandOf`. Pure.
 */
export function projectAgainstPlan(
  days: readonly CampaignDay[],
  plan: readonly MarketingPlanBudget[],
  brandOf: ReadonlyMap<string, string>,
  lastDay: string,
  settings: BudgetVsPlanSettings,
): PlatformPacing[] {
  const month = `${lastDay.slice(0, 7)}-01`;
  const dayOfMonth = Number(lastDay.slice(8, 10));
  const daysLeft = daysInMonth(month) - dayOfMonth;
  const runFrom = shiftDay(lastDay, settings.PAID_PLAN_RUN_RATE_DAYS - 1);
  const result: PlatformPacing[] = [];
  for (const platform of AD_PLATFORMS) {
    const platformPlan = plan.filter((row) => row.platform === platform && row.month === month);
    if (platformPlan.length === 0) continue;
    const rows = days.filter((row) => row.platform === platform && row.day <= lastDay);
    const brandFigures = new Map<string, { plan: number; mtd: number; recent: number }>();
    for (const row of platformPlan) brandFigures.set(row.brand, { plan: row.budget, mtd: 0, recent: 0 });
    for (const row of rows) {
      const brand = brandOf.get(`${platform}:${row.campaignId}`) ?? 'HP';
      const figures = brandFigures.get(brand) ?? { plan: 0, mtd: 0, recent: 0 };
      if (row.day >= month) figures.mtd += row.spend;
      if (row.day >= runFrom) figures.recent += row.spend;
      brandFigures.set(brand, figures);
    }
    const brands = [...brandFigures.entries()].map(([brand, figures]) => ({
      brand,
      plan: round(figures.plan),
      projected: round(figures.mtd + (figures.recent / settings.PAID_PLAN_RUN_RATE_DAYS) * daysLeft),
      mtd: figures.mtd,
      recent: figures.recent,
    }));
    const planTotal = round(brands.reduce((sum, brand) => sum + brand.plan, 0));
    const mtd = round(brands.reduce((sum, brand) => sum + brand.mtd, 0));
    const runRate = round(brands.reduce((sum, brand) => sum + brand.recent, 0) / settings.PAID_PLAN_RUN_RATE_DAYS);
    const projected = round(mtd + runRate * daysLeft);
    const variance = planTotal === 0 ? null : round(((projected - planTotal) / planTotal) * 100);
    const verdict =
      variance === null
        ? null
        : variance > settings.PAID_PLAN_OVER_PCT
          ? 'over'
          : variance < -settings.PAID_PLAN_UNDER_PCT && dayOfMonth > settings.PAID_PLAN_UNDER_AFTER_DAY
            ? 'under'
            : null;
    result.push({
      platform,
      month,
      plan: planTotal,
      mtd,
      run_rate: runRate,
      days_left: daysLeft,
      projected,
      variance_pct: variance,
      verdict,
      brands: brands
        .map(({ brand, plan: brandPlan, projected: brandProjected }) => ({ brand, plan: brandPlan, projected: brandProjected }))
        .sort((left, right) => Math.abs(right.projected - right.plan) - Math.abs(left.projected - left.plan)),
    });
  }
  return result;
}

/** Run once: month-to-date spend by platform against the plan, the post on change, mktg_budget_variance per platform off plan. */
export async function runBudgetVsPlan(
  context: BotContext & JobRunInfo,
  settings = budgetVsPlanSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; platforms: PlatformPacing[]; signals: number }> {
  const { paidMedia } = context.connectors;
  const lastDay = localDay(new Date(now.getTime() - DAY_MS), settings.FLEET_TZ);
  const month = `${lastDay.slice(0, 7)}-01`;
  const from = [month, shiftDay(lastDay, settings.PAID_PLAN_RUN_RATE_DAYS - 1)].sort()[0] ?? month;
  const [days, plan, campaigns] = await Promise.all([
    paidMedia.dailyMetrics({ from, to: lastDay }),
    paidMedia.marketingPlan({ fromMonth: month, toMonth: month }),
    paidMedia.listCampaigns(),
  ]);
  const brandOf = new Map(campaigns.map((campaign) => [`${campaign.platform}:${campaign.id}`, campaign.brand ?? 'HP']));
  const platforms = projectAgainstPlan(days, plan, brandOf, lastDay, settings);
  const off = platforms.filter((row) => row.verdict !== null);
  const outcome = await reportFindings(context, {
    findings: off.map((row) => ({ platform: row.platform, month: row.month, verdict: row.verdict })),
    noun: 'platform off plan',
    message: () => ({
      title: `Marketing spend vs plan, ${month.slice(0, 7)} through ${lastDay}: ${off.length} platform${off.length === 1 ? '' : 's'} off plan`,
      text: [
        '| platform | plan | MTD | run rate/day | projected | vs plan |',
        '|---|---|---|---|---|---|',
        ...platforms.map(
          (row) =>
            `| ${row.platform} | ${usd(row.plan)} | ${usd(row.mtd)} | ${usd(row.run_rate)} | ${usd(row.projected)} | ${row.variance_pct === null ? '—' : `${row.variance_pct > 0 ? '+' : ''}${row.variance_pct.toFixed(1)}%`}${row.verdict === 'over' ? ' ⚠️' : row.verdict === 'under' ? ' ↓' : ''} |`,
        ),
        '',
        ...off.map(
          (row) =>
            `• ${row.platform} ${row.verdict === 'over' ? 'over' : 'under'} plan, mostly ${row.brands[0]?.brand ?? '?'} (plan ${usd(row.brands[0]?.plan ?? 0)}, projected ${usd(row.brands[0]?.projected ?? 0)})`,
        ),
      ].join('\n'),
      kind: 'note',
    }),
    nothingLine: `Every platform's projected ${month.slice(0, 7)} spend is within +${settings.PAID_PLAN_OVER_PCT}% / −${settings.PAID_PLAN_UNDER_PCT}% of plan.`,
  });
  let signals = 0;
  for (const row of off) {
    const emitted = await context.signals.emit(
      'mktg_budget_variance',
      { month: row.month, platform: row.platform, plan: row.plan, projected: row.projected, variance_pct: row.variance_pct ?? 0, mtd: row.mtd },
      {
        severity: row.verdict === 'over' ? 'warning' : 'info',
        dedupeKey: `mktg_budget_variance:${row.month}:${row.platform}:${row.verdict ?? ''}:${lastDay}`,
        dedupeWindowMs: DAY_MS,
      },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  context.log.info({ month, platforms: platforms.length, off: off.length, signals }, 'budget vs plan');
  return { outcome, platforms, signals };
}

/** mktgbot's budget-vs-plan-mtd: daily 07:30 (fleet time zone). */
export const budgetVsPlanMtd = defineJob({
  id: 'budget-vs-plan-mtd',
  schedule: '30 7 * * *',
  description:
    'Month-to-date marketing spend by platform vs the monthly plan, projected to month-end → mktg_budget_variance (over plan +5%: warning; under −15% after day 10: info)',
  timeoutMs: 180_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: budgetVsPlanSettings,
  async run(context) {
    const { outcome, signals } = await runBudgetVsPlan(context, context.config);
    return jobOutcome(`${outcome.outcome}${signals === 0 ? '' : `; ${signals} mktg_budget_variance raised`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals },
    });
  },
});
