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
import type { Connectors } from '@jbot/connectors';
import { setInventoryQuantities } from '../stock/set-inventory-quantities.js';

/** inventory-sync-drift's tolerance (catalogue defaults). */
export const inventorySyncDriftSettings = envSettings({
  SHIP_DRIFT_MIN_UNITS: envInteger(5, 0, 100_000),
  SHIP_DRIFT_MIN_SHARE: envNumber(0.05, 0),
});

/** The parsed settings. */
export type InventorySyncDriftConfig = SettingsOf<typeof inventorySyncDriftSettings>;

/** A SKU whose store stock disagrees with the 3PL's count. */
export interface Drift {
  sku: string;
  location: string;
  shopifyAvailable: number;
  wmsOnHand: number;
  committed: number;
  /** What the store should show: WMS on hand − committed. */
  expectedAvailable: number;
  difference: number;
  /** The store sells stock the 3PL does not have: flagged on the first check. */
  phantom: boolean;
}

/** Every SKU-location where the store and the 3PL differ by more than max(units, share), this check. */
export async function findDrift(connectors: Pick<Connectors, 'fulfilment' | 'warehouse'>, config: InventorySyncDriftConfig): Promise<Drift[]> {
  const [levels, counts] = await Promise.all([connectors.fulfilment.listStockLevels(), connectors.warehouse.listOnHand()]);
  const drifts: Drift[] = [];
  for (const count of counts) {
    const level = levels.find((candidate) => candidate.sku === count.sku && candidate.location === count.location);
    if (level === undefined) continue;
    const expectedAvailable = count.onHand - level.committed;
    const difference = level.available - expectedAvailable;
    const phantom = level.available > 0 && count.onHand === 0;
    const tolerance = Math.max(config.SHIP_DRIFT_MIN_UNITS, config.SHIP_DRIFT_MIN_SHARE * Math.max(Math.abs(expectedAvailable), Math.abs(level.available)));
    if (!phantom && Math.abs(difference) <= tolerance) continue;
    drifts.push({
      sku: count.sku,
      location: count.location,
      shopifyAvailable: level.available,
      wmsOnHand: count.onHand,
      committed: level.committed,
      expectedAvailable,
      difference,
      phantom,
    });
  }
  return drifts.sort((left, right) => Math.abs(right.difference) - Math.abs(left.difference) || left.sku.localeCompare(right.sku));
}

const keyOf = (drift: { sku: string; location: string }) => `${drift.sku}@${drift.location}`;

/**
 * Run inventory-sync-drift once: a drift counts when it was also there on the previous check (a
 * file landing mid-count is not a drift), or at once when the store sells what the 3PL does not
 * have. Each counted drift asks `set_inventory_quantities` (one approval per set) and raises
 * `inventory_drift` when open orders exceed the 3PL's stock.
 */
export async function runInventorySyncDrift(context: BotContext & JobRunInfo, config: InventorySyncDriftConfig) {
  const drifts = await findDrift(context.connectors, config);
  const previous = (await context.lastRun())?.result as { detail?: { seen?: unknown } } | undefined;
  const seenBefore = new Set(Array.isArray(previous?.detail?.seen) ? (previous.detail.seen as unknown[]).map(String) : []);
  const confirmed = drifts.filter((drift) => drift.phantom || seenBefore.has(keyOf(drift)));
  const openOrders = new Map<string, number>();
  if (confirmed.length > 0)
    for (const order of await context.connectors.commerce.listOrders({ openOnly: true }))
      for (const line of order.lines) openOrders.set(line.sku, (openOrders.get(line.sku) ?? 0) + line.quantity);
  for (const drift of confirmed) {
    const open = openOrders.get(drift.sku) ?? 0;
    if (open <= drift.wmsOnHand && !drift.phantom) continue;
    await context.signals.emit(
      'inventory_drift',
      { sku: drift.sku, shopify_available: drift.shopifyAvailable, wms_on_hand: drift.wmsOnHand, open_orders: open },
      { dedupeKey: `inventory_drift:${keyOf(drift)}:${drift.wmsOnHand}:${drift.shopifyAvailable}`, dedupeWindowMs: 24 * 3_600_000 },
    );
  }
  let approvalId: string | null = null;
  if (confirmed.length > 0) {
    const { approval } = await context.approvals.request({
      action: setInventoryQuantities,
      title: `Correct ${confirmed.length} stock level${confirmed.length === 1 ? '' : 's'} in the store to the 3PL's count (${confirmed.map(keyOf).join(', ')})`,
      draft: {
        reason: 'correction',
        changes: confirmed.map((drift) => ({
          sku: drift.sku,
          location: drift.location,
          from: drift.shopifyAvailable,
          to: drift.expectedAvailable,
          wms_on_hand: drift.wmsOnHand,
        })),
      },
      requestKey: `inventory-sync-drift:${fingerprintOf(confirmed.map((drift) => [keyOf(drift), drift.shopifyAvailable, drift.expectedAvailable]))}`,
    });
    approvalId = approval.id;
  }
  const outcome = await reportFindings(context, {
    findings: confirmed.map((drift) => [keyOf(drift), drift.shopifyAvailable, drift.wmsOnHand]),
    noun: 'drifted SKU',
    message: (findings) => ({
      kind: 'report',
      title: `Inventory sync: ${findings.length} SKU${findings.length === 1 ? '' : 's'} disagree with the 3PL`,
      text: confirmed
        .map(
          (drift) =>
            `• ${drift.sku} @ ${drift.location}: store ${drift.shopifyAvailable} available, 3PL ${drift.wmsOnHand} on hand − ${drift.committed} committed = ${drift.expectedAvailable}${drift.phantom ? ' — the store is selling stock the 3PL does not have' : ` (off by ${drift.difference}, two checks running)`}`,
        )
        .join('\n'),
      severity: 'warning',
    }),
    nothingLine: `The store and the 3PL agree within max(${config.SHIP_DRIFT_MIN_UNITS} units, ${Math.round(config.SHIP_DRIFT_MIN_SHARE * 100)}%)${drifts.length === 0 ? '' : `; ${drifts.length} first-time difference${drifts.length === 1 ? '' : 's'} to re-check next run`}.`,
  });
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, seen: drifts.map(keyOf), confirmed: confirmed.map(keyOf), approvalId },
  });
}

/** shipbot's inventory-sync-drift: every 2 hours at :40. */
export const inventorySyncDrift = defineJob({
  id: 'inventory-sync-drift',
  schedule: '40 */2 * * *',
  description:
    "Store stock vs the 3PL's on-hand file: drift on two checks, or the store selling what the 3PL lacks → set_inventory_quantities, inventory_drift",
  timeoutMs: 120_000,
  overlap: 'skip',
  missed: 'skip',
  settings: inventorySyncDriftSettings,
  run: (context) => runInventorySyncDrift(context, context.config),
});
