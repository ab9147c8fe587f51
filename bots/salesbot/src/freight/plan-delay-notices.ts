import { z } from 'zod';
import { labelOffline, type SignalHandlerOf } from '@jbot/core';
import { forecastFulfilment, type AffectedOrder, type FulfilmentForecast } from '@jbot/connectors';
import { sendDelayNotices, type DelayNotice } from './send-delay-notices.js';

const noticeSchema = z.object({ subject: z.string().min(3).max(140), body: z.string().min(20).max(3000) });

const SYSTEM = [
  'You write short, honest delay notices from a consumer-goods wholesaler to its retail customers.',
  'Name the affected orders and their new ship dates exactly as given, apologise once, offer a next step (partial shipment of what is in stock, or a substitute), under 130 words, signed "The Harbor & Pine wholesale team".',
  'Return JSON only: {"subject": string, "body": string}.',
].join(' ');

/**
 * salesbot's part of the freight cascade: one drafted notice per wholesale customer whose
 * orders now ship late, gathered into one approval on #sales-bot. Keyed by the delay and the
 * late orders (delayNoticesKey), so a redelivery or the next day's repeat alert finds the same
 * approval; nothing is sent before a person approves.
 */
export const planDelayNotices: SignalHandlerOf<'freight_delay'> = async (signal, context) => {
  const delay = signal.payload;
  const forecast = await forecastFulfilment(context.connectors, delay, new Date());
  if (forecast.wholesaleCustomers.length === 0) {
    context.log.info({ shipment: delay.shipment_id }, 'freight delay: no wholesale order ships late, no notices to draft');
    return;
  }
  // The same delay and late orders were already put to a person (pending, sent or declined):
  // nothing new to draft, so no model call for the repeat alert.
  const requestKey = delayNoticesKey(delay.shipment_id, delay.delay_days, forecast);
  const asked = await context.approvals.findByRequestKey(requestKey);
  if (asked !== null) {
    context.log.info(
      { approvalId: asked.id, status: asked.status, shipment: delay.shipment_id },
      'delay notices for this delay were already drafted; not drafting again',
    );
    return;
  }
  const notices: DelayNotice[] = [];
  let offline = false;
  for (const customer of forecast.wholesaleCustomers) {
    const orders = forecast.affectedOrders.filter((order) => customer.orderIds.includes(order.orderId));
    const drafted = await context.llm.structured({
      tier: 'fast',
      system: SYSTEM,
      prompt: `Draft the delay notice to ${customer.customerName}.`,
      data: [{ label: 'affected orders', text: orders.map(orderLine).join('\n') }],
      schema: noticeSchema,
      maxTokens: 500,
      offline: () => templateNotice(customer.customerName, orders, forecast),
    });
    offline ||= drafted.offline;
    notices.push({
      customer: customer.customerName,
      ...(customer.accountId === null ? {} : { account_id: customer.accountId }),
      to: customer.customerEmail,
      orders: orders.map((order) => `${order.orderId} → ${order.newShipDate}`).join(', '),
      subject: drafted.value.subject,
      body: labelOffline(drafted.value.body, drafted.offline),
    });
  }
  const { approval, created } = await context.approvals.request({
    action: sendDelayNotices,
    title: `Send ${notices.length} delay notice${notices.length === 1 ? '' : 's'} to wholesale customers (${delay.shipment_id} ${delay.delay_days} days late)`,
    draft: {
      notices,
      note: `Drafted ${offline ? 'from templates (offline drafter)' : 'by Claude'} from shipbot's forecast: restock ${forecast.restockDate}. On approval each is sent through the CRM once, logged on the customer's deal.`,
    },
    signalId: signal.id,
    requestKey,
  });
  context.log.info({ approvalId: approval.id, created, customers: notices.length }, 'delay notices drafted for approval');
};

/**
 * One request per delay as the customers see it: opsbot re-raises a late shipment every day, and
 * a redelivered or next-day signal with the same delay and the same late wholesale orders finds
 * the approval already asked (pending, sent or declined) instead of asking to email them again.
 * A longer delay or a newly affected order is news, so it is a new request.
 */
export function delayNoticesKey(shipmentId: string, delayDays: number, forecast: Pick<FulfilmentForecast, 'wholesaleCustomers'>): string {
  const orders = forecast.wholesaleCustomers.flatMap((customer) => customer.orderIds).sort();
  return `delay-notices:${shipmentId}:${delayDays}d:${orders.join(',')}`;
}

function orderLine(order: AffectedOrder): string {
  return `order ${order.orderId}: ${order.skus.join(', ')} — was to ship ${order.originalShipDate}, now ${order.newShipDate}`;
}

function templateNotice(customer: string, orders: AffectedOrder[], forecast: FulfilmentForecast): z.infer<typeof noticeSchema> {
  return {
    subject: `Update on your order${orders.length === 1 ? '' : 's'} ${orders.map((order) => order.orderId).join(', ')}`,
    body: [
      `Hello ${customer} team,`,
      '',
      `An inbound shipment of ours is running ${forecast.delayDays} days late, which affects:`,
      ...orders.map((order) => `- ${orderLine(order)}`),
      '',
      "We're sorry for the wait. If it helps, we can ship the in-stock items now and the rest as soon as they arrive — just reply to this email.",
      '',
      'The Harbor & Pine wholesale team',
    ].join('\n'),
  };
}
