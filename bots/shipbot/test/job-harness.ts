import pino from 'pino';
import { buildBotServices, type Db, type JobDefinition, type LastRun } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { shipbot } from '../src/bot.js';
import {
  runBackorderUpdates,
  runCarrierExceptions,
  runFulfillmentSla,
  runInventoryCover,
  runInventorySyncDrift,
  runLateOrders,
  runLotExpiryWatch,
  runOrderHolds,
  runReorderPoints,
  runReturnsWatch,
  runShippingCostWatch,
  runFbaInventoryHealth,
  runFbaInboundWatch,
  runFbaCapacityReview,
  runWholesaleAllocation,
} from '../src/index.js';

type Runner = (context: never, config: never, now: Date) => Promise<unknown>;

// Each job's runner with the world's clock as an argument: the tests run at a fixed instant.
const RUNNERS: Record<string, Runner> = {
  'inventory-cover': runInventoryCover as Runner,
  'reorder-points': runReorderPoints as Runner,
  'late-orders': runLateOrders as Runner,
  'fulfillment-sla': runFulfillmentSla as Runner,
  'order-holds': runOrderHolds as Runner,
  'carrier-exceptions': runCarrierExceptions as Runner,
  'lot-expiry-watch': runLotExpiryWatch as Runner,
  'inventory-sync-drift': runInventorySyncDrift as Runner,
  'returns-watch': runReturnsWatch as Runner,
  'shipping-cost-watch': runShippingCostWatch as Runner,
  'backorder-updates': runBackorderUpdates as Runner,
  'fba-inventory-health': runFbaInventoryHealth as Runner,
  'fba-inbound-watch': runFbaInboundWatch as Runner,
  'fba-capacity-review': runFbaCapacityReview as Runner,
  'wholesale-allocation': runWholesaleAllocation as Runner,
};

/** Quiet logs for job tests. */
export const silent = pino({ level: 'silent' });

/** The catalogue's reference Wednesday, 10:00 in Portland (PST): the sample company is loaded at this instant. */
export const REFERENCE_NOW = new Date('2026-12-09T18:00:00Z');

/** The company's zone for the tests (the sample company is in Portland). */
export const ZONE = 'America/Los_Angeles';

/** What a job returned, as the tests read it. */
export interface JobResult {
  outcome: string;
  fingerprint?: string;
  detail: Record<string, unknown> & { findings: number; posted: boolean };
}

/**
 * Run one of shipbot's jobs the way the scheduler does, with its settings parsed from `env`, at
 * `now`, with `last` as the previous successful run (post on change compares with it).
 */
export async function runShipbotJob(
  db: Db,
  job: JobDefinition,
  options: { env?: Record<string, string>; now?: Date; manual?: boolean; last?: JobResult | null; runId?: string; connectors?: Connectors } = {},
): Promise<JobResult> {
  const runId = options.runId ?? `${job.id}-${Math.random().toString(36).slice(2, 10)}`;
  const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job: job.id, runId });
  const last = options.last ?? null;
  const now = options.now ?? REFERENCE_NOW;
  const runContext = {
    ...context,
    connectors: options.connectors ?? createConnectors({ db, env: {} }),
    config: job.settings?.load({ FLEET_TZ: ZONE, ...options.env }) ?? {},
    job: job.id,
    runId,
    scheduledFor: now,
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: runId,
    lastRun: async (): Promise<LastRun | null> =>
      last === null ? null : { runId: 'previous', scheduledFor: '', result: last, outcome: last.outcome, fingerprint: last.fingerprint ?? null },
  };
  const runner = RUNNERS[job.id];
  if (runner === undefined) throw new Error(`no runner for ${job.id}: add it to RUNNERS`);
  return (await runner(runContext as never, runContext.config as never, now)) as JobResult;
}
