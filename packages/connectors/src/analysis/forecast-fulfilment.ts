import type { Connectors } from '../create-connectors.js';
import { dayNumber, dayString, projectStockouts, restockDateFor, type StockRunway } from './project-stockouts.js';

/** The freight_delay fields the forecast needs. */
export interface FreightDelayInput {
  shipment_id: string;
  delay_days: number;
  // `| undefined` so a parsed freight_delay payload is accepted as it is.
  expected_eta?: string | undefined;
  skus?: string[] | undefined;
}

/** An open order that cannot ship on time because its stock is on the late shipment. */
export interface AffectedOrder {
  orderId: string;
  channel: 'dtc' | 'wholesale';
  customerName: string;
  customerEmail: string;
  accountId: string | null;
  /** SKUs of this order that are short. */
  skus: string[];
  /** YYYY-MM-DD: the promised ship date (wholesale) or the usual two days after ordering (DTC). */
  originalShipDate: string;
  newShipDate: string;
  slipDays: number;
}

/** shipbot's updated fulfilment forecast after a freight delay. */
export interface FulfilmentForecast {
  shipmentId: string;
  delayDays: number;
  expectedEta: string;
  /** Arrival plus receiving: the first day the shipment's stock can ship. */
  restockDate: string;
  skus: StockRunway[];
  /** SKUs that run out before the restock. */
  stockoutSkus: string[];
  affectedOrders: AffectedOrder[];
  wholesaleCustomers: Array<{ accountId: string | null; customerName: string; customerEmail: string; orderIds: string[] }>;
}

/** DTC orders normally leave within this many days. */
const DTC_SHIP_DAYS = 2;

/**
 * The fulfilment forecast for a delayed shipment: each SKU's runway until the stock arrives,
 * and the open orders (oldest first get the stock on hand) that now ship after the restock.
 */
export async function forecastFulfilment(
  connectors: Pick<Connectors, 'freight' | 'commerce'>,
  delay: FreightDelayInput,
  now: Date,
  options: { receivingDays?: number } = {},
): Promise<FulfilmentForecast> {
  const shipment = (await connectors.freight.listShipments()).find((candidate) => candidate.id === delay.shipment_id);
  const expectedEta = delay.expected_eta ?? shipment?.expectedEta ?? dayString(dayNumber(now) + delay.delay_days);
  const skus = delay.skus ?? shipment?.lines.map((line) => line.sku) ?? [];
  const restockDate = options.receivingDays === undefined ? restockDateFor(expectedEta, now) : restockDateFor(expectedEta, now, options.receivingDays);
  const restockDay = dayNumber(restockDate);
  const [inventory, openOrders] = await Promise.all([connectors.commerce.listInventory(), connectors.commerce.listOrders({ openOnly: true })]);
  const runways = projectStockouts(inventory, skus, restockDate, now);

  // Allocate stock on hand to open orders first come, first served; what is left short waits for the shipment.
  const remaining = new Map(runways.map((runway) => [runway.sku, runway.onHand]));
  const affectedOrders: AffectedOrder[] = [];
  for (const order of [...openOrders].sort((left, right) => Date.parse(left.createdAt) - Date.parse(right.createdAt))) {
    const short: string[] = [];
    for (const line of order.lines) {
      const left = remaining.get(line.sku);
      if (left === undefined) continue;
      if (left >= line.quantity) remaining.set(line.sku, left - line.quantity);
      else {
        remaining.set(line.sku, 0);
        short.push(line.sku);
      }
    }
    if (short.length === 0) continue;
    const originalDay = order.promisedShipDate !== null ? dayNumber(order.promisedShipDate) : dayNumber(order.createdAt) + DTC_SHIP_DAYS;
    const newDay = Math.max(originalDay, restockDay);
    affectedOrders.push({
      orderId: order.id,
      channel: order.channel,
      customerName: order.customerName,
      customerEmail: order.customerEmail,
      accountId: order.accountId,
      skus: short,
      originalShipDate: dayString(originalDay),
      newShipDate: dayString(newDay),
      slipDays: newDay - originalDay,
    });
  }
  const customers = new Map<string, FulfilmentForecast['wholesaleCustomers'][number]>();
  for (const order of affectedOrders.filter((candidate) => candidate.channel === 'wholesale')) {
    const key = order.accountId ?? order.customerEmail;
    const entry = customers.get(key) ?? { accountId: order.accountId, customerName: order.customerName, customerEmail: order.customerEmail, orderIds: [] };
    entry.orderIds.push(order.orderId);
    customers.set(key, entry);
  }
  return {
    shipmentId: delay.shipment_id,
    delayDays: delay.delay_days,
    expectedEta,
    restockDate,
    skus: runways,
    stockoutSkus: runways.filter((runway) => runway.daysOutOfStock > 0).map((runway) => runway.sku),
    affectedOrders,
    wholesaleCustomers: [...customers.values()],
  };
}
