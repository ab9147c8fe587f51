import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings, type BotContext, type JobRunInfo, type SettingsOf } from '@jbot/core';
import type { AddressVerification, Connectors, OrderRiskCase } from '@jbot/connectors';
import { holdOrCancelOrder, type HoldOrCancelDraft } from '../holds/hold-or-cancel-order.js';

/** order-holds' rules (catalogue defaults). */
export const orderHoldsSettings = envSettings({
  /** A MEDIUM-risk first order above this total, shipping abroad from its billing country, is held. */
  SHIP_HOLD_MEDIUM_MIN_TOTAL: envNumber(250, 0),
  /** How far back unfulfilled orders are checked (the job runs every 30 minutes; a day covers downtime). */
  SHIP_HOLD_LOOKBACK_HOURS: envInteger(24, 1, 720),
});

/** The parsed settings. */
export type OrderHoldsConfig = SettingsOf<typeof orderHoldsSettings>;

/** An order to hold before it ships, and why. */
export interface HoldCase {
  order: OrderRiskCase;
  reasons: string[];
  addressFailed: boolean;
  verification: AddressVerification;
}

/**
 * The catalogue's rules: HIGH risk → hold; MEDIUM and over the total and a first order and billed
 * in another country than it ships to → hold; an address the carrier cannot verify → hold and
 * ask the customer.
 */
export async function findHoldCases(connectors: Pick<Connectors, 'fulfilment' | 'parcel'>, config: OrderHoldsConfig, now: Date): Promise<HoldCase[]> {
  const orders = await connectors.fulfilment.listOrderRisk(new Date(now.getTime() - config.SHIP_HOLD_LOOKBACK_HOURS * 3_600_000));
  const cases: HoldCase[] = [];
  for (const order of orders) {
    const reasons: string[] = [];
    if (order.riskLevel === 'HIGH')
      reasons.push(`HIGH fraud risk${order.facts.length === 0 ? '' : ` (${order.facts.map((fact) => fact.description).join('; ')})`}`);
    else if (
      order.riskLevel === 'MEDIUM' &&
      order.total > config.SHIP_HOLD_MEDIUM_MIN_TOTAL &&
      order.customerOrders <= 1 &&
      order.billingCountry !== order.shippingCountry
    )
      reasons.push(`MEDIUM risk first order of $${order.total.toFixed(2)} billed in ${order.billingCountry}, shipping to ${order.shippingCountry}`);
    const verification = await connectors.parcel.verifyAddress({
      orderId: order.orderId,
      name: order.customerName,
      street1: order.shippingAddress.address1,
      city: order.shippingAddress.city,
      state: order.shippingAddress.province,
      zip: order.shippingAddress.zip,
      country: order.shippingAddress.country,
    });
    if (!verification.verified)
      reasons.push(`address not deliverable: ${verification.errors.map((error) => error.message).join('; ') || 'the carrier could not verify it'}`);
    if (reasons.length > 0) cases.push({ order, reasons, addressFailed: !verification.verified, verification });
  }
  return cases;
}

function noticeFor(hold: HoldCase): HoldOrCancelDraft['notice'] {
  if (!hold.addressFailed || hold.order.customerEmail === '') return null;
  const address = [hold.order.shippingAddress.address1, hold.order.shippingAddress.city, hold.order.shippingAddress.province, hold.order.shippingAddress.zip]
    .filter((part) => part !== null && part !== '')
    .join(', ');
  return {
    to: hold.order.customerEmail,
    subject: `Your order ${hold.order.orderId}: please check your delivery address`,
    body: `Hi ${hold.order.customerName.split(' ')[0] ?? ''},\n\nThe carrier could not confirm the address on your order ${hold.order.orderId} (${address}). We have paused it so it does not go astray. Reply to this email with the corrected address and we will ship it the same day.\n\nThank you,\nHarbor & Pine customer care`,
  };
}

/** The #ship-bot post: one line per order to hold. */
export function holdsMessage(cases: readonly HoldCase[]) {
  return {
    kind: 'report',
    title: `Order holds: ${cases.length} order${cases.length === 1 ? '' : 's'} to hold before they ship`,
    text: [
      ...cases.map((hold) => `• ${hold.order.orderId} ${hold.order.customerName} ($${hold.order.total.toFixed(2)}): ${hold.reasons.join('; ')}`),
      '',
      'Each is an approval (hold_or_cancel_order); reply "cancel <order>" to draft a cancellation with refund instead.',
    ].join('\n'),
    severity: 'warning' as const,
  };
}

/**
 * Run order-holds once: one `hold_or_cancel_order` approval per order to hold (keyed by the
 * order, so a rerun finds the approval already asked), the list posted when it changed.
 */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runOrderHolds(context: BotContext & JobRunInfo, config: OrderHoldsConfig, now = new Date()) {
  const cases = await findHoldCases(context.connectors, config, now);
  const asked: string[] = [];
  for (const hold of cases) {
    const { created } = await context.approvals.request({
      action: holdOrCancelOrder,
      title: `Hold ${hold.order.orderId} (${hold.order.customerName}, $${hold.order.total.toFixed(2)}): ${hold.reasons[0] ?? ''}`,
      draft: {
        order_id: hold.order.orderId,
        vendor_id: hold.order.vendorId,
        kind: 'hold',
        reasons: hold.reasons,
        customer: hold.order.customerName,
        total: hold.order.total,
        notice: noticeFor(hold),
      },
      requestKey: `order-holds:hold:${hold.order.orderId}`,
    });
    if (created) asked.push(hold.order.orderId);
  }
  const outcome = await reportFindings(context, {
    findings: cases.map((hold) => [hold.order.orderId, hold.reasons]),
    noun: 'risky order',
    message: () => holdsMessage(cases),
    nothingLine: 'No unfulfilled order is high-risk or has an undeliverable address.',
  });
  return jobOutcome(`${outcome.outcome}${asked.length === 0 ? '' : `; ${asked.length} hold${asked.length === 1 ? '' : 's'} asked`}`, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, orders: cases.map((hold) => hold.order.orderId), asked },
  });
}

/** shipbot's order-holds: every 30 minutes, before the warehouse picks. */
export const orderHolds = defineJob({
  id: 'order-holds',
  schedule: '*/30 * * * *',
  description: 'Unfulfilled orders with HIGH fraud risk, risky first orders or undeliverable addresses → hold_or_cancel_order',
  timeoutMs: 120_000,
  overlap: 'skip',
  missed: 'skip',
  settings: orderHoldsSettings,
  run: (context) => runOrderHolds(context, context.config),
});
