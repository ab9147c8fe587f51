import type { BotContext } from '@jbot/core';
import { dealStageLabel } from '@jbot/connectors';
import type { forecastGap } from '../signals.js';
import { localDay } from '../jobs/deal-hygiene.js';
import { forecastQuarter, weeklyForecastSettings } from '../jobs/weekly-forecast.js';

const money = (amount: number | null) => (amount === null ? 'no amount' : `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`);

/**
 * The answer to a reply on forecast_gap: the quarter recomputed now, the deals that would close
 * the gap (largest weighted first, with owners) and the slipped ones to pull back in.
 */
export async function answerForecastGap(payload: ReturnType<typeof forecastGap.schema.parse>, context: BotContext): Promise<string> {
  const settings = weeklyForecastSettings.load({});
  const zone = typeof context.config['FLEET_TZ'] === 'string' ? context.config['FLEET_TZ'] : settings.FLEET_TZ;
  const now = new Date();
  const forecast = await forecastQuarter(context.connectors, localDay(now, zone), now, {
    minCoverage: settings.SALES_FORECAST_MIN_COVERAGE,
    minWeightedPct: settings.SALES_FORECAST_MIN_WEIGHTED_PCT,
  });
  const still = Math.max(forecast.target - forecast.won, 0);
  const state = `${forecast.quarter}: ${money(forecast.won)} won of ${money(forecast.target)}, ${money(still)} to go; weighted ${money(forecast.weighted)} (was ${money(payload.weighted)} at the alert).`;
  const push = forecast.top_deals.map((deal) => `${deal.name} — ${deal.owner}, ${money(deal.amount)} at ${dealStageLabel(deal.stage)}`).join('; ');
  // The deals that slipped in the alert's week (the recomputed week may have moved on), with their close date now.
  const closeNow = new Map((await context.connectors.crm.listDeals()).map((deal) => [deal.id, deal]));
  const slipped = payload.slipped
    .map((deal) => `${deal.name} (${closeNow.get(deal.deal_id)?.ownerName ?? 'Unassigned'}, closing ${closeNow.get(deal.deal_id)?.closeDate ?? deal.to})`)
    .join('; ');
  return [state, push === '' ? 'No open deal closes this quarter.' : `Push these to close: ${push}.`, slipped === '' ? '' : `Pull back in: ${slipped}.`]
    .filter((part) => part !== '')
    .join(' ');
}
