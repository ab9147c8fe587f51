import {
  defineJob,
  envInteger,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  type BotContext,
  type JobRunInfo,
  type SettingsOf,
} from '@jbot/core';
import type { Connectors, FbaCapacityInputs } from '@jbot/connectors';

/** fba-capacity-review's rules (catalogue defaults; the 2026 storage-limit thresholds). */
export const fbaCapacityReviewSettings = envSettings({
  /** IPI under this → warning. */
  SHIP_FBA_IPI_WARNING: envInteger(450, 0, 1000),
  /** IPI under this → alert (Amazon's storage-limit threshold). */
  SHIP_FBA_IPI_ALERT: envInteger(400, 0, 1000),
  /** Excess units over this percent of available. */
  SHIP_FBA_EXCESS_PCT: envNumber(10),
  /** 90-day sell-through (units shipped ÷ units available) under this. */
  SHIP_FBA_MIN_SELL_THROUGH: envNumber(2),
  /** Storage capacity used over this percent of the limit. */
  SHIP_FBA_CAPACITY_PCT: envNumber(85),
  /** The operator's IPI entry older than this is stale: ask for this week's. */
  SHIP_FBA_INPUTS_MAX_AGE_DAYS: envInteger(8, 1, 60),
});

/** The parsed settings. */
export type FbaCapacityReviewConfig = SettingsOf<typeof fbaCapacityReviewSettings>;

/** The week's inventory-performance figures and the rules they broke. */
export interface CapacityReview {
  inputs: FbaCapacityInputs | null;
  /** The operator's entry is missing or older than the limit: IPI and capacity are not judged. */
  inputsStale: boolean;
  ipi: number | null;
  capacityUsedPct: number | null;
  usedCubicFeet: number;
  excessPct: number;
  sellThrough: number;
  breaches: string[];
  severity: 'warning' | 'alert' | null;
  /** SKUs to clear (excess or aged), largest first: the Seller Central removal/excess task. */
  excessSkus: Array<{ sku: string; excess: number; agedOver180: number; stranded: number }>;
}

const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * The catalogue's rules on the planning, stranded and storage-fee reports and the operator's
 * weekly IPI and capacity limit (neither is in SP-API): IPI < 450 warning, < 400 alert; excess >
 * 10%; 90-day sell-through < 2; capacity used > 85%.
 */
export async function reviewFbaCapacity(connectors: Pick<Connectors, 'fba'>, config: FbaCapacityReviewConfig, now: Date): Promise<CapacityReview> {
  const [planning, stranded, storage, inputs] = await Promise.all([
    connectors.fba.getPlanningReport(),
    connectors.fba.getStrandedReport(),
    connectors.fba.getStorageFeeReport(),
    connectors.fba.getCapacityInputs(),
  ]);
  const inputsStale = inputs === null || now.getTime() - Date.parse(inputs.enteredAt) > config.SHIP_FBA_INPUTS_MAX_AGE_DAYS * 86_400_000;
  const available = planning.reduce((sum, row) => sum + row.available, 0);
  const excess = planning.reduce((sum, row) => sum + row.estimatedExcessQuantity, 0);
  const shipped90 = planning.reduce((sum, row) => sum + row.unitsShippedT90, 0);
  const usedCubicFeet = round(
    storage.reduce((sum, row) => sum + row.volumeCubicFeet, 0),
    2,
  );
  const excessPct = available === 0 ? 0 : round((excess / available) * 100);
  const sellThrough = available === 0 ? 0 : round(shipped90 / available, 2);
  const ipi = inputsStale || inputs === null ? null : inputs.ipi;
  const capacityUsedPct = inputsStale || inputs === null ? null : round((usedCubicFeet / inputs.capacityLimitCubicFeet) * 100);
  const breaches: string[] = [];
  let severity: CapacityReview['severity'] = null;
  if (ipi !== null && ipi < config.SHIP_FBA_IPI_ALERT) {
    breaches.push(`IPI ${ipi} < ${config.SHIP_FBA_IPI_ALERT}: storage limits tighten`);
    severity = 'alert';
  } else if (ipi !== null && ipi < config.SHIP_FBA_IPI_WARNING) breaches.push(`IPI ${ipi} < ${config.SHIP_FBA_IPI_WARNING}`);
  if (excessPct > config.SHIP_FBA_EXCESS_PCT) breaches.push(`excess ${excessPct}% of units > ${config.SHIP_FBA_EXCESS_PCT}%`);
  if (planning.length > 0 && sellThrough < config.SHIP_FBA_MIN_SELL_THROUGH)
    breaches.push(`90-day sell-through ${sellThrough} < ${config.SHIP_FBA_MIN_SELL_THROUGH}`);
  if (capacityUsedPct !== null && capacityUsedPct > config.SHIP_FBA_CAPACITY_PCT)
    breaches.push(`capacity ${capacityUsedPct}% used > ${config.SHIP_FBA_CAPACITY_PCT}%`);
  if (severity === null && breaches.length > 0) severity = 'warning';
  const strandedUnits = new Map(stranded.map((row) => [row.sku, row.units]));
  const excessSkus = planning
    .filter((row) => row.estimatedExcessQuantity > 0 || row.agedOver180 > 0)
    .map((row) => ({ sku: row.sku, excess: row.estimatedExcessQuantity, agedOver180: row.agedOver180, stranded: strandedUnits.get(row.sku) ?? 0 }))
    .sort((left, right) => right.excess + right.agedOver180 - (left.excess + left.agedOver180) || left.sku.localeCompare(right.sku));
  return { inputs, inputsStale, ipi, capacityUsedPct, usedCubicFeet, excessPct, sellThrough, breaches, severity, excessSkus };
}

