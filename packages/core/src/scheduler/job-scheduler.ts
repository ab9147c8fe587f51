import nodeCron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { BotContext } from '../bot/bot-context.js';
import type { ResolvedJob as JobDefinition } from '../bot/define-bot.js';
import type { Db } from '../db/db.js';
import { WakeLoop } from '../db/wake-loop.js';
import type { SignalEmitter } from '../signals/signal-emitter.js';
import { nextTick, validateJobSchedule } from './cron-expression.js';
import { claimRetry, runClaimedJob } from './job-run.js';
import { catchUpTick, sweepMissedTicks } from './missed-ticks.js';
import { schedulerClock, type SchedulerClock, type SchedulerClockOption } from './scheduler-clock.js';
import { sleep, type ClaimedRun, type SchedulerRuntime } from './scheduler-runtime.js';
import { claimTick } from './tick-claim.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** A run this process is executing. */
interface ActiveRun {
  runId: string;
  job: JobDefinition;
  abort: AbortController;
  done: Promise<void>;
}

/** Everything the scheduler of one bot process needs. */
export interface JobSchedulerOptions {
  db: Db;
  bot: string;
  host: string;
  jobs: readonly JobDefinition[];
  log: Logger;
  signals: SignalEmitter;
  /** Builds the job's context (the bot runtime adds llm, channels, connectors…). */
  context: (abortSignal: AbortSignal, log: Logger, run?: { job: string; runId: string }) => BotContext;
  defaultTimeZone: string;
  leaseMs?: number;
  /** How often to look for abandoned runs, missed ticks and manual requests. */
  checkIntervalMs?: number;
  /** A tick nobody claimed after this long counts as missed. */
  missedAfterMs?: number;
  /** How far back a starting scheduler looks for ticks missed while the bot was down. */
  lookbackMs?: number;
  /** How far ahead of the database clock a claim may be (host clocks are never perfectly in step). */
  toleranceMs?: number;
  /** Test seam: this host's clock. When given, ticks come from timers on this clock instead of node-cron. */
  clock?: SchedulerClockOption;
  listen?: boolean;
}

/**
 * Runs one bot's cron jobs so every tick runs exactly once across all copies of the bot: a
 * tick runs only in the process whose insert into cron_runs wins (tick-claim.ts), the database
 * clock decides what is due, leases expose crashed runs (job-run.ts), and missed ticks leave
 * visible rows (missed-ticks.ts). This class arms the triggers and runs the check loop.
 */
export class JobScheduler {
  private readonly options: Required<Omit<JobSchedulerOptions, 'clock'>> & { clock: SchedulerClock | undefined };
  private readonly timeZones = new Map<string, string>();
  private readonly tasks: ScheduledTask[] = [];
  private readonly timers = new Set<unknown>();
  private readonly active = new Map<string, ActiveRun>();
  private readonly sweepHorizon = new Map<string, Date>();
  private readonly stopController = new AbortController();
  private readonly runtime: SchedulerRuntime;
  private readonly checks: WakeLoop;

  constructor(options: JobSchedulerOptions) {
    this.options = {
      leaseMs: 30_000,
      checkIntervalMs: 5000,
      missedAfterMs: 60_000,
      lookbackMs: 24 * 3600_000,
      toleranceMs: 1000,
      listen: true,
      ...options,
      clock: options.clock === undefined ? undefined : schedulerClock(options.clock),
    };
    // Validate every job before anything runs: a typo stops start-up, not a Monday morning.
    for (const job of options.jobs) this.timeZones.set(job.id, validateJobSchedule(options.bot, job, options.defaultTimeZone));
    const { db, bot, host, jobs, log, signals, context, leaseMs, missedAfterMs, toleranceMs } = this.options;
    this.runtime = {
      db,
      bot,
      host,
      jobs,
      log,
      signals,
      context,
      leaseMs,
      missedAfterMs,
      toleranceMs,
      stopSignal: this.stopController.signal,
      timeZoneOf: (jobId) => this.timeZones.get(jobId) ?? 'UTC',
    };
    this.checks = new WakeLoop({
      pass: () => this.check(),
      pollMs: this.options.checkIntervalMs,
      log,
      failureMessage: 'scheduler check failed; retrying at the next interval',
      listen: this.options.listen ? { db, channel: 'cron_requests', accept: (payload) => payload === bot } : undefined,
    });
  }

  /** Next fire time of a job (host clock). */
  nextFire(jobId: string): Date | undefined {
    const job = this.options.jobs.find((candidate) => candidate.id === jobId);
    if (job === undefined) return undefined;
    return nextTick(job.schedule, this.runtime.timeZoneOf(job.id), new Date(this.now()));
  }

  private now(): number {
    return this.options.clock?.now() ?? Date.now();
  }

  /** Arm the triggers, catch up on ticks missed while down, and start the check loop. */
  async start(): Promise<void> {
    const { db, bot, jobs } = this.options;
    for (const job of jobs) {
      const [last] = await db.rpc<{ scheduled_for: string | null }>('last_cron_tick', { p_bot: bot, p_job: job.id });
      const [dbNow] = await db.rpc<{ now: string }>('db_now');
      const now = new Date(dbNow?.now ?? Date.now());
      const lookbackStart = new Date(now.getTime() - this.options.lookbackMs);
      const lastTick = last?.scheduled_for ? new Date(last.scheduled_for) : undefined;
      // A job with no history starts fresh; otherwise resume the sweep where the history ends.
      this.sweepHorizon.set(job.id, lastTick === undefined ? now : lastTick > lookbackStart ? lastTick : lookbackStart);
      if (job.missed === 'once') this.catchUpOnce(job, now);
      this.arm(job);
    }
    if (jobs.length === 0) return;
    await this.checks.start();
  }

