import { runOnce, type ChannelMessage, type SignalHandlerOf } from '@jbot/core';
import { forecastFulfilment, type FulfilmentForecast } from '@jbot/connectors';

/**
 * shipbot's answer to a freight_delay: the updated fulfilment forecast — which open orders now
 * ship late and when, which SKUs run out before the restock — posted to #ship-bot once per
 * signal, however often it is delivered.
 */
export const postFulfilmentForecast: SignalHandlerOf<'freight_delay'> = async (signal, context) => {
  const delay = signal.payload;
  const outcome = await runOnce(context.db, { key: `shipbot:forecast:${signal.id}`, bot: context.bot }, async () => {
    const forecast = await forecastFulfilment(context.connectors, delay, new Date());
    const posted = await context.channel.post(forecastMessage(forecast, signal.id));
    context.log.info(
      { shipment: forecast.shipmentId, affectedOrders: forecast.affectedOrders.length, stockouts: forecast.stockoutSkus },
      `fulfilment forecast updated for ${forecast.shipmentId}`,
    );
    return { messageId: posted.messageId, affectedOrders: forecast.affectedOrders.length, stockoutSkus: forecast.stockoutSkus };
  });
  // Another copy is posting it right now: retry later rather than ack a post that may not happen.
  if (!outcome.ran && outcome.status === 'claimed') throw new Error(`the forecast for signal ${signal.id} is being posted by another copy; retrying`);
};

/** The forecast as a work-floor message. */
export function forecastMessage(forecast: FulfilmentForecast, signalId: string): ChannelMessage {
  const orders = forecast.affectedOrders.map(
    (order) =>
      `• ${order.orderId} (${order.channel}, ${order.customerName}) — ${order.skus.join(', ')}: ${order.originalShipDate} → ${order.newShipDate} (+${order.slipDays} d)`,
  );
  const runouts = forecast.skus
    .filter((sku) => sku.daysOutOfStock > 0)
    .map((sku) => `• ${sku.sku} ${sku.name}: ${sku.onHand} on hand, out ${sku.stockoutDate} until ${sku.restockDate} (${sku.daysOutOfStock} d)`);
  return {
    kind: 'fulfilment_forecast',
    title: `Fulfilment forecast · ${forecast.shipmentId} ${forecast.delayDays} days late`,
    text: [
      `**Orders shipping late** (${forecast.affectedOrders.length})`,
      ...(orders.length === 0 ? ['none: stock on hand covers every open order'] : orders),
      '',
      `**SKUs running out before the restock** (${runouts.length})`,
      ...(runouts.length === 0 ? ['none'] : runouts),
    ].join('\n'),
    fields: [
      { name: 'New ETA', value: forecast.expectedEta, inline: true },
      { name: 'Restock (after receiving)', value: forecast.restockDate, inline: true },
      { name: 'Wholesale customers affected', value: String(forecast.wholesaleCustomers.length), inline: true },
    ],
    severity: forecast.affectedOrders.length > 0 ? 'warning' : 'info',
    signalId,
  };
}
