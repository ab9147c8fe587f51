import type { BotContext, SignalHandlerOf } from '@jbot/core';
import type { Connectors } from '@jbot/connectors';
import { sendPurchaseOrder } from '../actions/send-purchase-order.js';

/** The last unit cost we paid a supplier for a SKU (open POs first, then closed ones); 0 when never bought. */
export async function lastUnitCost(connectors: Pick<Connectors, 'procurement'>, supplierId: string, sku: string, since: string): Promise<number> {
  const open = (await connectors.procurement.listPurchaseOrders())
    .filter((order) => order.supplierId === supplierId)
    .flatMap((order) => order.lines.filter((line) => line.sku === sku).map((line) => ({ at: order.sentAt, cost: line.unitCost })));
  const closed = (await connectors.procurement.listPurchaseOrderHistory(since))
    .filter((order) => order.supplierId === supplierId && order.sku === sku)
    .map((order) => ({ at: order.orderedAt, cost: order.unitCost }));
  return [...open, ...closed].sort((left, right) => right.at.localeCompare(left.at))[0]?.cost ?? 0;
}

/**
 * `reorder_needed` → the PO drafted for approval (`send_purchase_order`): the suggested quantity
 * (already rounded to the MOQ by shipbot) from the SKU's supplier at the last price paid, to land
 * by the need-by date. One request per SKU and need-by date, however often the signal repeats.
 */
export const draftPurchaseOrder: SignalHandlerOf<'reorder_needed', BotContext> = async (signal, context) => {
  const payload = signal.payload;
  const supplier = (await context.connectors.procurement.listSuppliers()).find((candidate) => candidate.id === payload.supplier_id);
  if (supplier === undefined) {
    await context.channel.post({
      kind: 'note',
      title: `Reorder ${payload.sku}: no supplier record`,
      text: `${payload.sku} needs ${payload.suggested_qty} units by ${payload.need_by}, but supplier ${payload.supplier_id} has no contact in the PO register: add it, then reply to draft the PO.`,
    });
    return;
  }
  const since = new Date(Date.parse(signal.createdAt) - 365 * 86_400_000).toISOString().slice(0, 10);
  const unitCost = await lastUnitCost(context.connectors, supplier.id, payload.sku, since);
  const { approval, created } = await context.approvals.request({
    action: sendPurchaseOrder,
    title: `PO to ${supplier.name}: ${payload.sku} × ${payload.suggested_qty} by ${payload.need_by}${signal.severity === 'warning' ? ' (A-class)' : ''}`,
    draft: {
      supplier_id: supplier.id,
      supplier: supplier.name,
      to: supplier.email,
      currency: supplier.currency,
      sku: payload.sku,
      quantity: payload.suggested_qty,
      unit_cost: unitCost,
      location: 'PDX-1',
      need_by: payload.need_by,
      ready_by: null,
      subject: `Purchase order ${payload.sku} × ${payload.suggested_qty}`,
      body: [
        `Dear ${supplier.name},`,
        '',
        `Please supply ${payload.suggested_qty} units of ${payload.sku}${unitCost > 0 ? ` at USD ${unitCost.toFixed(2)} per unit` : ''} (MOQ ${payload.moq}), delivered to our Portland DC by ${payload.need_by}.`,
        'Please acknowledge this PO and confirm the cargo-ready date within three business days.',
        '',
        'Harbor & Pine purchasing',
      ].join('\n'),
    },
    requestKey: `send_purchase_order:${payload.sku}:${payload.need_by}`,
  });
  context.log.info({ sku: payload.sku, approvalId: approval.id, created }, 'reorder_needed → send_purchase_order');
};