/** The #ship-bot Monday report. */
export function capacityMessage(review: CapacityReview) {
  const figures = [
    `IPI ${review.ipi ?? 'not entered this week'}`,
    `capacity ${review.capacityUsedPct === null ? `${review.usedCubicFeet} ft³ (limit not entered)` : `${review.capacityUsedPct}% (${review.usedCubicFeet} of ${review.inputs?.capacityLimitCubicFeet ?? '?'} ft³)`}`,
    `excess ${review.excessPct}%`,
    `sell-through ${review.sellThrough}`,
  ].join(' · ');
  const lines = [figures, ...review.breaches.map((breach) => `• ⚠️ ${breach}`)];
  if (review.inputsStale)
    lines.push('• ✏️ Enter this week\'s IPI and capacity limit (Seller Central → Inventory → Performance): reply "IPI <score> capacity <ft³>"');
  if (review.excessSkus.length > 0 && review.breaches.length > 0)
    lines.push(
      `☐ Task (Seller Central → Manage Excess Inventory): ${review.excessSkus.map((item) => `${item.sku} ${item.excess} excess${item.agedOver180 > 0 ? `, ${item.agedOver180} aged > 180 d` : ''}${item.stranded > 0 ? `, ${item.stranded} stranded` : ''}`).join('; ')}`,
    );
  return {
    kind: 'report',
    title: `FBA capacity review: ${review.breaches.length === 0 ? 'within limits' : review.breaches.length === 1 ? '1 risk' : `${review.breaches.length} risks`}`,
    text: lines.join('\n'),
    severity: review.severity ?? ('info' as const),
  };
}

/** Run fba-capacity-review once: `fba_capacity_risk` (warning / alert by rule) and the Monday report. */
// `now` is the world's clock; tests pass a fixed instant.
export async function runFbaCapacityReview(context: BotContext & JobRunInfo, config: FbaCapacityReviewConfig, now = new Date()) {
  const review = await reviewFbaCapacity(context.connectors, config, now);
  if (review.severity !== null)
    await context.signals.emit(
      'fba_capacity_risk',
      { ipi: review.ipi, capacity_used_pct: review.capacityUsedPct, excess_pct: review.excessPct, sell_through: review.sellThrough },
      { severity: review.severity, dedupeKey: `fba_capacity_risk:${fingerprintOf(review.breaches)}`, dedupeWindowMs: 6 * 86_400_000 },
    );
  const outcome = await reportFindings(context, {
    findings: [...review.breaches, ...(review.inputsStale ? ['inputs stale'] : [])],
    noun: 'capacity risk',
    message: () => capacityMessage(review),
    nothingLine: `FBA capacity within limits: ${capacityMessage(review).text}`,
  });
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: {
      ...outcome.detail,
      ipi: review.ipi,
      capacityUsedPct: review.capacityUsedPct,
      excessPct: review.excessPct,
      sellThrough: review.sellThrough,
      breaches: review.breaches,
    },
  });
}

/** shipbot's fba-capacity-review: Mondays 06:45 (fleet time zone). */
export const fbaCapacityReview = defineJob({
  id: 'fba-capacity-review',
  schedule: '45 6 * * 1',
  description: "Monday: IPI (operator's entry), excess, sell-through and storage capacity use → fba_capacity_risk; excess list as a Seller Central task",
  timeoutMs: 1_800_000,
  missed: 'once',
  settings: fbaCapacityReviewSettings,
  run: (context) => runFbaCapacityReview(context, context.config),
});
