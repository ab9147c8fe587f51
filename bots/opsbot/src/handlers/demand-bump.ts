import type { BotContext, SignalHandlerOf } from '@jbot/core';

/**
 * `deal_closed_won` → the opening order's quantities added to PO planning: one bump per deal and
 * SKU (keyed by both, so a redelivery adds nothing), naming the open POs that can cover it, and a
 * line on #ops-bot for the SKUs nothing open covers (reorder-points will see the demand).
 */
export const bumpDemandOnWin: SignalHandlerOf<'deal_closed_won', BotContext> = async (signal, context) => {
  const payload = signal.payload;
  const orders = (await context.connectors.procurement.listPurchaseOrders()).filter((order) => order.status === 'open');
  const lines: string[] = [];
  let added = 0;
  for (const item of payload.skus) {
    const open = orders.filter((order) => order.lines.some((line) => line.sku === item.sku));
    const bump = await context.connectors.procurement.recordDemandBump({
      idempotencyKey: `deal_closed_won:${payload.deal_id}:${item.sku}`,
      dealId: payload.deal_id,
      account: payload.account,
      sku: item.sku,
      quantity: item.qty,
      firstShipDate: payload.first_ship_date,
      openPoIds: open.map((order) => order.id),
    });
    if (bump.created) added += 1;
    const onOrder = open.reduce((sum, order) => sum + order.lines.filter((line) => line.sku === item.sku).reduce((total, line) => total + line.quantity, 0), 0);
    lines.push(
      `• ${item.sku} +${item.qty}${open.length === 0 ? ': no open PO — reorder-points counts it tomorrow' : `: ${onOrder} on order (${open.map((order) => order.id).join(', ')})`}`,
    );
  }
  if (added > 0)
    await context.channel.post({
      kind: 'note',
      title: `PO planning: ${payload.account} won (${payload.deal_id}), opening order added`,
      text: [`First ship ${payload.first_ship_date}${payload.amount === null ? '' : `; $${payload.amount.toLocaleString('en-US')}`}.`, ...lines].join('\n'),
    });
};
