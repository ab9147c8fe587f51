import pino from 'pino';
import {
  buildBotServices,
  catalogSignalTypes,
  decideApproval,
  getApproval,
  SignalRegistry,
  startBot,
  type Approval,
  type Db,
  type JobDefinition,
} from '@jbot/core';
import { createConnectors, hubspotActivityFromSample, hubspotObjectsFromSample, readSampleCompanyData, type Connectors } from '@jbot/connectors';
import { freightDelay } from '@jbot/opsbot/signals';
import { startFakeHubSpot, testBotConfig, waitFor, type FakeHubSpot } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { signalTypes } from '../src/signals.js';

// Shared by the activity jobs' tests: run one job as the scheduler would, approve and wait for the
// executor, and a fake HubSpot seeded with the same sample company.

const silent = pino({ level: 'silent' });

/** Run a salesbot job once with its default settings on the given connectors. */
export async function runSalesJob(
  db: Db,
  job: JobDefinition,
  options: { runId: string; manual?: boolean; lastFingerprint?: string | null; connectors?: Connectors; env?: Record<string, string> },
): Promise<{ outcome: string; fingerprint?: string; detail: Record<string, unknown> }> {
  const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, {
    job: job.id,
    runId: options.runId,
  });
  const last = options.lastFingerprint ?? null;
  return (await job.run({
    ...context,
    connectors: options.connectors ?? createConnectors({ db, env: {} }),
    config: job.settings?.load(options.env ?? {}) ?? {},
    job: job.id,
    runId: options.runId,
    scheduledFor: new Date(),
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: options.runId,
    lastRun: async () => (last === null ? null : ({ fingerprint: last } as never)),
  } as never)) as { outcome: string; fingerprint?: string; detail: Record<string, unknown> };
}

/** Approve as a person would, with salesbot running, and wait for the executor's end state. */
export async function approveAndWait(db: Db, approvalId: string, connectors?: Connectors): Promise<Approval> {
  const bot = await startBot(salesbot, {
    db,
    config: testBotConfig(),
    log: silent,
    registry: new SignalRegistry([...catalogSignalTypes, ...signalTypes, freightDelay]),
    extensions: { connectors: connectors ?? createConnectors({ db, env: {} }) },
    approvals: { pollMs: 100 },
  });
  try {
    await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' });
    return await waitFor(
      async () => {
        const approval = await getApproval(db, approvalId);
        return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
      },
      { what: `approval ${approvalId} to execute`, timeoutMs: 30_000 },
    );
  } finally {
    await bot.stop();
  }
}

/** The executor's context outside a running bot (a retry, a second host). */
export function executionContext(db: Db, connectors: Connectors, approvalId: string) {
  const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
  return { ...context, connectors, approvalId, idempotencyKey: `approval:${approvalId}` };
}

/** A fake HubSpot holding the sample company with its selling activity. */
export async function startSampleHubSpot(now = new Date()): Promise<FakeHubSpot> {
  const data = readSampleCompanyData();
  const seed = hubspotActivityFromSample(data, now, hubspotObjectsFromSample(data, now));
  return startFakeHubSpot({ seed });
}

/** Connectors pointed at a fake HubSpot. */
export function liveConnectors(db: Db, hubspot: FakeHubSpot): Connectors {
  return createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
}
