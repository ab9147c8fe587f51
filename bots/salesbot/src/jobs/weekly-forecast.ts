import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { dealStageLabel, type Connectors } from '@jbot/connectors';
import { localDay } from './deal-hygiene.js';
import { isoWeek } from './hubspot-sync.js';
import { quarterOf } from './local-time.js';

const DAY_MS = 86_400_000;

/** The job's settings: the catalogue's gap rule (coverage < 3×, or weighted < 90% of the remaining target). */
export const weeklyForecastSettings = envSettings({
  SALES_FORECAST_MIN_COVERAGE: envNumber(3, 0),
  SALES_FORECAST_MIN_WEIGHTED_PCT: envInteger(90, 1, 1000),
  FLEET_TZ: timeZone('UTC'),
});

/** A deal whose close date moved out of the quarter last week. */
export interface SlippedDeal {
  deal_id: string;
  name: string;
  owner: string;
  amount: number | null;
  from: string;
  to: string;
}

/** The Monday forecast for the current quarter. */
export interface QuarterForecast {
  quarter: string;
  start: string;
  end: string;
  target: number;
  won: number;
  /** Open deals closing in the quarter. */
  open_pipeline: number;
  weighted: number;
  /** Open pipeline ÷ (target − won); null when the target is already met. */
  coverage_ratio: number | null;
  gap: boolean;
  reasons: string[];
  slipped: SlippedDeal[];
  /** The open in-quarter deals by weighted value, largest first (what closes the gap). */
  top_deals: Array<{ deal_id: string; name: string; owner: string; stage: string; amount: number; probability: number }>;
}

/**
 * The forecast, deterministically: weighted = Σ amount × stage probability over open deals
 * closing in the quarter; coverage = open pipeline ÷ (target − won); a gap when coverage is under
 * the minimum or weighted under the percentage of the remaining target; slipped = close date
 * moved from inside the quarter to after it in the last 7 days.
 */
export async function forecastQuarter(
  connectors: Pick<Connectors, 'crm'>,
  today: string,
  now: Date,
  settings: { minCoverage: number; minWeightedPct: number },
): Promise<QuarterForecast> {
  const quarter = quarterOf(today);
  const [deals, stages, goals, history] = await Promise.all([
    connectors.crm.listDeals(),
    connectors.crm.listDealStages(),
    connectors.crm.listRevenueGoals(),
    connectors.crm.listDealHistory({ since: new Date(now.getTime() - 7 * DAY_MS) }),
  ]);
  const probability = new Map(stages.map((stage) => [stage.id, stage.probability]));
  const inQuarter = (day: string | null) => day !== null && day >= quarter.start && day <= quarter.end;
  const target = goals.filter((goal) => goal.startsOn <= quarter.end && goal.endsOn >= quarter.start).reduce((sum, goal) => sum + goal.target, 0);
  const won = deals
    .filter((deal) => deal.isClosedWon && inQuarter(deal.closedAt?.slice(0, 10) ?? deal.closeDate))
    .reduce((sum, deal) => sum + (deal.amount ?? 0), 0);
  const open = deals.filter((deal) => !deal.isClosed && inQuarter(deal.closeDate));
  const openPipeline = open.reduce((sum, deal) => sum + (deal.amount ?? 0), 0);
  const weightedOf = (deal: (typeof open)[number]) => (deal.amount ?? 0) * (probability.get(deal.stage) ?? 0);
  const weighted = Math.round(open.reduce((sum, deal) => sum + weightedOf(deal), 0));
  const remaining = Math.max(target - won, 0);
  const coverage = remaining === 0 ? null : Math.round((openPipeline / remaining) * 100) / 100;
  const reasons = [
    ...(coverage !== null && coverage < settings.minCoverage ? [`coverage ${coverage.toFixed(2)}× is under ${settings.minCoverage}×`] : []),
    ...(remaining > 0 && weighted < (remaining * settings.minWeightedPct) / 100
      ? [`weighted ${money(weighted)} is under ${settings.minWeightedPct}% of the ${money(remaining)} still to win`]
      : []),
  ];
  const byId = new Map(deals.map((deal) => [deal.id, deal]));
  const slipped = history
    .filter(
      (change) =>
        change.property === 'closedate' && change.previous !== null && change.value !== null && inQuarter(change.previous) && change.value > quarter.end,
    )
    .flatMap((change): SlippedDeal[] => {
      const deal = byId.get(change.dealId);
      return deal === undefined || deal.isClosed
        ? []
        : [
            {
              deal_id: deal.id,
              name: deal.name,
              owner: deal.ownerName ?? 'Unassigned',
              amount: deal.amount,
              from: change.previous ?? '',
              to: change.value ?? '',
            },
          ];
    })
    .sort((left, right) => (right.amount ?? 0) - (left.amount ?? 0) || left.name.localeCompare(right.name));
  const top = [...open]
    .sort((left, right) => weightedOf(right) - weightedOf(left) || left.name.localeCompare(right.name))
    .slice(0, 5)
    .map((deal) => ({
      deal_id: deal.id,
      name: deal.name,
      owner: deal.ownerName ?? 'Unassigned',
      stage: deal.stage,
      amount: deal.amount ?? 0,
      probability: probability.get(deal.stage) ?? 0,
    }));
  return {
    quarter: quarter.label,
    start: quarter.start,
    end: quarter.end,
    target,
    won,
    open_pipeline: openPipeline,
    weighted,
    coverage_ratio: coverage,
    gap: reasons.length > 0,
    reasons,
    slipped,
    top_deals: top,
  };
}

