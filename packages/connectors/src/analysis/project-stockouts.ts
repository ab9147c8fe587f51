import type { InventoryLevel } from '../commerce/commerce-connector.js';

/** How long one SKU's stock lasts against its selling rate, and whether it lasts until restock. */
export interface StockRunway {
  sku: string;
  name: string;
  brand: string;
  onHand: number;
  committed: number;
  available: number;
  dailyVelocity: number;
  /** YYYY-MM-DD of the first day with no stock for new orders (today when already out). */
  stockoutDate: string | null;
  /** YYYY-MM-DD the next delivery can be shipped from. */
  restockDate: string;
  /** Days without stock before the restock (0 when it lasts). */
  daysOutOfStock: number;
  /** Demand that cannot be served in that gap, in units. */
  unitsShort: number;
}

const DAY_MS = 86_400_000;

/** Midnight UTC of a date, as a day number, so day arithmetic ignores the time of day. */
export function dayNumber(date: Date | string): number {
  const value = typeof date === 'string' ? new Date(date.length === 10 ? `${date}T00:00:00Z` : date) : date;
  return Math.floor(value.getTime() / DAY_MS);
}

/** YYYY-MM-DD of a day number. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Project each SKU's runway from available stock and selling rate against a restock date: the
 * shared arithmetic behind shipbot's fulfilment forecast and mktgbot's pause proposals.
 */
export function projectStockouts(inventory: InventoryLevel[], skus: string[], restockDate: string, now: Date): StockRunway[] {
  const today = dayNumber(now);
  const restock = dayNumber(restockDate);
  const bySku = new Map<string, InventoryLevel[]>();
  for (const level of inventory) bySku.set(level.sku, [...(bySku.get(level.sku) ?? []), level]);
  return skus.map((sku) => {
    const levels = bySku.get(sku) ?? [];
    const onHand = levels.reduce((sum, level) => sum + level.onHand, 0);
    const committed = levels.reduce((sum, level) => sum + level.committed, 0);
    const available = onHand - committed;
    const dailyVelocity = levels.reduce((sum, level) => sum + level.dailyVelocity, 0);
    const coverDays = available <= 0 ? 0 : dailyVelocity <= 0 ? Number.POSITIVE_INFINITY : Math.floor(available / dailyVelocity);
    const stockout = Number.isFinite(coverDays) ? today + coverDays : null;
    const daysOutOfStock = stockout === null ? 0 : Math.max(0, restock - stockout);
    return {
      sku,
      name: levels[0]?.name ?? sku,
      brand: levels[0]?.brand ?? '',
      onHand,
      committed,
      available,
      dailyVelocity,
      stockoutDate: stockout === null ? null : dayString(stockout),
      restockDate,
      daysOutOfStock,
      unitsShort: Math.ceil(daysOutOfStock * dailyVelocity + Math.max(0, -available)),
    };
  });
}

/** Days from dock to shelf at the Portland DC (devanning, QC, put-away). */
export const RECEIVING_DAYS = 2;

/** The first day a delayed shipment's stock can ship: its expected arrival (not before today) plus receiving. */
export function restockDateFor(expectedEta: string, now: Date, receivingDays = RECEIVING_DAYS): string {
  return dayString(Math.max(dayNumber(expectedEta), dayNumber(now)) + receivingDays);
}
