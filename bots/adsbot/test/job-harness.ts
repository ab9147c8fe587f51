import pino from 'pino';
import { buildBotServices, catalogSignalTypes, SignalRegistry, type BotDefinition, type Db, type JobDefinition, type LlmConfig } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { fleetSignalTypes } from '@jbot/fleet';

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
    last?: { fingerprint?: string | null; result?: unknown; scheduledFor?: string } | null;
    connectors?: Connectors;
    env?: Record<string, string>;
    /** A model to call (a fake Anthropic); default the offline drafter. */
    llm?: LlmConfig;
  },
): Promise<{ outcome: string; fingerprint?: string; detail: Record<string, unknown> }> {
  const context = buildBotServices(bot, {
    db,
    log: silent,
    host: 'test-host',
    registry: fleetRegistry(),
    ...(options.llm === undefined ? {} : { llm: options.llm }),
  }).context(new AbortController().signal, silent, {
    job: job.id,
    runId: options.runId,
  });
  const last = options.last ?? null;
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
    lastRun: async () =>
      last === null
        ? null
        : ({
            runId: 'earlier',
            scheduledFor: last.scheduledFor ?? new Date(Date.now() - 86_400_000).toISOString(),
            result: last.result ?? null,
            outcome: null,
            fingerprint: last.fingerprint ?? null,
          } as never),
  })) as { outcome: string; fingerprint?: string; detail: Record<string, unknown> };
}