const money = (amount: number | null) => (amount === null ? 'no amount' : `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`);

/** The Monday post. */
export function forecastMessage(forecast: QuarterForecast): string {
  return [
    `Target ${money(forecast.target)} · won ${money(forecast.won)} · open in quarter ${money(forecast.open_pipeline)} · weighted ${money(forecast.weighted)} · coverage ${forecast.coverage_ratio === null ? 'target met' : `${forecast.coverage_ratio.toFixed(2)}×`}`,
    forecast.gap ? `**Gap:** ${forecast.reasons.join('; ')}.` : 'On track: coverage and weighted pipeline clear the bar.',
    ...(forecast.slipped.length === 0
      ? []
      : [
          '',
          '**Slipped out of the quarter last week**',
          ...forecast.slipped.map((deal) => `• ${deal.name} (${deal.owner}, ${money(deal.amount)}): close ${deal.from} → ${deal.to}`),
        ]),
    ...(forecast.top_deals.length === 0
      ? []
      : [
          '',
          '**Largest weighted deals this quarter**',
          ...forecast.top_deals.map(
            (deal) => `• ${deal.name} (${deal.owner}): ${money(deal.amount)} at ${dealStageLabel(deal.stage)} (${Math.round(deal.probability * 100)}%)`,
          ),
        ]),
  ].join('\n');
}

/** Run weekly-forecast once: the post, and `forecast_gap` (warning) when the quarter is short. */
export async function runWeeklyForecast(context: BotContext & JobRunInfo, settings = weeklyForecastSettings.load({}), now = new Date()) {
  const today = localDay(now, settings.FLEET_TZ);
  const forecast = await forecastQuarter(context.connectors, today, now, {
    minCoverage: settings.SALES_FORECAST_MIN_COVERAGE,
    minWeightedPct: settings.SALES_FORECAST_MIN_WEIGHTED_PCT,
  });
  const outcome = await reportFindings(context, {
    findings: [forecast],
    noun: 'quarter forecast',
    message: () => ({ title: `Forecast ${forecast.quarter}: ${forecast.gap ? 'gap' : 'on track'}`, text: forecastMessage(forecast), kind: 'note' }),
  });
  let signalId: string | null = null;
  if (forecast.gap) {
    const emitted = await context.signals.emit(
      'forecast_gap',
      {
        quarter: forecast.quarter,
        target: forecast.target,
        won: forecast.won,
        weighted: forecast.weighted,
        coverage_ratio: forecast.coverage_ratio ?? 0,
        slipped: forecast.slipped.map((deal) => ({ deal_id: deal.deal_id, name: deal.name, amount: deal.amount, from: deal.from, to: deal.to })),
      },
      // One gap line a week: a rerun the same Monday repeats nothing.
      { dedupeKey: `forecast-gap:${forecast.quarter}:${isoWeek(now)}`, dedupeWindowMs: 7 * DAY_MS },
    );
    signalId = emitted.id;
  }
  return { outcome, forecast, signalId };
}

/** salesbot's weekly-forecast: Mondays 07:45 (fleet time zone). */
export const weeklyForecast = defineJob({
  id: 'weekly-forecast',
  schedule: '45 7 * * 1',
  description: 'Monday forecast: weighted pipeline vs the quarter target, coverage, slipped deals → forecast_gap',
  timeoutMs: 180_000,
  // A weekly report: a missed Monday catches up once.
  missed: 'once',
  settings: weeklyForecastSettings,
  async run(context) {
    const { outcome, forecast, signalId } = await runWeeklyForecast(context, context.config);
    return jobOutcome(`${outcome.outcome}${forecast.gap ? '; forecast_gap raised' : ''}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, gap: forecast.gap, signalId },
    });
  },
});
