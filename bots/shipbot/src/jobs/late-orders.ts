import {
  defineJob,
  envInteger,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
  type SettingsOf,
} from '@jbot/core';
import type { Connectors, Order } from '@jbot/connectors';
import { addDays, businessHoursBetween, localDay } from '../company-day.js';

/** late-orders' thresholds (catalogue defaults). */
export const lateOrdersSettings = envSettings({
  /** A DTC order unshipped for longer than this many business hours is late. */
  SHIP_LATE_DTC_BUSINESS_HOURS: envInteger(48, 1, 720),
  /** From this many late orders a channel's signal is an alert. */
  SHIP_LATE_ALERT_COUNT: envInteger(25, 1, 100_000),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type LateOrdersConfig = SettingsOf<typeof lateOrdersSettings>;

/** An order that should have shipped. */
export interface LateOrder {
  id: string;
  channel: 'dtc' | 'wholesale';
  customerName: string;
  accountId: string | null;
  createdAt: string;
  /** Hours since it was placed (wall clock). */
  ageHours: number;
  businessHours: number;
  /** YYYY-MM-DD ship date promised (wholesale window end), if any. */
  promised: string | null;
  backordered: boolean;
  why: string;
}

// Orders deliberately stopped (a fraud hold, a cancellation) are not late.
const STOPPED = new Set(['on_hold', 'cancelled', 'fulfilled']);

/**
 * The catalogue's rules: a DTC order unshipped past `SHIP_LATE_DTC_BUSINESS_HOURS` business hours
 * or its promised date; a wholesale order whose window ends before tomorrow, unshipped.
 */
export function findLateOrders(orders: readonly Order[], now: Date, config: LateOrdersConfig): LateOrder[] {
  const today = localDay(now, config.FLEET_TZ);
  const tomorrow = addDays(today, 1);
  const late: LateOrder[] = [];
  for (const order of orders) {
    if (STOPPED.has(order.fulfillmentStatus)) continue;
    const created = new Date(order.createdAt);
    const ageHours = Math.max(0, Math.floor((now.getTime() - created.getTime()) / 3_600_000));
    const businessHours = Math.floor(businessHoursBetween(created, now, config.FLEET_TZ));
    let why: string | null = null;
    if (order.channel === 'wholesale') {
      if (order.promisedShipDate !== null && order.promisedShipDate < tomorrow) why = `ship window ended ${order.promisedShipDate}`;
    } else if (order.promisedShipDate !== null && order.promisedShipDate < today) why = `promised ${order.promisedShipDate}`;
    else if (businessHours > config.SHIP_LATE_DTC_BUSINESS_HOURS) why = `${businessHours} business hours unshipped${order.backordered ? ' (backordered)' : ''}`;
    if (why === null) continue;
    late.push({
      id: order.id,
      channel: order.channel,
      customerName: order.customerName,
      accountId: order.accountId,
      createdAt: order.createdAt,
      ageHours,
      businessHours,
      promised: order.promisedShipDate,
      backordered: order.backordered,
      why,
    });
  }
  return late.sort((left, right) => left.channel.localeCompare(right.channel) || right.ageHours - left.ageHours || left.id.localeCompare(right.id));
}

/** The open orders that are late now. */
export async function lateOrdersNow(connectors: Pick<Connectors, 'commerce'>, now: Date, config: LateOrdersConfig): Promise<LateOrder[]> {
  return findLateOrders(await connectors.commerce.listOrders({ openOnly: true }), now, config);
}

/** The #ship-bot list, wholesale first. */
export function lateOrdersMessage(late: readonly LateOrder[]) {
  const wholesale = late.filter((order) => order.channel === 'wholesale');
  const dtc = late.filter((order) => order.channel === 'dtc');
  const line = (order: LateOrder) => `• ${order.id} ${order.customerName} — placed ${order.ageHours} h ago; ${order.why}`;
  return {
    kind: 'report',
    title: `Late orders: ${late.length} unshipped past their promise`,
    text: [
      ...(wholesale.length === 0 ? [] : [`**Wholesale** (${wholesale.length})`, ...wholesale.map(line), '']),
      ...(dtc.length === 0 ? [] : [`**DTC** (${dtc.length})`, ...dtc.map(line)]),
    ].join('\n'),
    severity: wholesale.length > 0 ? ('alert' as const) : ('warning' as const),
  };
}

/**
 * Run late-orders once: one `late_orders` signal per channel with late orders (alert at the
 * count threshold, or any wholesale PO), the list posted only when the set changed. Each
 * channel's dedupe key carries its own set's fingerprint, so a set that persists all day is one
 * signal, not thirteen, and a new DTC order does not repeat the wholesale alert.
 */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runLateOrders(context: BotContext & JobRunInfo, config: LateOrdersConfig, now = new Date()) {
  const late = await lateOrdersNow(context.connectors, now, config);
  const outcome = await reportFindings(context, {
    findings: late.map((order) => [order.id, order.why.startsWith('ship window') || order.why.startsWith('promised') ? order.why : 'overdue']),
    noun: 'late order',
    message: () => lateOrdersMessage(late),
    nothingLine: `Every open order is inside its promise (DTC within ${config.SHIP_LATE_DTC_BUSINESS_HOURS} business hours, wholesale inside its window).`,
  });
  for (const channel of ['wholesale', 'dtc'] as const) {
    const orders = late.filter((order) => order.channel === channel);
    if (orders.length === 0) continue;
    const alert = channel === 'wholesale' || orders.length >= config.SHIP_LATE_ALERT_COUNT;
    await context.signals.emit(
      'late_orders',
      {
        channel,
        count: orders.length,
        orders: orders.map((order) => ({ id: order.id, age_hours: order.ageHours, promised: order.promised })),
        wholesale_pos: channel === 'wholesale' ? orders.map((order) => order.id) : [],
      },
      {
        severity: alert ? 'alert' : 'warning',
        dedupeKey: `late_orders:${channel}:${fingerprintOf(orders.map((order) => order.id))}`,
        dedupeWindowMs: 20 * 3_600_000,
      },
    );
  }
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, orders: late.map((order) => order.id) },
  });
}

/** shipbot's late-orders: hourly 08:00–20:00 (fleet time zone). */
export const lateOrdersJob = defineJob({
  id: 'late-orders',
  schedule: '0 8-20 * * *',
  description: 'Orders past their ship promise: DTC past 48 business hours or its promised date, wholesale past its window → late_orders',
  timeoutMs: 120_000,
  // Hourly: the next tick covers a missed one.
  overlap: 'skip',
  missed: 'skip',
  settings: lateOrdersSettings,
  run: (context) => runLateOrders(context, context.config),
});
