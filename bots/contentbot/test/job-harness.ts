import pino from 'pino';
import { buildBotServices, type Db, type JobDefinition, type LastRun, type LlmConfig } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { contentbot } from '../src/bot.js';

const silent = pino({ level: 'silent' });

/** What a test run of a job returned. */
export interface JobRunOutcome {
  outcome: string;
  fingerprint?: string;
  detail?: Record<string, unknown>;
}

/**
 * Run one contentbot job once, as the scheduler would: its settings parsed from `env`, the
 * sample (or given) connectors, and the previous run's fingerprint when `last` is given.
 */
export async function runContentJob(
  db: Db,
  job: JobDefinition,
  options: {
    runId: string;
    manual?: boolean;
    last?: JobRunOutcome | null;
    env?: Record<string, string>;
    connectors?: Connectors;
    scheduledFor?: Date;
    /** The model (default: none, the offline drafter). */
    llm?: LlmConfig;
  },
): Promise<JobRunOutcome> {
  const connectors = options.connectors ?? createConnectors({ db, env: {} });
  const context = buildBotServices(contentbot, {
    db,
    log: silent,
    host: 'test-host',
    extensions: { connectors },
    ...(options.llm === undefined ? {} : { llm: options.llm }),
  }).context(new AbortController().signal, silent, {
    job: job.id,
    runId: options.runId,
  });
  const last = options.last ?? null;
  const settings = job.settings?.load(options.env ?? {}) ?? {};
  return (await job.run({
    ...context,
    connectors,
    config: settings,
    job: job.id,
    runId: options.runId,
    scheduledFor: options.scheduledFor ?? new Date(),
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: options.runId,
    lastRun: async () =>
      last === null
        ? null
        : ({
            runId: 'previous',
            scheduledFor: '',
            result: last.detail ?? null,
            outcome: last.outcome,
            fingerprint: last.fingerprint ?? null,
          } satisfies LastRun),
  } as never)) as JobRunOutcome;
}
