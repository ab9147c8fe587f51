import type { BotContext, SignalHandlerOf } from '@jbot/core';
import { requestExpedite } from '../actions/request-expedite.js';

/**
 * `stockout_risk` at alert with nothing landing before the stockout → `request_expedite`: the
 * SKU's open PO not yet shipped is asked to go by air; failing that, the shipment on the water
 * carrying it is asked for priority. A warning, or inbound that lands in time, needs nothing.
 * One request per SKU and stockout week (both locations of a SKU raise one request).
 */
export const expediteOnStockout: SignalHandlerOf<'stockout_risk', BotContext> = async (signal, context) => {
  const payload = signal.payload;
  const landsInTime = payload.next_inbound_eta !== null && payload.next_inbound_eta <= payload.stockout_date;
  if (signal.severity === 'info' || signal.severity === 'warning' || landsInTime) return;
  const { procurement, freight } = context.connectors;
  const [orders, suppliers, shipments] = await Promise.all([procurement.listPurchaseOrders(), procurement.listSuppliers(), freight.listShipments()]);
  const order = orders.find((candidate) => candidate.status === 'open' && candidate.lines.some((line) => line.sku === payload.sku) && !candidate.booked);
  const shipment = shipments.find((candidate) => candidate.arrivedAt === null && candidate.lines.some((line) => line.sku === payload.sku));
  const supplierId = order?.supplierId ?? shipment?.supplierId ?? null;
  const supplier = suppliers.find((candidate) => candidate.id === supplierId);
  if (supplier === undefined || (order === undefined && shipment === undefined)) {
    await context.channel.post({
      kind: 'note',
      title: `Stockout ${payload.sku} @ ${payload.location}: nothing to expedite`,
      text: `${payload.sku} runs out ${payload.stockout_date} and no open PO or shipment carries it: shipbot's reorder-points raises the PO; reply "order" to draft one now.`,
    });
    return;
  }
  const target =
    order !== undefined
      ? { kind: 'purchase_order' as const, id: order.id, quantity: order.lines.find((line) => line.sku === payload.sku)?.quantity ?? 1 }
      : { kind: 'shipment' as const, id: shipment?.id ?? '', quantity: shipment?.lines.find((line) => line.sku === payload.sku)?.quantity ?? 1 };
  const stockoutWeek = payload.stockout_date.slice(0, 8) + String(Math.floor((Number(payload.stockout_date.slice(8, 10)) - 1) / 7));
  const ask =
    target.kind === 'purchase_order'
      ? `please ship ${target.quantity} units of ${payload.sku} on ${target.id} by air as soon as the cargo is ready; we pay the air-freight difference`
      : `please ask the carrier for priority discharge and the fastest inland leg for ${target.id}, which carries ${target.quantity} units of ${payload.sku}`;
  const { approval, created } = await context.approvals.request({
    action: requestExpedite,
    // One request per SKU whichever location raised it first: the title names no location.
    title: `Expedite ${payload.sku} (${target.id}): runs out ${payload.stockout_date}, ${payload.days_of_cover} d of cover`,
    draft: {
      sku: payload.sku,
      supplier_id: supplier.id,
      supplier: supplier.name,
      to: supplier.email,
      target: { kind: target.kind, id: target.id },
      quantity: target.quantity,
      stockout_date: payload.stockout_date,
      subject: `URGENT expedite: ${payload.sku} on ${target.id}`,
      body: `Dear ${supplier.name},\n\nWe run out of ${payload.sku} on ${payload.stockout_date}${payload.next_inbound_eta === null ? ' with nothing inbound' : ` and the next inbound lands only ${payload.next_inbound_eta}`}: ${ask}.\nPlease confirm the new dates today.\n\nHarbor & Pine operations`,
    },
    requestKey: `request_expedite:${payload.sku}:${stockoutWeek}`,
  });
  context.log.info({ sku: payload.sku, approvalId: approval.id, created }, 'stockout_risk → request_expedite');
};
