import {
  defineJob,
  envInteger,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
  type SettingsOf,
} from '@jbot/core';
import type { Connectors, FbaPlanningRow, FbaStrandedRow } from '@jbot/connectors';
import { localDay } from '../company-day.js';
import { createFbaInboundPlan } from '../fba/create-fba-inbound-plan.js';

/** fba-inventory-health's rules (catalogue defaults). */
export const fbaInventoryHealthSettings = envSettings({
  /** Under this many historical days of supply on both the 30- and 90-day views, Amazon charges the low-inventory-level fee. */
  SHIP_FBA_LOW_SUPPLY_DAYS: envInteger(28, 1, 365),
  /** A replenishment brings a SKU back to this many days of its 30-day sales. */
  SHIP_FBA_TARGET_SUPPLY_DAYS: envInteger(60, 1, 365),
  /** A unit's margin as a share of its price (after Amazon's fees): aged units costing more to store than this are removed. */
  SHIP_FBA_MARGIN_SHARE: envNumber(0.3),
  /** The planning report's row count swinging more than this share from the last good run means a partial report: no alerts from it. */
  SHIP_FBA_PLANNING_SWING: envNumber(0.5),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type FbaInventoryHealthConfig = SettingsOf<typeof fbaInventoryHealthSettings>;

/** A SKU under the low-inventory-level fee line, with what to send in. */
export interface LowSupplySku {
  row: FbaPlanningRow;
  inbound: number;
  /** Units to send to reach the target days of supply; 0 when what is inbound already does. */
  replenish: number;
}

/** Aged units that cost more to keep than they earn: remove them (a Seller Central task: no SP-API operation creates removal orders). */
export interface AgedSku {
  row: FbaPlanningRow;
  monthsToSell: number;
  storagePerUnitUntilSold: number;
  unitMargin: number;
}

/** What one check found. */
export interface FbaHealthReport {
  lowSupply: LowSupplySku[];
  stranded: FbaStrandedRow[];
  aged: AgedSku[];
  planningRows: number;
  /** Set when the planning report looks partial: its findings are withheld. */
  partial: { rows: number; lastRows: number } | null;
}

/**
 * The catalogue's rules over the planning and stranded reports and the inventory summaries: both
 * historical-days-of-supply views under 28 → low-inventory fee, replenish to the target; stranded
 * units → fba_stranded; units aged over 180 days whose storage until sold exceeds their margin →
 * removal. A planning report whose row count swings ±50% from the last good run is partial.
 */
export async function checkFbaInventory(
  connectors: Pick<Connectors, 'fba'>,
  config: FbaInventoryHealthConfig,
  lastPlanningRows: number | null,
): Promise<FbaHealthReport> {
  const [planning, stranded, summaries] = await Promise.all([
    connectors.fba.getPlanningReport(),
    connectors.fba.getStrandedReport(),
    connectors.fba.listInventorySummaries(),
  ]);
  const inbound = new Map(summaries.map((summary) => [summary.sku, summary.inboundWorking + summary.inboundShipped + summary.inboundReceiving]));
  const swing = lastPlanningRows === null || lastPlanningRows === 0 ? 0 : Math.abs(planning.length - lastPlanningRows) / lastPlanningRows;
  const partial = lastPlanningRows !== null && swing > config.SHIP_FBA_PLANNING_SWING ? { rows: planning.length, lastRows: lastPlanningRows } : null;
  const lowSupply: LowSupplySku[] = [];
  const aged: AgedSku[] = [];
  if (partial === null) {
    for (const row of planning) {
      const short = row.shortTermDaysOfSupply;
      const long = row.longTermDaysOfSupply;
      if (short !== null && long !== null && short < config.SHIP_FBA_LOW_SUPPLY_DAYS && long < config.SHIP_FBA_LOW_SUPPLY_DAYS) {
        const coming = inbound.get(row.sku) ?? 0;
        const dailySales = row.unitsShippedT30 / 30;
        lowSupply.push({ row, inbound: coming, replenish: Math.max(0, Math.ceil(dailySales * config.SHIP_FBA_TARGET_SUPPLY_DAYS - row.available - coming)) });
      }
      if (row.agedOver180 > 0 && row.available > 0 && row.yourPrice !== null) {
        const monthlySales = row.unitsShippedT30;
        const monthsToSell = monthlySales <= 0 ? 99 : Math.min(99, row.available / monthlySales);
        const storagePerUnitUntilSold = (row.estimatedStorageCostNextMonth / row.available) * monthsToSell;
        const unitMargin = row.yourPrice * config.SHIP_FBA_MARGIN_SHARE;
        if (storagePerUnitUntilSold > unitMargin)
          aged.push({
            row,
            monthsToSell: Math.round(monthsToSell * 10) / 10,
            storagePerUnitUntilSold: Math.round(storagePerUnitUntilSold * 100) / 100,
            unitMargin: Math.round(unitMargin * 100) / 100,
          });
      }
    }
  }
  return { lowSupply, stranded: stranded.filter((row) => row.units > 0), aged, planningRows: planning.length, partial };
}

/** The #ship-bot report. */
export function fbaHealthMessage(report: FbaHealthReport) {
  const lines: string[] = [];
  if (report.partial !== null)
    lines.push(
      `⚠️ planning report partial (${report.partial.rows} rows, ${report.partial.lastRows} last good run): low-supply and aged checks withheld until it settles`,
    );
  for (const item of report.lowSupply)
    lines.push(
      `• 📉 ${item.row.sku} ${item.row.productName}: ${item.row.shortTermDaysOfSupply} / ${item.row.longTermDaysOfSupply} days of supply (30/90-day) — low-inventory fee; ${item.row.available} available, ${item.inbound} inbound → ${item.replenish > 0 ? `send ${item.replenish}` : 'what is inbound covers it'}`,
    );
  for (const row of report.stranded) lines.push(`• 🧊 ${row.sku} (${row.asin}): ${row.units} units stranded since ${row.dateStranded ?? '?'} — ${row.reason}`);
  for (const item of report.aged)
    lines.push(
      `• 🕰️ ${item.row.sku}: ${item.row.agedOver180} units aged > 180 d; storage until sold $${item.storagePerUnitUntilSold}/unit > margin $${item.unitMargin} → removal (Seller Central task: no SP-API call creates removal orders)`,
    );
  return {
    kind: 'report',
    title: `FBA inventory health: ${report.lowSupply.length} low supply, ${report.stranded.reduce((sum, row) => sum + row.units, 0)} units stranded, ${report.aged.length} to remove`,
    text: lines.join('\n'),
    severity: report.stranded.length > 0 || report.lowSupply.length > 0 ? ('warning' as const) : ('info' as const),
  };
}

function lastPlanningRowsOf(result: unknown): number | null {
  const detail = (result as { detail?: { planningRows?: unknown; partial?: unknown } } | null)?.detail;
  // Only a good run is a baseline: a partial one would let the next partial report pass.
  return typeof detail?.planningRows === 'number' && detail.partial !== true ? detail.planningRows : null;
}

/**
 * Run fba-inventory-health once: `fba_stranded` per stranded SKU (contentbot fixes the listing),
 * `create_fba_inbound_plan` for the low-supply SKUs, the removal list as a task, posted on change.
 */
// `now` is the world's clock; tests pass a fixed instant.
export async function runFbaInventoryHealth(context: BotContext & JobRunInfo, config: FbaInventoryHealthConfig, now = new Date()) {
  const last = await context.lastRun();
  const report = await checkFbaInventory(context.connectors, config, lastPlanningRowsOf(last?.result ?? null));
  for (const row of report.stranded)
    await context.signals.emit(
      'fba_stranded',
      { sku: row.sku, asin: row.asin, units: row.units, reason: row.reason },
      { dedupeKey: `fba_stranded:${row.sku}:${row.units}`, dedupeWindowMs: 7 * 86_400_000 },
    );
  const toSend = report.lowSupply.filter((item) => item.replenish > 0);
  let approvalId: string | null = null;
  if (toSend.length > 0) {
    const { approval } = await context.approvals.request({
      action: createFbaInboundPlan,
      title: `Send ${toSend.reduce((sum, item) => sum + item.replenish, 0)} units to FBA (${toSend.map((item) => item.row.sku).join(', ')}) before the low-inventory fee`,
      draft: {
        name: `Replenish ${localDay(now, config.FLEET_TZ)}`,
        items: toSend.map((item) => ({
          sku: item.row.sku,
          quantity: item.replenish,
          short_term_days_of_supply: item.row.shortTermDaysOfSupply,
          long_term_days_of_supply: item.row.longTermDaysOfSupply,
        })),
      },
      requestKey: `fba-inventory-health:inbound:${fingerprintOf(toSend.map((item) => [item.row.sku, item.replenish]))}`,
    });
    approvalId = approval.id;
  }
  const outcome = await reportFindings(context, {
    findings: [
      ...report.lowSupply.map((item) => ['low', item.row.sku, item.replenish]),
      ...report.stranded.map((row) => ['stranded', row.sku, row.units]),
      ...report.aged.map((item) => ['aged', item.row.sku, item.row.agedOver180]),
      ...(report.partial === null ? [] : [['partial', report.partial.rows]]),
    ],
    noun: 'FBA finding',
    message: () => fbaHealthMessage(report),
    nothingLine: `FBA stock is healthy: ${report.planningRows} SKUs above ${config.SHIP_FBA_LOW_SUPPLY_DAYS} days of supply, none stranded, no aged stock costing more than it earns.`,
  });
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: {
      ...outcome.detail,
      planningRows: report.planningRows,
      partial: report.partial !== null,
      lowSupply: report.lowSupply.map((item) => item.row.sku),
      stranded: report.stranded.map((row) => row.sku),
      removal: report.aged.map((item) => item.row.sku),
      approvalId,
    },
  });
}

/** shipbot's fba-inventory-health: daily 06:30 (fleet time zone). */
export const fbaInventoryHealth = defineJob({
  id: 'fba-inventory-health',
  schedule: '30 6 * * *',
  description:
    'Amazon FBA stock: low-inventory-fee risk (< 28 days on both views) → create_fba_inbound_plan, stranded units → fba_stranded, aged stock to remove',
  timeoutMs: 900_000,
  missed: 'once',
  settings: fbaInventoryHealthSettings,
  run: (context) => runFbaInventoryHealth(context, context.config),
});
