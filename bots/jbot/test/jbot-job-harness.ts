import pino from 'pino';
import { buildBotServices, type Db, type JobDefinition, type LastRun, type LlmConfig } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { createJbot, loadJbotConfig } from '../src/index.js';

const silent = pino({ level: 'silent' });

/** How one test run of a jbot job is set up. */
export interface JobRunOptions {
  db: Db;
  env?: Record<string, string>;
  runId: string;
  scheduledFor?: Date;
  manual?: boolean;
  /** The previous successful run's fingerprint (post on change, skip the model). */
  lastFingerprint?: string | null;
  /** The previous successful run's stored result (a job's cursor). */
  lastResult?: unknown;
  connectors?: Connectors;
  /** The model (a fake Anthropic); default the offline drafter. */
  llm?: LlmConfig;
}

/**
 * Run a jbot job once the way the scheduler does (jbot's services, its settings laid under the
 * job's own, the sample connectors over the test database) and return what the job returned.
 */
export async function runJbotJob<Result = { outcome: string; fingerprint?: string; detail: Record<string, unknown> }>(
  job: JobDefinition,
  options: JobRunOptions,
): Promise<Result> {
  const env = { FLEET_TZ: 'UTC', ...options.env };
  const jbot = createJbot({ env });
  const services = buildBotServices(jbot, { db: options.db, log: silent, host: 'test-host', ...(options.llm === undefined ? {} : { llm: options.llm }) });
  const context = services.context(new AbortController().signal, silent, { job: job.id, runId: options.runId });
  const settings = job.settings?.load(env) ?? {};
  const lastRun: LastRun | null =
    (options.lastFingerprint === undefined || options.lastFingerprint === null) && options.lastResult === undefined
      ? null
      : { runId: 'previous', scheduledFor: '', result: options.lastResult ?? null, outcome: null, fingerprint: options.lastFingerprint ?? null };
  return (await job.run({
    ...context,
    connectors: options.connectors ?? createConnectors({ db: options.db, env: {} }),
    config: { ...loadJbotConfig(env), ...settings },
    job: job.id,
    runId: options.runId,
    scheduledFor: options.scheduledFor ?? new Date(),
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: options.runId,
    lastRun: async () => lastRun,
  })) as Result;
}
