import { z } from 'zod';
import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo, type SettingsOf } from '@jbot/core';
import type { Connectors } from '@jbot/connectors';
import { localDay } from '../company-day.js';
import { atRiskOf, inboundFrom, projectCover, type AtRisk, type CoverProjection } from '../cover/project-cover.js';

/** inventory-cover's thresholds (catalogue defaults). */
export const inventoryCoverSettings = envSettings({
  SHIP_COVER_WARN_DAYS: envInteger(21, 1, 365),
  SHIP_COVER_ALERT_DAYS: envInteger(10, 1, 365),
  SHIP_COVER_TOP_SKUS: envInteger(10, 0, 1000),
  /** Days from dock to shelf (devanning, QC, put-away). */
  SHIP_RECEIVING_DAYS: envInteger(2, 0, 30),
  /** Where inbound ocean, air and truck freight is received. */
  SHIP_FREIGHT_LOCATION: z.string().min(1).default('PDX-1'),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type InventoryCoverConfig = SettingsOf<typeof inventoryCoverSettings>;

/** Every SKU's cover and the ones at risk, for a day. */
export interface CoverReport {
  today: string;
  projections: CoverProjection[];
  atRisk: AtRisk[];
}

/** Project cover for every SKU at every location from stock, open POs and inbound freight. */
export async function projectInventoryCover(
  connectors: Pick<Connectors, 'fulfilment' | 'freight' | 'supply'>,
  config: InventoryCoverConfig,
  now: Date,
): Promise<CoverReport> {
  const today = localDay(now, config.FLEET_TZ);
  const [levels, shipments, purchaseOrders] = await Promise.all([
    connectors.fulfilment.listStockLevels(),
    connectors.freight.listShipments(),
    connectors.supply.listOpenPurchaseOrders(),
  ]);
  const rules = { warnDays: config.SHIP_COVER_WARN_DAYS, alertDays: config.SHIP_COVER_ALERT_DAYS, topSkus: config.SHIP_COVER_TOP_SKUS };
  const projections = projectCover(
    levels,
    inboundFrom(shipments, purchaseOrders, config.SHIP_FREIGHT_LOCATION, config.SHIP_RECEIVING_DAYS, today),
    today,
    rules,
  );
  return { today, projections, atRisk: atRiskOf(projections, rules) };
}

/** The #ship-bot table: one line per SKU and location at risk. */
export function coverMessage(report: CoverReport, backInStock: readonly string[]) {
  const lines = report.atRisk.map(
    (risk) =>
      `• ${risk.severity === 'alert' ? '🔴' : '🟠'} ${risk.sku} ${risk.name} @ ${risk.location}: ${risk.available} available, ${risk.dailyVelocity}/day → ${risk.daysOfCover} d, out ${risk.stockoutDate ?? '—'}; ${risk.reason}`,
  );
  const healthy = report.projections.length - report.atRisk.length;
  return {
    kind: 'report',
    title: `Inventory cover ${report.today}: ${report.atRisk.length} SKU-location${report.atRisk.length === 1 ? '' : 's'} at risk`,
    text: [
      '`SKU @ location: available, velocity → days of cover, stockout date; why`',
      ...lines,
      '',
      `${healthy} other SKU-locations have at least the cover threshold, counting what is inbound.`,
      ...(backInStock.length === 0 ? [] : [`Back in stock: ${backInStock.join(', ')}`]),
    ].join('\n'),
    severity: report.atRisk.some((risk) => risk.severity === 'alert') ? ('alert' as const) : ('warning' as const),
  };
}

const key = (risk: { sku: string; location: string }) => `${risk.sku}@${risk.location}`;

/**
 * Run inventory-cover once: emit `stockout_risk` per SKU-location at risk (one a day per
 * stockout date), `back_in_stock` for a SKU the last run had at risk that now has the cover,
 * and post the table when the set changed.
 */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runInventoryCover(context: BotContext & JobRunInfo, config: InventoryCoverConfig, now = new Date()) {
  const report = await projectInventoryCover(context.connectors, config, now);
  for (const risk of report.atRisk) {
    await context.signals.emit(
      'stockout_risk',
      {
        sku: risk.sku,
        location: risk.location,
        available: risk.available,
        days_of_cover: risk.daysOfCover,
        stockout_date: risk.stockoutDate ?? report.today,
        next_inbound_eta: risk.nextInboundEta,
        channels: risk.channels,
      },
      { severity: risk.severity, dedupeKey: `stockout_risk:${key(risk)}:${risk.stockoutDate ?? ''}:${risk.severity}`, dedupeWindowMs: 20 * 3_600_000 },
    );
  }
  const previous = (await context.lastRun())?.result as { detail?: { atRisk?: unknown } } | undefined;
  const wasAtRisk = Array.isArray(previous?.detail?.atRisk) ? (previous.detail.atRisk as unknown[]).map(String) : [];
  const nowAtRisk = new Set(report.atRisk.map(key));
  const backInStock: string[] = [];
  for (const entry of wasAtRisk) {
    if (nowAtRisk.has(entry)) continue;
    const projection = report.projections.find((candidate) => key(candidate) === entry);
    if (projection === undefined || projection.daysOfCover < config.SHIP_COVER_WARN_DAYS) continue;
    backInStock.push(entry);
    await context.signals.emit(
      'back_in_stock',
      { sku: projection.sku, days_of_cover: projection.daysOfCover },
      { dedupeKey: `back_in_stock:${entry}:${report.today}`, dedupeWindowMs: 20 * 3_600_000 },
    );
  }
  const outcome = await reportFindings(context, {
    findings: report.atRisk.map((risk) => [key(risk), risk.severity, risk.stockoutDate, risk.nextInboundEta]),
    noun: 'at-risk SKU-location',
    message: () => coverMessage(report, backInStock),
    nothingLine: `All ${report.projections.length} stocked SKU-locations have at least ${config.SHIP_COVER_WARN_DAYS} days of cover, counting what is inbound.`,
  });
  return jobOutcome(`${outcome.outcome}${backInStock.length === 0 ? '' : `; ${backInStock.length} back in stock`}`, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, atRisk: report.atRisk.map(key), backInStock },
  });
}

/** shipbot's inventory-cover: daily 06:00 (fleet time zone), before the morning brief. */
export const inventoryCover = defineJob({
  id: 'inventory-cover',
  schedule: '0 6 * * *',
  description: 'Days of cover and stockout date for every SKU at every location, counting inbound → stockout_risk, back_in_stock',
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: inventoryCoverSettings,
  run: (context) => runInventoryCover(context, context.config),
});
