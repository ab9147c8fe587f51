import type { PurchaseOrderLine, Shipment, StockLevel } from '@jbot/connectors';
import { addDays } from '../company-day.js';

/** Stock on its way to a location: a late or on-time shipment, or an open purchase order. */
export interface Inbound {
  source: string;
  sku: string;
  location: string;
  quantity: number;
  /** YYYY-MM-DD the stock can be sold from the location (arrival plus receiving). */
  restockDate: string;
}

/** One SKU at one location, projected. */
export interface CoverProjection {
  sku: string;
  name: string;
  location: string;
  available: number;
  dailyVelocity: number;
  /** Days the stock lasts, counting inbound that lands before it runs out (one decimal). */
  daysOfCover: number;
  /** YYYY-MM-DD the location runs out (null: nothing sells here). */
  stockoutDate: string | null;
  /** The first inbound that lands after the stockout (null when none is on its way). */
  nextInboundEta: string | null;
  nextInboundSource: string | null;
  /** Any inbound at all for the SKU at this location. */
  hasInbound: boolean;
  channels: string[];
  topSku: boolean;
}

/** The thresholds inventory-cover applies. */
export interface CoverRules {
  warnDays: number;
  alertDays: number;
  topSkus: number;
}

/** A projection that raises stockout_risk, with its severity by rule. */
export interface AtRisk extends CoverProjection {
  severity: 'warning' | 'alert';
  reason: string;
}

/** Inbound stock from undelivered freight (landing at the receiving location) and open POs. */
export function inboundFrom(
  shipments: readonly Shipment[],
  purchaseOrders: readonly PurchaseOrderLine[],
  freightLocation: string,
  receivingDays: number,
  today: string,
): Inbound[] {
  const inbound: Inbound[] = [];
  for (const shipment of shipments) {
    if (shipment.arrivedAt !== null || shipment.status === 'delivered') continue;
    const arrival = shipment.expectedEta < today ? today : shipment.expectedEta;
    for (const line of shipment.lines)
      inbound.push({ source: shipment.id, sku: line.sku, location: freightLocation, quantity: line.quantity, restockDate: addDays(arrival, receivingDays) });
  }
  for (const po of purchaseOrders) {
    const arrival = po.eta < today ? today : po.eta;
    inbound.push({ source: po.poId, sku: po.sku, location: po.location, quantity: po.quantity, restockDate: addDays(arrival, receivingDays) });
  }
  return inbound.sort((left, right) => left.restockDate.localeCompare(right.restockDate) || left.source.localeCompare(right.source));
}

/**
 * Days of cover per SKU and location: available ÷ velocity, extended by each inbound that lands
 * before the stock runs out. A location that sells nothing of a SKU is left out.
 */
export function projectCover(levels: readonly StockLevel[], inbound: readonly Inbound[], today: string, rules: CoverRules): CoverProjection[] {
  // Revenue rank across locations decides the top SKUs, which escalate higher.
  const revenue = new Map<string, number>();
  for (const level of levels) revenue.set(level.sku, (revenue.get(level.sku) ?? 0) + level.dailyVelocity * level.price);
  const top = new Set(
    [...revenue.entries()]
      .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
      .slice(0, rules.topSkus)
      .map(([sku]) => sku),
  );
  const projections: CoverProjection[] = [];
  for (const level of levels) {
    if (level.dailyVelocity <= 0) continue;
    const arriving = inbound.filter((item) => item.sku === level.sku && item.location === level.location);
    let stock = Math.max(0, level.available);
    let cover = stock / level.dailyVelocity;
    let next: Inbound | null = null;
    for (const item of arriving) {
      const landsAfter = (Date.parse(`${item.restockDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
      if (landsAfter <= cover) {
        stock += item.quantity;
        cover = stock / level.dailyVelocity;
      } else {
        next = item;
        break;
      }
    }
    const rounded = Math.floor(cover * 10) / 10;
    projections.push({
      sku: level.sku,
      name: level.name,
      location: level.location,
      available: level.available,
      dailyVelocity: level.dailyVelocity,
      daysOfCover: rounded,
      stockoutDate: addDays(today, Math.floor(cover)),
      nextInboundEta: next?.restockDate ?? null,
      nextInboundSource: next?.source ?? null,
      hasInbound: arriving.length > 0,
      channels: level.reserved > 0 ? ['dtc', 'wholesale'] : ['dtc'],
      topSku: top.has(level.sku),
    });
  }
  return projections;
}

/**
 * The catalogue's rule: warning when the stock runs out before the next inbound lands, or cover
 * is under `warnDays`; alert when cover is under `alertDays` with nothing inbound, or the SKU is
 * one of the top sellers.
 */
export function atRiskOf(projections: readonly CoverProjection[], rules: CoverRules): AtRisk[] {
  const risks: AtRisk[] = [];
  for (const projection of projections) {
    const beforeInbound = projection.nextInboundEta !== null;
    const short = projection.daysOfCover < rules.warnDays;
    if (!beforeInbound && !short) continue;
    const alert = (projection.daysOfCover < rules.alertDays && !projection.hasInbound) || projection.topSku;
    const reason = beforeInbound
      ? `runs out ${projection.stockoutDate ?? '?'}, before ${projection.nextInboundSource ?? 'the next inbound'} lands ${projection.nextInboundEta ?? ''}`
      : `${projection.daysOfCover} days of cover${projection.hasInbound ? '' : ', nothing inbound'}`;
    risks.push({ ...projection, severity: alert ? 'alert' : 'warning', reason: `${reason}${projection.topSku ? ' (top seller)' : ''}` });
  }
  return risks.sort(
    (left, right) =>
      Number(right.severity === 'alert') - Number(left.severity === 'alert') || left.daysOfCover - right.daysOfCover || left.sku.localeCompare(right.sku),
  );
}
