import pino from 'pino';
import { buildBotServices, loadLlmConfig, type Db, type JobDefinition } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { studiobot } from '../src/bot.js';

/** A silent logger for the tests. */
export const silent = pino({ level: 'silent' });

/** The context a studiobot job or handler gets, on the sample company (or the given connectors). */
export function studioContext(db: Db, options: { job?: string; runId?: string; connectors?: Connectors; llmEnv?: Record<string, string> } = {}) {
  const services = buildBotServices(studiobot, {
    db,
    log: silent,
    host: 'test-host',
    ...(options.llmEnv === undefined ? {} : { llm: loadLlmConfig(options.llmEnv) }),
  });
  const context = services.context(
    new AbortController().signal,
    silent,
    options.job === undefined ? undefined : { job: options.job, runId: options.runId ?? options.job },
  );
  return { ...context, connectors: options.connectors ?? createConnectors({ db, env: {} }) };
}

/** Run one declared job once, as the scheduler would (manual = `fleet run`). */
export async function runJob(
  db: Db,
  job: JobDefinition,
  options: {
    runId: string;
    manual?: boolean;
    lastFingerprint?: string | null;
    lastDetail?: unknown;
    connectors?: Connectors;
    env?: Record<string, string>;
    llmEnv?: Record<string, string>;
  },
) {
  const context = studioContext(db, {
    job: job.id,
    runId: options.runId,
    ...(options.connectors === undefined ? {} : { connectors: options.connectors }),
    ...(options.llmEnv === undefined ? {} : { llmEnv: options.llmEnv }),
  });
  const config = (job as unknown as { settings?: { load(env: Record<string, string>): unknown } }).settings?.load(options.env ?? {}) ?? {};
  const last =
    options.lastFingerprint === undefined || options.lastFingerprint === null
      ? null
      : { fingerprint: options.lastFingerprint, result: { detail: options.lastDetail } };
  return (await job.run({
    ...context,
    config,
    job: job.id,
    runId: options.runId,
    scheduledFor: new Date(),
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: options.runId,
    lastRun: async () => last as never,
  } as never)) as {
    outcome: string;
    fingerprint?: string;
    detail: Record<string, unknown> & { findings: number; posted: boolean; approvalId?: string | null };
  };
}
