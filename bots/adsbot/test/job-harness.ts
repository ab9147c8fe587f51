import pino from 'pino';
import { catalogSignalTypes, SignalRegistry, type BotDefinition, type Db, type JobDefinition, type LlmConfig } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { fleetSignalTypes } from '@jbot/fleet';
import { runJobOnce, type JobRunResult, type LastRunFixture } from '@jbot/testkit';

/** A silent logger for tests. */
export const silent = pino({ level: 'silent' });

/** Every signal type of the fleet, as each bot process registers them. */
export const fleetRegistry = () => new SignalRegistry([...catalogSignalTypes, ...fleetSignalTypes]);

/** Run one job of a bot on the given brain the way the scheduler does, with a chosen last run. */
export async function runJob(
  bot: BotDefinition,
  job: JobDefinition,
  db: Db,
  options: {
    runId: string;
    manual?: boolean;
    last?: LastRunFixture | null;
    connectors?: Connectors;
    env?: Record<string, string>;
    /** A model to call (a fake Anthropic); default the offline drafter. */
    llm?: LlmConfig;
  },
): Promise<JobRunResult> {
  const { connectors, ...rest } = options;
  return runJobOnce(bot, job, { ...rest, db, registry: fleetRegistry(), connectors: connectors ?? createConnectors({ db, env: {} }) });
}
