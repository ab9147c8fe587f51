import {
  defineJob,
  envNumber,
  envInteger,
  envSettings,
  jobOutcome,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
  type SettingsOf,
} from '@jbot/core';
import type { Connectors } from '@jbot/connectors';
import { localDay } from '../company-day.js';
import { findReorders, type ReorderCase } from '../replenishment/reorder-point.js';

/** reorder-points' service levels (catalogue defaults). */
export const reorderPointsSettings = envSettings({
  SHIP_REORDER_Z: envNumber(1.65, 0),
  SHIP_REORDER_Z_CLASS_A: envNumber(2.05, 0),
  SHIP_REORDER_COVER_WEEKS: envInteger(8, 1, 52),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type ReorderPointsConfig = SettingsOf<typeof reorderPointsSettings>;

/** The SKUs below their reorder point today. */
export async function findReorderCases(
  connectors: Pick<Connectors, 'fulfilment' | 'freight' | 'supply'>,
  config: ReorderPointsConfig,
  now: Date,
): Promise<ReorderCase[]> {
  const [levels, supply, purchaseOrders, shipments] = await Promise.all([
    connectors.fulfilment.listStockLevels(),
    connectors.supply.listSupplyFacts(),
    connectors.supply.listOpenPurchaseOrders(),
    connectors.freight.listShipments(),
  ]);
  return findReorders(levels, supply, purchaseOrders, shipments, localDay(now, config.FLEET_TZ), {
    z: config.SHIP_REORDER_Z,
    zClassA: config.SHIP_REORDER_Z_CLASS_A,
    coverWeeks: config.SHIP_REORDER_COVER_WEEKS,
  });
}

/** The #ship-bot list: one line per SKU to reorder. */
export function reorderMessage(cases: readonly ReorderCase[]) {
  return {
    kind: 'report',
    title: `Reorder points: ${cases.length} SKU${cases.length === 1 ? '' : 's'} to reorder`,
    text: [
      ...cases.map(
        (item) =>
          `• ${item.sku} ${item.name} (${item.abcClass}, ${item.supplierId}): position ${item.position} < ROP ${item.reorderPoint} (${item.dailyDemand}/day × ${item.leadTimeDays} d + ${item.safetyStock} safety) → order ${item.suggestedQty} (MOQ ${item.moq}), needed by ${item.needBy}`,
      ),
      '',
      'opsbot drafts each purchase order for approval.',
    ].join('\n'),
    severity: cases.some((item) => item.severity === 'warning') ? ('warning' as const) : ('info' as const),
  };
}

/** Run reorder-points once: `reorder_needed` per SKU (once a day), the list posted when it changed. */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runReorderPoints(context: BotContext & JobRunInfo, config: ReorderPointsConfig, now = new Date()) {
  const cases = await findReorderCases(context.connectors, config, now);
  const today = localDay(now, config.FLEET_TZ);
  for (const item of cases) {
    await context.signals.emit(
      'reorder_needed',
      {
        sku: item.sku,
        supplier_id: item.supplierId,
        position: item.position,
        reorder_point: item.reorderPoint,
        suggested_qty: item.suggestedQty,
        moq: item.moq,
        need_by: item.needBy,
      },
      { severity: item.severity, dedupeKey: `reorder_needed:${item.sku}:${today}`, dedupeWindowMs: 20 * 3_600_000 },
    );
  }
  const outcome = await reportFindings(context, {
    findings: cases.map((item) => [item.sku, item.suggestedQty, item.needBy]),
    noun: 'reorder',
    message: () => reorderMessage(cases),
    nothingLine: 'Every SKU is at or above its reorder point, counting open POs and freight on the water.',
  });
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, skus: cases.map((item) => item.sku) },
  });
}

/** shipbot's reorder-points: daily 06:15 (fleet time zone), after inventory-cover. */
export const reorderPoints = defineJob({
  id: 'reorder-points',
  schedule: '15 6 * * *',
  description: 'SKUs whose inventory position fell below the reorder point → reorder_needed (opsbot drafts the PO)',
  timeoutMs: 120_000,
  missed: 'once',
  settings: reorderPointsSettings,
  run: (context) => runReorderPoints(context, context.config),
});
