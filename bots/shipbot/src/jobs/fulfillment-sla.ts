import {
  defineJob,
  envInteger,
  envNumber,
  envSettings,
  jobOutcome,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
  type SettingsOf,
} from '@jbot/core';
import type { Connectors, ShipmentConfirmation } from '@jbot/connectors';
import { addDays, localDay, zonedInstant } from '../company-day.js';

/** fulfillment-sla's targets (catalogue defaults). */
export const fulfillmentSlaSettings = envSettings({
  /** Orders placed before this local hour must ship the same day. */
  SHIP_SLA_CUTOFF_HOUR: envInteger(14, 0, 23),
  SHIP_SLA_SAME_DAY_RATE: envNumber(0.95, 0),
  /** A backlog above this many days of average volume is a miss. */
  SHIP_SLA_BACKLOG_DAYS: envNumber(1, 0),
  SHIP_SLA_MIS_SHIP_RATE: envNumber(0.005, 0),
  /** Days of history in the scorecard (and the average volume). */
  SHIP_SLA_WINDOW_DAYS: envInteger(7, 1, 90),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type FulfillmentSlaConfig = SettingsOf<typeof fulfillmentSlaSettings>;

/** One warehouse's day. */
export interface SlaDay {
  day: string;
  location: string;
  orders: number;
  beforeCutoff: number;
  shippedSameDay: number;
  sameDayRate: number;
  /** Orders placed by the cutoff (that day or earlier) still unshipped at the end of the day. */
  backlogOrders: number;
  shipped: number;
  misShips: number;
  misShipRate: number;
}

/** Yesterday's result for one warehouse, with what it missed. */
export interface SlaScore extends SlaDay {
  averageDailyOrders: number;
  misses: Array<'same_day' | 'backlog' | 'mis_ship'>;
}

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;

/** A warehouse's day from its confirmations, in the company's zone. */
export function scoreDay(confirmations: readonly ShipmentConfirmation[], location: string, day: string, config: FulfillmentSlaConfig): SlaDay {
  const zone = config.FLEET_TZ;
  const endOfDay = zonedInstant(addDays(day, 1), 0, zone).getTime();
  const cutoff = zonedInstant(day, config.SHIP_SLA_CUTOFF_HOUR * 60, zone).getTime();
  const here = confirmations.filter((confirmation) => confirmation.location === location);
  const placed = here.filter((confirmation) => localDay(new Date(confirmation.orderedAt), zone) === day);
  const early = placed.filter((confirmation) => Date.parse(confirmation.orderedAt) < cutoff);
  const sameDay = early.filter((confirmation) => confirmation.shippedAt !== null && Date.parse(confirmation.shippedAt) < endOfDay);
  const backlog = here.filter(
    (confirmation) => Date.parse(confirmation.orderedAt) < cutoff && (confirmation.shippedAt === null || Date.parse(confirmation.shippedAt) >= endOfDay),
  );
  const shipped = here.filter((confirmation) => confirmation.shippedAt !== null && localDay(new Date(confirmation.shippedAt), zone) === day);
  const misShips = shipped.filter((confirmation) => confirmation.misShip).length;
  return {
    day,
    location,
    orders: placed.length,
    beforeCutoff: early.length,
    shippedSameDay: sameDay.length,
    sameDayRate: early.length === 0 ? 1 : round(sameDay.length / early.length),
    backlogOrders: backlog.length,
    shipped: shipped.length,
    misShips,
    misShipRate: shipped.length === 0 ? 0 : round(misShips / shipped.length, 4),
  };
}

/** The scorecard: each warehouse's last `SHIP_SLA_WINDOW_DAYS` days, newest first, and yesterday scored. */
export async function scoreFulfilment(connectors: Pick<Connectors, 'warehouse'>, config: FulfillmentSlaConfig, now: Date) {
  const today = localDay(now, config.FLEET_TZ);
  const yesterday = addDays(today, -1);
  const windowStart = addDays(today, -config.SHIP_SLA_WINDOW_DAYS);
  const confirmations = await connectors.warehouse.listShipmentConfirmations(zonedInstant(windowStart, 0, config.FLEET_TZ));
  const locations = [...new Set(confirmations.map((confirmation) => confirmation.location))].sort();
  const days = Array.from({ length: config.SHIP_SLA_WINDOW_DAYS }, (_, index) => addDays(yesterday, -index));
  const history = locations.map((location) => days.map((day) => scoreDay(confirmations, location, day, config)));
  const scores: SlaScore[] = history.flatMap((rows) => {
    const [latest] = rows;
    if (latest === undefined || latest.orders === 0) return [];
    const averageDailyOrders = round(rows.reduce((sum, row) => sum + row.orders, 0) / rows.length, 1);
    const misses: SlaScore['misses'] = [];
    if (latest.sameDayRate < config.SHIP_SLA_SAME_DAY_RATE) misses.push('same_day');
    if (latest.backlogOrders > averageDailyOrders * config.SHIP_SLA_BACKLOG_DAYS) misses.push('backlog');
    if (latest.misShipRate > config.SHIP_SLA_MIS_SHIP_RATE) misses.push('mis_ship');
    return [{ ...latest, averageDailyOrders, misses }];
  });
  return { yesterday, scores, history };
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** The #ship-bot scorecard: yesterday per warehouse, then the week's same-day rates. */
export function scorecardMessage(result: Awaited<ReturnType<typeof scoreFulfilment>>, config: FulfillmentSlaConfig) {
  const lines = result.scores.map(
    (score) =>
      `• ${score.misses.length > 0 ? '🟠' : '🟢'} ${score.location}: ${score.shippedSameDay}/${score.beforeCutoff} same-day (${percent(score.sameDayRate)}, target ${percent(config.SHIP_SLA_SAME_DAY_RATE)}), backlog ${score.backlogOrders} (avg ${score.averageDailyOrders}/day), mis-ships ${score.misShips}/${score.shipped} (${percent(score.misShipRate)})${score.misses.length > 0 ? ` — missed: ${score.misses.join(', ')}` : ''}`,
  );
  const week = result.history.map((rows) => `${rows[0]?.location ?? '?'} same-day, newest first: ${rows.map((row) => percent(row.sameDayRate)).join(' · ')}`);
  return {
    kind: 'report',
    title: `Fulfilment SLA ${result.yesterday}: ${result.scores.filter((score) => score.misses.length > 0).length} of ${result.scores.length} warehouses missed`,
    text: [...lines, '', ...week].join('\n'),
    severity: result.scores.some((score) => score.misses.length > 0) ? ('warning' as const) : ('info' as const),
  };
}

/** Run fulfillment-sla once: the scorecard for yesterday, `fulfilment_sla_miss` per warehouse that missed. */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runFulfillmentSla(context: BotContext & JobRunInfo, config: FulfillmentSlaConfig, now = new Date()) {
  const result = await scoreFulfilment(context.connectors, config, now);
  for (const score of result.scores.filter((candidate) => candidate.misses.length > 0)) {
    await context.signals.emit(
      'fulfilment_sla_miss',
      { day: score.day, location: score.location, same_day_rate: score.sameDayRate, backlog_orders: score.backlogOrders, mis_ship_rate: score.misShipRate },
      { severity: 'warning', dedupeKey: `fulfilment_sla_miss:${score.location}:${score.day}`, dedupeWindowMs: 36 * 3_600_000 },
    );
  }
  const outcome = await reportFindings(context, {
    // The scorecard is the daily report: one post per day (the day is in the finding set).
    findings: result.scores.map((score) => [score.day, score.location, score.sameDayRate, score.backlogOrders, score.misShips, score.misses]),
    noun: 'warehouse scorecard',
    message: () => scorecardMessage(result, config),
    nothingLine: `No shipment confirmations from the warehouses for ${result.yesterday}.`,
  });
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, missed: result.scores.filter((score) => score.misses.length > 0).map((score) => score.location) },
  });
}

/** shipbot's fulfillment-sla: daily 07:00 (fleet time zone), yesterday's warehouse performance. */
export const fulfillmentSla = defineJob({
  id: 'fulfillment-sla',
  schedule: '0 7 * * *',
  description: "Yesterday's same-day ship rate vs the 14:00 cutoff, backlog and mis-ships per warehouse → fulfilment_sla_miss",
  timeoutMs: 120_000,
  missed: 'once',
  settings: fulfillmentSlaSettings,
  run: (context) => runFulfillmentSla(context, context.config),
});
