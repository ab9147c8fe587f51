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
import type { Connectors, ParcelShipment } from '@jbot/connectors';
import { addDays, localDay } from '../company-day.js';

/** shipping-cost-watch's rules (catalogue defaults). */
export const shippingCostSettings = envSettings({
  /** A label costing this much more than the customer paid for shipping is a leak… */
  SHIP_COST_LEAK_USD: envNumber(8, 0),
  /** …on an order under this total. */
  SHIP_COST_LEAK_MAX_ORDER_USD: envNumber(60, 0),
  SHIP_COST_SURCHARGE_RISE: envNumber(0.25, 0),
  SHIP_COST_PER_ORDER_RISE: envNumber(0.1, 0),
  SHIP_COST_BASELINE_DAYS: envInteger(28, 2, 365),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type ShippingCostConfig = SettingsOf<typeof shippingCostSettings>;

// Services faster than ground: a ground-paid order shipped on one of these is a margin leak.
const EXPEDITED = /priority|express|next ?day|2nd ?day|overnight|air/i;

/** What the postage cost, and where it leaked. */
export interface ShippingCostReport {
  day: string;
  costPerOrder: number;
  baseline: number;
  surchargeShareThisWeek: number;
  surchargeShareLastWeek: number;
  leaks: Array<{ orderId: string; loss: number; why: string }>;
  findings: string[];
}

const cost = (parcel: ParcelShipment) => parcel.rate + parcel.fees.reduce((sum, fee) => sum + fee.amount, 0);
const surcharges = (parcels: readonly ParcelShipment[]) => parcels.reduce((sum, parcel) => sum + parcel.fees.reduce((total, fee) => total + fee.amount, 0), 0);
const money = (value: number) => Math.round(value * 100) / 100;

/** The catalogue's rules over the baseline window of labels, for yesterday. */
export function costReport(parcels: readonly ParcelShipment[], now: Date, config: ShippingCostConfig): ShippingCostReport {
  const today = localDay(now, config.FLEET_TZ);
  const yesterday = addDays(today, -1);
  const dayOf = (parcel: ParcelShipment) => localDay(new Date(parcel.createdAt), config.FLEET_TZ);
  const recent = parcels.filter((parcel) => dayOf(parcel) === yesterday);
  const window = parcels.filter((parcel) => dayOf(parcel) < today);
  const average = (list: readonly ParcelShipment[]) => (list.length === 0 ? 0 : money(list.reduce((sum, parcel) => sum + cost(parcel), 0) / list.length));
  const leaks: ShippingCostReport['leaks'] = [];
  for (const parcel of window) {
    if (parcel.shippingCharged === null || parcel.orderTotal === null) continue;
    const loss = money(cost(parcel) - parcel.shippingCharged);
    if (parcel.orderTotal < config.SHIP_COST_LEAK_MAX_ORDER_USD && loss > config.SHIP_COST_LEAK_USD)
      leaks.push({
        orderId: parcel.orderId,
        loss,
        why: `label $${cost(parcel).toFixed(2)} vs $${parcel.shippingCharged.toFixed(2)} charged on a $${parcel.orderTotal.toFixed(2)} order`,
      });
    else if (parcel.paidService === 'ground' && EXPEDITED.test(parcel.service))
      leaks.push({ orderId: parcel.orderId, loss, why: `shipped ${parcel.carrier} ${parcel.service} on a ground-paid order` });
  }
  const thisWeek = window.filter((parcel) => dayOf(parcel) > addDays(today, -8));
  const lastWeek = window.filter((parcel) => dayOf(parcel) <= addDays(today, -8) && dayOf(parcel) > addDays(today, -15));
  const share = (list: readonly ParcelShipment[]) => {
    const total = list.reduce((sum, parcel) => sum + cost(parcel), 0);
    return total === 0 ? 0 : Math.round((surcharges(list) / total) * 1000) / 1000;
  };
  const report: ShippingCostReport = {
    day: yesterday,
    costPerOrder: average(recent),
    baseline: average(window),
    surchargeShareThisWeek: share(thisWeek),
    surchargeShareLastWeek: share(lastWeek),
    leaks: leaks.sort((left, right) => right.loss - left.loss || left.orderId.localeCompare(right.orderId)),
    findings: [],
  };
  if (report.baseline > 0 && report.costPerOrder > report.baseline * (1 + config.SHIP_COST_PER_ORDER_RISE))
    report.findings.push(`postage per order $${report.costPerOrder.toFixed(2)} vs $${report.baseline.toFixed(2)} over ${config.SHIP_COST_BASELINE_DAYS} days`);
  if (report.surchargeShareLastWeek > 0 && report.surchargeShareThisWeek > report.surchargeShareLastWeek * (1 + config.SHIP_COST_SURCHARGE_RISE))
    report.findings.push(
      `surcharges ${(report.surchargeShareThisWeek * 100).toFixed(1)}% of postage this week vs ${(report.surchargeShareLastWeek * 100).toFixed(1)}% last week`,
    );
  return report;
}

/** Labels of the baseline window, reported. */
export async function watchShippingCost(connectors: Pick<Connectors, 'parcel'>, config: ShippingCostConfig, now: Date): Promise<ShippingCostReport> {
  const parcels = await connectors.parcel.listShipments(new Date(now.getTime() - (config.SHIP_COST_BASELINE_DAYS + 1) * 86_400_000));
  return costReport(parcels, now, config);
}

/** Run shipping-cost-watch once: `shipping_cost_variance` (warning past the per-order rise), the leaks posted on change. */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runShippingCostWatch(context: BotContext & JobRunInfo, config: ShippingCostConfig, now = new Date()) {
  const report = await watchShippingCost(context.connectors, config, now);
  const rising = report.findings.some((finding) => finding.startsWith('postage per order'));
  if (report.leaks.length > 0 || report.findings.length > 0)
    await context.signals.emit(
      'shipping_cost_variance',
      {
        day: report.day,
        cost_per_order: report.costPerOrder,
        baseline: report.baseline,
        leaks: report.leaks.map((leak) => ({ order_id: leak.orderId, loss: leak.loss })),
      },
      { severity: rising ? 'warning' : 'info', dedupeKey: `shipping_cost_variance:${report.day}`, dedupeWindowMs: 36 * 3_600_000 },
    );
  const outcome = await reportFindings(context, {
    findings: [...report.findings, ...report.leaks.map((leak) => `${leak.orderId}:${leak.loss}`)],
    noun: 'shipping cost finding',
    message: () => ({
      kind: 'report',
      title: `Shipping cost ${report.day}: $${report.costPerOrder.toFixed(2)} per order (baseline $${report.baseline.toFixed(2)}), ${report.leaks.length} leak${report.leaks.length === 1 ? '' : 's'}`,
      text: [
        ...report.findings.map((finding) => `• ${finding}`),
        ...report.leaks.map((leak) => `• ${leak.orderId} lost $${leak.loss.toFixed(2)}: ${leak.why}`),
      ].join('\n'),
      severity: rising ? 'warning' : 'info',
    }),
    nothingLine: `Postage $${report.costPerOrder.toFixed(2)} per order yesterday against $${report.baseline.toFixed(2)}; no label cost more than it should.`,
  });
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, costPerOrder: report.costPerOrder, baseline: report.baseline, leaks: report.leaks.length },
  });
}

/** shipbot's shipping-cost-watch: daily 08:30 (fleet time zone). */
export const shippingCostWatch = defineJob({
  id: 'shipping-cost-watch',
  schedule: '30 8 * * *',
  description:
    'Postage per order and margin leaks: labels far above what shipping charged, expedited on ground-paid orders, surcharges → shipping_cost_variance',
  timeoutMs: 120_000,
  missed: 'once',
  settings: shippingCostSettings,
  run: (context) => runShippingCostWatch(context, context.config),
});
