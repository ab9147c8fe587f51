import pino from 'pino';
import { buildBotServices, type BotContext, type Db, type JobDefinition, type JobRunInfo, type LastRun, type LlmConfig } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { opsbot } from '../src/bot.js';

/** Quiet logs for job tests. */
export const silent = pino({ level: 'silent' });

/** A Wednesday, 10:00 in Portland (PST): the sample company is loaded at this instant. */
export const REFERENCE_NOW = new Date('2026-12-09T18:00:00Z');

/** The company's zone for the tests (the sample company is in Portland). */
export const ZONE = 'America/Los_Angeles';

/** A job's stored result as the next run sees it. */
export interface StoredRun {
  outcome: string;
  fingerprint?: string;
  detail?: unknown;
}

/** opsbot's context for one run of `job`, at `now`, with `last` as the previous successful run. */
export function runContext(
  db: Db,
  job: JobDefinition,
  options: { env?: Record<string, string>; now?: Date; manual?: boolean; last?: StoredRun | null; connectors?: Connectors; llm?: LlmConfig } = {},
): BotContext & JobRunInfo & { config: never } {
  const runId = `${job.id}-${Math.random().toString(36).slice(2, 10)}`;
  const context = buildBotServices(opsbot, { db, log: silent, host: 'test-host', ...(options.llm === undefined ? {} : { llm: options.llm }) }).context(
    new AbortController().signal,
    silent,
    { job: job.id, runId },
  );
  const last = options.last ?? null;
  const now = options.now ?? REFERENCE_NOW;
  return {
    ...context,
    connectors: options.connectors ?? createConnectors({ db, env: {} }),
    config: (job.settings?.load({ FLEET_TZ: ZONE, ...options.env }) ?? {}) as never,
    job: job.id,
    runId,
    scheduledFor: now,
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: runId,
    lastRun: async (): Promise<LastRun | null> =>
      last === null ? null : { runId: 'previous', scheduledFor: '', result: last.detail ?? null, outcome: last.outcome, fingerprint: last.fingerprint ?? null },
  };
}

/** Run a job's `run` the way the scheduler does (its outcome is what the next run compares with). */
export async function runJob(db: Db, job: JobDefinition, options: Parameters<typeof runContext>[2] = {}): Promise<StoredRun> {
  return (await job.run(runContext(db, job, options) as never)) as StoredRun;
}
