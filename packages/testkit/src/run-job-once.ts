import pino from 'pino';
import { buildBotServices, type BotDefinition, type Db, type JobDefinition, type LastRun, type LlmConfig, type SignalRegistry } from '@jbot/core';

/** The previous successful run a test hands a job (post-on-change compares with it). */
export interface LastRunFixture {
  fingerprint?: string | null;
  result?: unknown;
  outcome?: string | null;
  scheduledFor?: string;
}

/** What a job run returned, as tests read it. */
export interface JobRunResult {
  outcome: string;
  fingerprint?: string;
  detail: Record<string, unknown>;
}

/** How to run a job once in a test. */
export interface RunJobOnceOptions {
  db: Db;
  /** The bot's connectors (the sample company unless a test points them at a fake vendor). */
  connectors: unknown;
  runId: string;
  manual?: boolean;
  last?: LastRunFixture | null;
  /** The job's settings source (its env); default none. */
  env?: Record<string, string>;
  /** A model to call (a fake Anthropic); default the offline drafter. */
  llm?: LlmConfig;
  registry?: SignalRegistry;
  scheduledFor?: Date;
}

const silent = pino({ level: 'silent' });

/**
 * Run one job of a bot on the given brain the way the scheduler does: the bot's services and
 * context, its settings parsed from `env`, the connectors also given to its actions, and `last`
 * as the previous successful run. One place for what every bot's job tests need.
 */
export async function runJobOnce<Result = JobRunResult>(
  bot: Pick<BotDefinition, 'name' | 'channel' | 'actions' | 'signalTypes'>,
  job: JobDefinition,
  options: RunJobOnceOptions,
): Promise<Result> {
  const context = buildBotServices(bot, {
    db: options.db,
    log: silent,
    host: 'test-host',
    extensions: { connectors: options.connectors },
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.llm === undefined ? {} : { llm: options.llm }),
  }).context(new AbortController().signal, silent, { job: job.id, runId: options.runId });
  const last = options.last ?? null;
  const lastRun: LastRun | null =
    last === null
      ? null
      : {
          runId: 'previous',
          scheduledFor: last.scheduledFor ?? new Date(Date.now() - 86_400_000).toISOString(),
          result: last.result ?? null,
          outcome: last.outcome ?? null,
          fingerprint: last.fingerprint ?? null,
        };
  return (await job.run({
    ...context,
    connectors: options.connectors,
    config: job.settings?.load(options.env ?? {}) ?? {},
    job: job.id,
    runId: options.runId,
    scheduledFor: options.scheduledFor ?? new Date(),
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: options.runId,
    lastRun: async () => lastRun,
  } as never)) as Result;
}
