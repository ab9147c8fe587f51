import type { CrmLineItem, CrmProduct } from '@jbot/connectors';

/** The price-list floor: discount off the wholesale list and gross margin, per sign-off tier (catalogue defaults). */
export interface FloorRules {
  financeDiscountPct: number;
  financeMarginPct: number;
  cfoDiscountPct: number;
  cfoMarginPct: number;
}

/** Who must sign a price off: finance below the floor, the CFO group far below it. */
export type SignOffTier = 'finance' | 'cfo';

/** One deal line priced below the floor. */
export interface PricedLine {
  line_item_id: string;
  sku: string;
  name: string;
  quantity: number;
  list_price: number;
  unit_price: number;
  discount_pct: number;
  margin_pct: number | null;
  tier: SignOffTier;
  /** The lowest unit price that needs no sign-off (≤ finance discount and ≥ finance margin). */
  floor_price: number;
}

const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * Price one line against the list: the net unit price after the line discount, its discount off
 * the wholesale list and its gross margin over unit cost. Null when the line needs no sign-off
 * (or its SKU is not on the price list — nothing to compare with).
 */
export function priceLine(line: CrmLineItem, product: CrmProduct | undefined, rules: FloorRules): PricedLine | null {
  if (product === undefined || product.wholesalePrice <= 0) return null;
  const unitPrice = line.price * (1 - line.discountPct / 100);
  const discount = (1 - unitPrice / product.wholesalePrice) * 100;
  const margin = product.unitCost === null || unitPrice <= 0 ? null : ((unitPrice - product.unitCost) / unitPrice) * 100;
  const cfo = discount > rules.cfoDiscountPct || (margin !== null && margin < rules.cfoMarginPct);
  const finance = cfo || discount > rules.financeDiscountPct || (margin !== null && margin < rules.financeMarginPct);
  if (!finance) return null;
  const byDiscount = product.wholesalePrice * (1 - rules.financeDiscountPct / 100);
  const byMargin = product.unitCost === null ? 0 : product.unitCost / (1 - rules.financeMarginPct / 100);
  return {
    line_item_id: line.id,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    list_price: product.wholesalePrice,
    unit_price: round(unitPrice, 2),
    discount_pct: round(discount),
    margin_pct: margin === null ? null : round(margin),
    tier: cfo ? 'cfo' : 'finance',
    floor_price: Math.ceil(Math.max(byDiscount, byMargin) * 100) / 100,
  };
}
