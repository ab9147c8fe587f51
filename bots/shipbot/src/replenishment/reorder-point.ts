import type { PurchaseOrderLine, Shipment, StockLevel, SupplyFacts } from '@jbot/connectors';
import { addDays } from '../company-day.js';

/** The service levels reorder-points applies (catalogue defaults z = 1.65, A-class 2.05). */
export interface ReorderRules {
  z: number;
  zClassA: number;
  /** Weeks of demand an order covers beyond the lead time. */
  coverWeeks: number;
}

/** A SKU whose inventory position is below its reorder point. */
export interface ReorderCase {
  sku: string;
  name: string;
  supplierId: string;
  abcClass: 'A' | 'B' | 'C';
  onHand: number;
  onOrder: number;
  committed: number;
  /** on hand + on order − committed. */
  position: number;
  reorderPoint: number;
  safetyStock: number;
  dailyDemand: number;
  leadTimeDays: number;
  suggestedQty: number;
  moq: number;
  /** YYYY-MM-DD the position reaches the safety stock: the order must have landed by then. */
  needBy: string;
  severity: 'info' | 'warning';
}

/**
 * ROP = d̄ × LT + z · σ_d · √LT per SKU over all locations (position = on hand + on order −
 * committed, wholesale reservations included); below it, order enough for the lead time plus
 * `coverWeeks`, rounded up to the MOQ. A-class SKUs use the higher z and raise a warning.
 */
export function findReorders(
  levels: readonly StockLevel[],
  supply: readonly SupplyFacts[],
  purchaseOrders: readonly PurchaseOrderLine[],
  shipments: readonly Shipment[],
  today: string,
  rules: ReorderRules,
): ReorderCase[] {
  const onOrder = new Map<string, number>();
  for (const po of purchaseOrders) onOrder.set(po.sku, (onOrder.get(po.sku) ?? 0) + po.quantity);
  for (const shipment of shipments) {
    if (shipment.arrivedAt !== null || shipment.status === 'delivered') continue;
    for (const line of shipment.lines) onOrder.set(line.sku, (onOrder.get(line.sku) ?? 0) + line.quantity);
  }
  const cases: ReorderCase[] = [];
  for (const facts of supply) {
    const stock = levels.filter((level) => level.sku === facts.sku);
    if (stock.length === 0) continue;
    const onHand = stock.reduce((sum, level) => sum + level.onHand, 0);
    const committed = stock.reduce((sum, level) => sum + level.committed + level.reserved, 0);
    const dailyDemand = stock.reduce((sum, level) => sum + level.dailyVelocity, 0);
    if (dailyDemand <= 0) continue;
    const ordered = onOrder.get(facts.sku) ?? 0;
    const position = onHand + ordered - committed;
    const z = facts.abcClass === 'A' ? rules.zClassA : rules.z;
    const safetyStock = z * facts.demandSd * Math.sqrt(facts.leadTimeDays);
    const reorderPoint = dailyDemand * facts.leadTimeDays + safetyStock;
    if (position >= reorderPoint) continue;
    const target = dailyDemand * (facts.leadTimeDays + rules.coverWeeks * 7) + safetyStock;
    const suggestedQty = Math.max(1, Math.ceil(Math.max(target - position, facts.moq) / facts.moq)) * facts.moq;
    cases.push({
      sku: facts.sku,
      name: stock[0]?.name ?? facts.sku,
      supplierId: facts.supplierId,
      abcClass: facts.abcClass,
      onHand,
      onOrder: ordered,
      committed,
      position,
      reorderPoint: Math.round(reorderPoint),
      safetyStock: Math.round(safetyStock),
      dailyDemand: Math.round(dailyDemand * 10) / 10,
      leadTimeDays: facts.leadTimeDays,
      suggestedQty,
      moq: facts.moq,
      needBy: addDays(today, Math.max(0, Math.floor((position - safetyStock) / dailyDemand))),
      severity: facts.abcClass === 'A' ? 'warning' : 'info',
    });
  }
  return cases.sort(
    (left, right) =>
      Number(right.severity === 'warning') - Number(left.severity === 'warning') ||
      left.needBy.localeCompare(right.needBy) ||
      left.sku.localeCompare(right.sku),
  );
}
