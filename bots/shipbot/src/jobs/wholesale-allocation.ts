import { z } from 'zod';
import {
  defineJob,
  envInteger,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
  type SettingsOf,
} from '@jbot/core';
import type { Connectors, WholesaleOrder } from '@jbot/connectors';
import { applyAllocation } from '../allocation/apply-allocation.js';
import { addDays, daysBetween, localDay } from '../company-day.js';
import { inboundFrom } from '../cover/project-cover.js';

/** wholesale-allocation's rules (catalogue defaults). */
export const wholesaleAllocationSettings = envSettings({
  /** Wholesale POs whose window ends within this many days are allocated now. */
  SHIP_ALLOC_HORIZON_DAYS: envInteger(10, 1, 90),
  /** Safety stock held back for DTC, in days of its sales. */
  SHIP_ALLOC_SAFETY_DAYS: envInteger(7, 0, 90),
  /** Days from dock to shelf, and where freight is received (as inventory-cover reads them): when the rest can follow. */
  SHIP_RECEIVING_DAYS: envInteger(2, 0, 30),
  SHIP_FREIGHT_LOCATION: z.string().min(1).default('PDX-1'),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type WholesaleAllocationConfig = SettingsOf<typeof wholesaleAllocationSettings>;

/** A wholesale order that cannot ship in full, with the proposed allocation. */
export interface AllocationShortfall {
  order: WholesaleOrder;
  lines: Array<{ sku: string; ordered: number; allocatable: number; atp: number }>;
  /** The retailer's fine if shipped short, in dollars. */
  fine: number;
  /** When the rest can follow: the latest first restock (freight or PO) among the short SKUs; null when one has nothing inbound. */
  backorderShipDate: string | null;
}

const TIER_ORDER = { A: 0, B: 1, C: 2 } as const;

/**
 * ATP per SKU = available (on hand − committed) − DTC demand until the order's window ends −
 * safety stock − what orders ahead of it took. Orders are served by account tier, then the larger
 * fine, then the earlier window; any line short of its quantity is a shortfall.
 */
export async function allocateWholesale(
  connectors: Pick<Connectors, 'wholesale' | 'fulfilment' | 'supply' | 'freight'>,
  config: WholesaleAllocationConfig,
  now: Date,
): Promise<{ considered: WholesaleOrder[]; shortfalls: AllocationShortfall[] }> {
  const today = localDay(now, config.FLEET_TZ);
  const horizon = addDays(today, config.SHIP_ALLOC_HORIZON_DAYS);
  const [orders, levels, purchaseOrders, shipments] = await Promise.all([
    connectors.wholesale.listOpenWholesaleOrders(),
    connectors.fulfilment.listStockLevels(),
    connectors.supply.listOpenPurchaseOrders(),
    connectors.freight.listShipments(),
  ]);
  const inbound = inboundFrom(shipments, purchaseOrders, config.SHIP_FREIGHT_LOCATION, config.SHIP_RECEIVING_DAYS, today);
  const stock = new Map<string, { available: number; velocity: number }>();
  for (const level of levels) {
    const entry = stock.get(level.sku) ?? { available: 0, velocity: 0 };
    stock.set(level.sku, { available: entry.available + level.available, velocity: entry.velocity + level.dailyVelocity });
  }
  const value = (order: WholesaleOrder) => order.lines.reduce((sum, line) => sum + line.quantity * line.price, 0);
  const considered = orders
    .filter((order) => order.windowEnd <= horizon)
    .sort(
      (left, right) =>
        TIER_ORDER[left.tier] - TIER_ORDER[right.tier] ||
        (right.shortFinePct * value(right)) / 100 - (left.shortFinePct * value(left)) / 100 ||
        left.windowEnd.localeCompare(right.windowEnd) ||
        left.orderId.localeCompare(right.orderId),
    );
  const taken = new Map<string, number>();
  const shortfalls: AllocationShortfall[] = [];
  for (const order of considered) {
    const daysToShip = Math.max(0, daysBetween(today, order.windowEnd));
    const lines = order.lines.map((line) => {
      const facts = stock.get(line.sku) ?? { available: 0, velocity: 0 };
      const atp = Math.floor(facts.available - facts.velocity * (daysToShip + config.SHIP_ALLOC_SAFETY_DAYS) - (taken.get(line.sku) ?? 0));
      const allocatable = Math.max(0, Math.min(line.quantity, atp));
      taken.set(line.sku, (taken.get(line.sku) ?? 0) + allocatable);
      return { sku: line.sku, ordered: line.quantity, allocatable, atp };
    });
    const short = lines.filter((line) => line.allocatable < line.ordered);
    if (short.length === 0) continue;
    // The rest ships together once every short SKU has restocked: the latest of their first restocks.
    const restocks = short.map((line) => inbound.find((item) => item.sku === line.sku)?.restockDate ?? null);
    const backorderShipDate = restocks.includes(null) ? null : ([...(restocks as string[])].sort().at(-1) ?? null);
    shortfalls.push({ order, lines, fine: Math.round(order.shortFinePct * value(order)) / 100, backorderShipDate });
  }
  return { considered, shortfalls };
}

/**
 * Run wholesale-allocation once: per short order `allocation_shortfall` (salesbot's buyer notice)
 * and an `apply_allocation` approval, posted on change.
 */
// `now` is the world's clock; tests pass a fixed instant.
export async function runWholesaleAllocation(context: BotContext & JobRunInfo, config: WholesaleAllocationConfig, now = new Date()) {
  const { considered, shortfalls } = await allocateWholesale(context.connectors, config, now);
  const approvalIds: string[] = [];
  for (const shortfall of shortfalls) {
    const { order } = shortfall;
    await context.signals.emit(
      'allocation_shortfall',
      {
        order_id: order.orderId,
        account_id: order.accountId,
        lines: shortfall.lines
          .filter((line) => line.allocatable < line.ordered)
          .map((line) => ({ sku: line.sku, ordered: line.ordered, allocatable: line.allocatable })),
        ship_window: { start: order.windowStart, end: order.windowEnd },
      },
      {
        dedupeKey: `allocation_shortfall:${order.orderId}:${fingerprintOf(shortfall.lines.map((line) => [line.sku, line.allocatable]))}`,
        dedupeWindowMs: 86_400_000,
      },
    );
    const { approval } = await context.approvals.request({
      action: applyAllocation,
      title: `Allocate ${order.orderId} (${order.customerName}, tier ${order.tier}): ${shortfall.lines
        .filter((line) => line.allocatable < line.ordered)
        .map((line) => `${line.sku} ${line.allocatable}/${line.ordered}`)
        .join(', ')}`,
      draft: {
        order_id: order.orderId,
        vendor_id: order.vendorId,
        customer: order.customerName,
        lines: shortfall.lines.map((line) => ({ sku: line.sku, ordered: line.ordered, allocate: line.allocatable })),
        backorder_ship_date: shortfall.backorderShipDate,
      },
      requestKey: `wholesale-allocation:${order.orderId}:${fingerprintOf(shortfall.lines.map((line) => [line.sku, line.allocatable]))}`,
    });
    approvalIds.push(approval.id);
  }
  const outcome = await reportFindings(context, {
    findings: shortfalls.map((shortfall) => [shortfall.order.orderId, shortfall.lines.map((line) => [line.sku, line.allocatable])]),
    noun: 'wholesale order short',
    message: () => ({
      kind: 'report',
      title: `Wholesale allocation: ${shortfalls.length} of ${considered.length} orders shipping in ${config.SHIP_ALLOC_HORIZON_DAYS} days short`,
      text: shortfalls
        .map(
          (shortfall) =>
            `• ${shortfall.order.orderId} ${shortfall.order.customerName} (tier ${shortfall.order.tier}, window ${shortfall.order.windowStart}…${shortfall.order.windowEnd}): ${shortfall.lines
              .filter((line) => line.allocatable < line.ordered)
              .map((line) => `${line.sku} ${line.allocatable}/${line.ordered} (ATP ${line.atp})`)
              .join(
                ', ',
              )}${shortfall.fine > 0 ? `; short-ship fine ≈ $${shortfall.fine.toFixed(2)}` : ''}${shortfall.backorderShipDate === null ? '' : `; rest after ${shortfall.backorderShipDate}`}`,
        )
        .join('\n'),
      severity: 'warning' as const,
    }),
    nothingLine: `All ${considered.length} wholesale orders shipping in the next ${config.SHIP_ALLOC_HORIZON_DAYS} days are covered after DTC demand and safety stock.`,
  });
  return jobOutcome(outcome.outcome.replace('wholesale order shorts', 'wholesale orders short'), {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, orders: shortfalls.map((shortfall) => shortfall.order.orderId), approvalIds },
  });
}

/** shipbot's wholesale-allocation: weekdays 10:00 (fleet time zone). */
export const wholesaleAllocation = defineJob({
  id: 'wholesale-allocation',
  schedule: '0 10 * * 1-5',
  description:
    'Open wholesale POs shipping in the next 10 days vs ATP after DTC demand and safety stock → allocation_shortfall and apply_allocation by account tier',
  timeoutMs: 180_000,
  missed: 'once',
  settings: wholesaleAllocationSettings,
  run: (context) => runWholesaleAllocation(context, context.config),
});