  private arm(job: JobDefinition): void {
    const timeZone = this.runtime.timeZoneOf(job.id);
    if (this.options.clock === undefined) {
      const task = nodeCron.schedule(
        job.schedule,
        (context) => {
          const scheduledFor = new Date(context.date);
          scheduledFor.setMilliseconds(0);
          void this.onTick(job, scheduledFor);
        },
        { timezone: timeZone, name: `${this.options.bot}/${job.id}`, suppressMissedWarning: true, noOverlap: false },
      );
      this.tasks.push(task);
      return;
    }
    // Injected clock (tests): the same ticks, timed on that clock.
    const clock = this.options.clock;
    const scheduleNext = () => {
      if (this.stopController.signal.aborted) return;
      const now = clock.now();
      const tick = nextTick(job.schedule, timeZone, new Date(now));
      // Timers cannot wait longer than ~24.8 days; a far tick re-arms on the way.
      const delay = tick.getTime() - now;
      const timer = clock.setTimer(
        () => {
          this.timers.delete(timer);
          if (delay <= MAX_TIMER_MS) void this.onTick(job, tick);
          scheduleNext();
        },
        Math.min(delay, MAX_TIMER_MS),
      );
      this.timers.add(timer);
    };
    scheduleNext();
  }

  /** A trigger fired: claim the tick and run it if this process wins. */
  private async onTick(job: JobDefinition, scheduledFor: Date, manual = false): Promise<void> {
    try {
      const run = await claimTick(this.runtime, job, scheduledFor, manual);
      if (run !== undefined) await this.execute(run);
    } catch (error) {
      this.options.log.error({ err: error, job: job.id, scheduledFor }, 'could not claim a cron tick; the missed-tick sweep will record it if nobody ran it');
    }
  }

  private execute(run: ClaimedRun): Promise<void> {
    const abort = new AbortController();
    const done = runClaimedJob(this.runtime, run, abort)
      .then((retryable) => (retryable ? this.retry(run.runId, run.job, run.attempt) : undefined))
      .finally(() => this.active.delete(run.runId));
    this.active.set(run.runId, { runId: run.runId, job: run.job, abort, done });
    return done;
  }

  private async retry(runId: string, job: JobDefinition, attempt: number): Promise<void> {
    const next = await claimRetry(this.runtime, runId, job, attempt);
    if (next !== undefined) await this.execute(next);
  }

  /** Abandoned runs, missed ticks and manual requests; every copy runs it, the SQL hands each row to one. */
  private async check(): Promise<void> {
    if (this.stopController.signal.aborted) return;
    const { db, bot, host, log, signals } = this.options;
    for (const reaped of await db.rpc<{ run_id: string; job: string; scheduled_for: string; attempt: number; host: string }>('reap_abandoned_runs', {
      p_bot: bot,
    })) {
      log.warn({ job: reaped.job, runId: reaped.run_id, deadHost: reaped.host }, 'run abandoned: its process stopped without finishing');
      await signals.emit('job_missed', { bot, job: reaped.job, scheduled_for: reaped.scheduled_for, status: 'abandoned', run_id: reaped.run_id });
      const job = this.options.jobs.find((candidate) => candidate.id === reaped.job);
      if (job !== undefined) void this.retry(reaped.run_id, job, reaped.attempt);
    }
    for (const manual of await db.rpc<{ run_id: string; job: string; scheduled_for: string; idempotency_key: string; attempt: number }>('claim_manual_runs', {
      p_bot: bot,
      p_host: host,
      p_pid: process.pid,
      p_lease_seconds: this.options.leaseMs / 1000,
    })) {
      const job = this.options.jobs.find((candidate) => candidate.id === manual.job);
      if (job === undefined) {
        await db.rpc('finish_cron_run', { p_run_id: manual.run_id, p_status: 'failed', p_error: `${bot} has no job "${manual.job}"` });
        continue;
      }
      void this.execute({
        runId: manual.run_id,
        job,
        scheduledFor: new Date(manual.scheduled_for),
        attempt: manual.attempt,
        idempotencyKey: manual.idempotency_key,
        manual: true,
      });
    }
    await sweepMissedTicks(this.runtime, this.sweepHorizon);
  }

  /** missed: 'once' — run the newest tick missed while down (inside its grace window) once, now. */
  private catchUpOnce(job: JobDefinition, now: Date): void {
    const from = this.sweepHorizon.get(job.id);
    if (from === undefined) return;
    const newest = catchUpTick(job, this.runtime.timeZoneOf(job.id), from, now);
    if (newest === undefined) return;
    this.options.log.info({ job: job.id, scheduledFor: newest }, 'catching up a tick missed while down (missed: once)');
    void this.onTick(job, newest);
  }

  /** Stop triggers; let running jobs finish within the grace period, then abort and record them. */
  async stop(graceMs = 10_000): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    for (const timer of this.timers) this.options.clock?.clearTimer(timer);
    this.timers.clear();
    await this.checks.stop(Math.min(1000, graceMs));
    const running = [...this.active.values()];
    const finished = Promise.allSettled(running.map((run) => run.done));
    const late = await Promise.race([finished.then(() => false), sleep(Math.max(0, graceMs - 1500)).then(() => true)]);
    this.stopController.abort();
    if (!late) return;
    for (const run of this.active.values()) run.abort.abort(new Error('bot is shutting down'));
    await Promise.race([Promise.allSettled([...this.active.values()].map((run) => run.done)), sleep(1000)]);
  }
}
