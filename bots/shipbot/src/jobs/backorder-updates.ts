import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings, type BotContext, type JobRunInfo, type SettingsOf } from '@jbot/core';
import type { Connectors, Order } from '@jbot/connectors';
import { addDays, daysBetween, localDay } from '../company-day.js';
import { inboundFrom } from '../cover/project-cover.js';
import { inventoryCoverSettings } from './inventory-cover.js';
import { sendBackorderUpdates, type BackorderUpdatesDraft } from '../notices/send-backorder-updates.js';

/** backorder-updates' rules (catalogue defaults); the inbound arithmetic is inventory-cover's. */
export const backorderUpdatesSettings = envSettings({
  ...inventoryCoverSettings.shape,
  /** Tell the customer when the new date is at least this many days later than the last one told. */
  SHIP_BACKORDER_SLIP_DAYS: envInteger(3, 1, 365),
  /** Waiting longer than this, the customer is offered a cancellation and refund. */
  SHIP_BACKORDER_OFFER_CANCEL_DAYS: envInteger(21, 1, 365),
  /** A DTC order normally ships this many days after it is placed (the first date the customer was told). */
  SHIP_DTC_SHIP_DAYS: envInteger(2, 0, 30),
});

/** The parsed settings. */
export type BackorderUpdatesConfig = SettingsOf<typeof backorderUpdatesSettings>;

/** A backordered order whose ship date moved. */
export interface BackorderUpdate {
  order: Order;
  skus: string[];
  lastTold: string;
  newDate: string;
  slipDays: number;
  waitingDays: number;
  offerCancel: boolean;
}

/**
 * The new ship date per backordered order is the latest restock among its SKUs (freight and open
 * POs, plus receiving, as inventory-cover counts them); a customer is told when it is at least
 * `SHIP_BACKORDER_SLIP_DAYS` later than the date last told (the promised date, or placed + 2 days).
 */
export async function findBackorderUpdates(
  connectors: Pick<Connectors, 'commerce' | 'freight' | 'supply'>,
  config: BackorderUpdatesConfig,
  now: Date,
): Promise<BackorderUpdate[]> {
  const today = localDay(now, config.FLEET_TZ);
  const [orders, shipments, purchaseOrders] = await Promise.all([
    connectors.commerce.listOrders({ openOnly: true }),
    connectors.freight.listShipments(),
    connectors.supply.listOpenPurchaseOrders(),
  ]);
  const inbound = inboundFrom(shipments, purchaseOrders, config.SHIP_FREIGHT_LOCATION, config.SHIP_RECEIVING_DAYS, today);
  const updates: BackorderUpdate[] = [];
  for (const order of orders) {
    if (!order.backordered || order.channel !== 'dtc' || order.fulfillmentStatus !== 'unfulfilled') continue;
    const skus = order.lines.map((line) => line.sku);
    const restocks = skus.map((sku) => inbound.find((item) => item.sku === sku)?.restockDate ?? null);
    if (restocks.some((date) => date === null)) continue;
    const newDate = restocks.reduce<string>((latest, date) => (date !== null && date > latest ? date : latest), today);
    const placed = localDay(new Date(order.createdAt), config.FLEET_TZ);
    const lastTold = order.promisedShipDate ?? addDays(placed, config.SHIP_DTC_SHIP_DAYS);
    const slipDays = daysBetween(lastTold, newDate);
    if (slipDays < config.SHIP_BACKORDER_SLIP_DAYS) continue;
    const waitingDays = daysBetween(placed, newDate);
    updates.push({ order, skus, lastTold, newDate, slipDays, waitingDays, offerCancel: waitingDays > config.SHIP_BACKORDER_OFFER_CANCEL_DAYS });
  }
  return updates.sort((left, right) => left.order.createdAt.localeCompare(right.order.createdAt));
}

// The template: merge fields only, no model call.
function email(update: BackorderUpdate): BackorderUpdatesDraft['updates'][number] {
  const first = update.order.customerName.split(' ')[0] ?? '';
  const lines = [
    `Hi ${first},`,
    '',
    `Your order ${update.order.id} (${update.skus.join(', ')}) is waiting on a restock that is running late. Our new ship date is ${update.newDate}, ${update.slipDays} days later than we told you (${update.lastTold}).`,
    ...(update.offerCancel ? ['', 'That is a long wait: if you would rather not, reply "cancel" and we will refund you in full the same day.'] : []),
    '',
    'Thank you for waiting for it,',
    'Harbor & Pine customer care',
  ];
  return {
    order_id: update.order.id,
    to: update.order.customerEmail,
    new_date: update.newDate,
    offer_cancel: update.offerCancel,
    subject: `Your order ${update.order.id}: new ship date ${update.newDate}`,
    body: lines.join('\n'),
  };
}

/** Run backorder-updates once: one `send_backorder_updates` approval for the set of moved dates, posted on change. */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runBackorderUpdates(context: BotContext & JobRunInfo, config: BackorderUpdatesConfig, now = new Date()) {
  const updates = await findBackorderUpdates(context.connectors, config, now);
  let approvalId: string | null = null;
  const emails = updates.filter((update) => update.order.customerEmail !== '').map(email);
  if (emails.length > 0) {
    const { approval } = await context.approvals.request({
      action: sendBackorderUpdates,
      title: `Tell ${emails.length} waiting customer${emails.length === 1 ? '' : 's'} their new ship date${emails.some((item) => item.offer_cancel) ? ` (${emails.filter((item) => item.offer_cancel).length} offered a refund)` : ''}`,
      draft: { updates: emails },
      requestKey: `backorder-updates:${fingerprintOf(emails.map((item) => [item.order_id, item.new_date]))}`,
    });
    approvalId = approval.id;
  }
  const outcome = await reportFindings(context, {
    findings: updates.map((update) => [update.order.id, update.newDate]),
    noun: 'backorder update',
    message: () => ({
      kind: 'report',
      title: `Backorders: ${updates.length} customer${updates.length === 1 ? '' : 's'} to tell a new ship date`,
      text: updates
        .map(
          (update) =>
            `• ${update.order.id} ${update.order.customerName} (${update.skus.join(', ')}): told ${update.lastTold} → now ${update.newDate} (+${update.slipDays} d)${update.offerCancel ? `; waiting ${update.waitingDays} d, refund offered` : ''}`,
        )
        .join('\n'),
      severity: 'info',
    }),
    nothingLine: 'Every backordered customer already has a truthful ship date.',
  });
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, orders: updates.map((update) => update.order.id), approvalId },
  });
}

/** shipbot's backorder-updates: daily 11:00 (fleet time zone). */
export const backorderUpdates = defineJob({
  id: 'backorder-updates',
  schedule: '0 11 * * *',
  description: 'Customers waiting on backordered items get the new ship date when it slips 3+ days; past 21 days a refund is offered → send_backorder_updates',
  timeoutMs: 120_000,
  missed: 'once',
  settings: backorderUpdatesSettings,
  run: (context) => runBackorderUpdates(context, context.config),
});
