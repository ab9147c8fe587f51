import type { Logger } from 'pino';
import type { BotContext } from '../bot/bot-context.js';
import type { ResolvedJob as JobDefinition } from '../bot/define-bot.js';
import type { Db } from '../db/db.js';
import type { SignalEmitter } from '../signals/signal-emitter.js';

/** What the scheduler's parts (claiming, running, missed-tick detection) share for one bot process. */
export interface SchedulerRuntime {
  db: Db;
  bot: string;
  host: string;
  jobs: readonly JobDefinition[];
  log: Logger;
  signals: SignalEmitter;
  /** Builds the job's context (the bot runtime adds llm, channels, connectors…). */
  context: (abortSignal: AbortSignal, log: Logger, run?: { job: string; runId: string }) => BotContext;
  leaseMs: number;
  missedAfterMs: number;
  toleranceMs: number;
  /** Aborted when the scheduler stops: waits end, retries are not started. */
  stopSignal: AbortSignal;
  /** The job's validated IANA time zone. */
  timeZoneOf(jobId: string): string;
}

/** A claimed run, ready to execute. */
export interface ClaimedRun {
  runId: string;
  job: JobDefinition;
  scheduledFor: Date;
  attempt: number;
  idempotencyKey: string;
  manual: boolean;
}

/** Resolves after `milliseconds`, or at once when `signal` aborts. */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, milliseconds));
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
