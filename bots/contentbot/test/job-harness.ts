import { type Db, type JobDefinition, type LlmConfig } from '@jbot/core';
import { runJobOnce } from '@jbot/testkit';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { contentbot } from '../src/bot.js';

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
  const { connectors, last, ...rest } = options;
  return runJobOnce<JobRunOutcome>(contentbot, job, {
    ...rest,
    db,
    connectors: connectors ?? createConnectors({ db, env: {} }),
    last:
      last === null || last === undefined
        ? null
        : { scheduledFor: '', result: last.detail ?? null, outcome: last.outcome, fingerprint: last.fingerprint ?? null },
  });
}
