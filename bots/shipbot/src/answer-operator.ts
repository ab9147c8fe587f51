import type { ContextWith, OperatorInstruction } from '@jbot/core';
import { answerFbaFinding } from './answer-fba.js';
import { holdOrCancelOrder } from './holds/hold-or-cancel-order.js';
import { scoreFulfilment } from './jobs/fulfillment-sla.js';
import { projectInventoryCover } from './jobs/inventory-cover.js';
import { lateOrdersNow } from './jobs/late-orders.js';
import { findReorderCases } from './jobs/reorder-points.js';
import type { ShipbotConfig } from './shipbot-settings.js';
import { fulfilmentSlaMiss, lateOrders, reorderNeeded, stockoutRisk } from './signals.js';

// "cancel #48420", "cancel order 48420 and refund": the operator wants the order cancelled, not held.
const CANCEL = /\bcancel\b[^#\d]*#?(\d{3,})/i;

type Context = ContextWith<ShipbotConfig>;

/**
 * shipbot's answer to the operator's reply. On one of its findings it reads the world again and
 * explains where that finding stands now (a stockout's cover and inbound, which late orders are
 * still waiting, the warehouse's day, the reorder arithmetic); "cancel <order>" drafts a
 * cancellation with refund for approval. Nothing is left unanswered.
 */
export async function answerOperator(instruction: OperatorInstruction, context: Context): Promise<string> {
  const cancel = CANCEL.exec(instruction.text);
  if (cancel !== null) return draftCancellation(`#${cancel[1] ?? ''}`, instruction, context);
  if (instruction.signalId === null)
    return 'reply to one of my findings (a stockout, late orders, a warehouse miss) and I will say where it stands, or "cancel #<order>" to draft a cancellation';
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return `signal ${instruction.signalId} is no longer in the brain; nothing to act on`;
  const type = String(signal['signal_type']);
  const now = new Date();
  if (type === stockoutRisk.type) {
    const payload = stockoutRisk.schema.parse(signal['payload']);
    const report = await projectInventoryCover(context.connectors, context.config.cover, now);
    const projection = report.projections.find((candidate) => candidate.sku === payload.sku && candidate.location === payload.location);
    if (projection === undefined) return `${payload.sku} @ ${payload.location} no longer sells there; nothing at risk`;
    const risk = report.atRisk.find((candidate) => candidate.sku === payload.sku && candidate.location === payload.location);
    const gap =
      projection.nextInboundEta === null || projection.stockoutDate === null
        ? 0
        : Math.max(0, (Date.parse(projection.nextInboundEta) - Date.parse(projection.stockoutDate)) / 86_400_000);
    return risk === undefined
      ? `${payload.sku} @ ${payload.location} is fine now: ${projection.daysOfCover} days of cover (was ${payload.days_of_cover} when raised)`
      : `${payload.sku} ${projection.name} @ ${payload.location}: ${projection.available} available at ${projection.dailyVelocity}/day → ${projection.daysOfCover} d, out ${projection.stockoutDate ?? '?'}; ${risk.reason}${gap > 0 ? `. About ${Math.round(gap * projection.dailyVelocity)} units of demand fall in the ${gap}-day gap: opsbot can expedite, mktgbot pauses the ads` : ''}`;
  }
  if (type === lateOrders.type) {
    const payload = lateOrders.schema.parse(signal['payload']);
    const stillLate = new Set((await lateOrdersNow(context.connectors, now, context.config.late)).map((order) => order.id));
    const waiting = payload.orders.filter((order) => stillLate.has(order.id)).map((order) => order.id);
    const moved = payload.orders.filter((order) => !stillLate.has(order.id)).map((order) => order.id);
    return `${payload.channel} late orders: ${waiting.length} of ${payload.count} still unshipped${waiting.length === 0 ? '' : ` (${waiting.slice(0, 10).join(', ')}${waiting.length > 10 ? ' …' : ''})`}${moved.length === 0 ? '' : `; shipped or stopped since: ${moved.join(', ')}`}`;
  }
  if (type === fulfilmentSlaMiss.type) {
    const payload = fulfilmentSlaMiss.schema.parse(signal['payload']);
    const result = await scoreFulfilment(context.connectors, context.config.sla, now);
    const week = result.history.find((rows) => rows[0]?.location === payload.location);
    const day = week?.find((row) => row.day === payload.day);
    return `${payload.location} on ${payload.day}: ${day === undefined ? 'no confirmations in the window any more' : `${day.shippedSameDay}/${day.beforeCutoff} orders before the cutoff shipped the same day, ${day.backlogOrders} left at close, ${day.misShips} mis-ships`}. Same-day over the week, newest first: ${week?.map((row) => `${Math.round(row.sameDayRate * 100)}%`).join(' · ') ?? 'n/a'}`;
  }
  if (type === reorderNeeded.type) {
    const payload = reorderNeeded.schema.parse(signal['payload']);
    const current = (await findReorderCases(context.connectors, context.config.reorder, now)).find((item) => item.sku === payload.sku);
    return current === undefined
      ? `${payload.sku} is back above its reorder point (a PO or freight counts now)`
      : `${payload.sku}: position ${current.position} (on hand ${current.onHand} + on order ${current.onOrder} − committed ${current.committed}) < ROP ${current.reorderPoint} = ${current.dailyDemand}/day × ${current.leadTimeDays} d + ${current.safetyStock} safety stock; order ${current.suggestedQty} (MOQ ${current.moq}) from ${current.supplierId} to land by ${current.needBy}. opsbot drafts the PO`;
  }
  const fba = await answerFbaFinding(type, signal['payload'], instruction.text, context);
  if (fba !== null) return fba;
  return `noted — ${type} (${String(signal['severity'])}) is not one of my findings; ${JSON.stringify(signal['payload']).slice(0, 300)}`;
}

async function draftCancellation(orderId: string, instruction: OperatorInstruction, context: Context): Promise<string> {
  const order = (await context.connectors.fulfilment.listOrderRisk()).find((candidate) => candidate.orderId === orderId);
  if (order === undefined) return `${orderId} is not an unfulfilled order I can cancel (already shipped, held or unknown)`;
  const { approval, created } = await context.approvals.request({
    action: holdOrCancelOrder,
    title: `Cancel ${orderId} (${order.customerName}, $${order.total.toFixed(2)}) with a full refund`,
    draft: {
      order_id: order.orderId,
      vendor_id: order.vendorId,
      kind: 'cancel',
      reasons: [`operator asked: "${instruction.text.slice(0, 200)}"`],
      customer: order.customerName,
      total: order.total,
      notice: null,
    },
    requestKey: `order-holds:cancel:${orderId}`,
  });
  return `${created ? 'drafted' : 'already drafted'} the cancellation of ${orderId} with a refund for approval (${approval.id.slice(0, 8)})`;
}
