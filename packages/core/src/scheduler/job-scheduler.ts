import nodeCron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { BotContext, JobRunInfo } from '../bot/bot-context.js';
import type { ResolvedJob as JobDefinition } from '../bot/define-bot.js';
import { readLastRun } from '../jobs/last-run.js';
import { recordRunResult } from '../jobs/record-run-result.js';
import type { Db, Listener } from '../db/db.js';
import type { SignalEmitter } from '../signals/signal-emitter.js';
import { nextTick, ticksBetween, validateJobSchedule } from './cron-expression.js';

/** A run this process is executing. */
interface ActiveRun {
  runId: string;
  job: JobDefinition;
  abort: AbortController;
  done: Promise<void>;
}

/** A claimed run, ready to execute. */
interface ClaimedRun {
  runId: string;
  job: JobDefinition;
  scheduledFor: Date;
  attempt: number;
  idempotencyKey: string;
  manual: boolean;
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
  clock?: () => number;
  listen?: boolean;
}

const sleep = (milliseconds: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, milliseconds));
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

// After a timeout or shutdown abort, how long a job may take to honour its abort signal before
// the run is recorded anyway (and, for a timeout, not retried: it might still be running).
const ABORT_SETTLE_MS = 10_000;
const SHUTDOWN_SETTLE_MS = 700;

/**
 * Runs one bot's cron jobs so every tick runs exactly once across all copies of the bot: a
 * tick runs only in the process whose insert into cron_runs wins, the database clock decides
 * what is due, leases expose crashed runs, and missed ticks leave visible rows.
 */
export class JobScheduler {
  private readonly options: Required<Omit<JobSchedulerOptions, 'clock'>> & { clock: (() => number) | undefined };
  private readonly timeZones = new Map<string, string>();
  private readonly tasks: ScheduledTask[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly active = new Map<string, ActiveRun>();
  private readonly sweepHorizon = new Map<string, Date>();
  private readonly stopController = new AbortController();
  private checkTimer: NodeJS.Timeout | undefined;
  private listener: Listener | null = null;
  private checking = false;

  constructor(options: JobSchedulerOptions) {
    this.options = {
      leaseMs: 30_000,
      checkIntervalMs: 5000,
      missedAfterMs: 60_000,
      lookbackMs: 24 * 3600_000,
      toleranceMs: 1000,
      listen: true,
      ...options,
      clock: options.clock,
    };
    // Validate every job before anything runs: a typo stops start-up, not a Monday morning.
    for (const job of options.jobs) this.timeZones.set(job.id, validateJobSchedule(options.bot, job, options.defaultTimeZone));
  }

  /** Next fire time of a job (host clock). */
  nextFire(jobId: string): Date | undefined {
    const job = this.options.jobs.find((candidate) => candidate.id === jobId);
    if (job === undefined) return undefined;
    return nextTick(job.schedule, this.timeZones.get(job.id) ?? 'UTC', new Date(this.now()));
  }

  private now(): number {
    return this.options.clock?.() ?? Date.now();
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
      if (job.missed === 'once') await this.catchUpOnce(job, now);
      this.arm(job);
    }
    if (jobs.length === 0) return;
    if (this.options.listen) {
      this.listener = await db.listen('cron_requests', (payload) => {
        if (payload === bot) void this.check();
      });
    }
    this.checkTimer = setInterval(() => void this.check(), this.options.checkIntervalMs);
    void this.check();
  }

  private arm(job: JobDefinition): void {
    const timeZone = this.timeZones.get(job.id) ?? 'UTC';
    if (this.options.clock === undefined) {
      const task = nodeCron.schedule(job.schedule, (context) => {
        const scheduledFor = new Date(context.date);
        scheduledFor.setMilliseconds(0);
        void this.onTick(job, scheduledFor);
      }, { timezone: timeZone, name: `${this.options.bot}/${job.id}`, suppressMissedWarning: true, noOverlap: false });
      this.tasks.push(task);
      return;
    }
    // Injected clock (tests of a skewed host): the same ticks, timed on that clock.
    const scheduleNext = () => {
      if (this.stopController.signal.aborted) return;
      const now = this.now();
      const tick = nextTick(job.schedule, timeZone, new Date(now));
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.onTick(job, tick);
        scheduleNext();
      }, tick.getTime() - now);
      this.timers.add(timer);
    };
    scheduleNext();
  }

  /** A trigger fired: claim the tick and run it if this process wins. */
  private async onTick(job: JobDefinition, scheduledFor: Date, manual = false): Promise<void> {
    const { db, bot, host, log } = this.options;
    try {
      for (let tries = 0; !this.stopController.signal.aborted && tries < 10_000; tries += 1) {
        const [claim] = await db.rpc<{ run_id: string | null; claimed: boolean; reason: string; idempotency_key: string; db_now: string }>('claim_cron_run', {
          p_bot: bot, p_job: job.id, p_scheduled_for: scheduledFor, p_host: host, p_pid: process.pid,
          p_lease_seconds: this.options.leaseMs / 1000, p_overlap: job.overlap ?? 'skip',
          p_tolerance_seconds: this.options.toleranceMs / 1000, p_manual: manual,
        });
        if (claim === undefined) return;
        if (claim.reason === 'not_due') {
          // This host's clock is ahead of the database's: wait for the database to reach the tick.
          const wait = scheduledFor.getTime() - Date.parse(claim.db_now);
          if (tries === 0) log.warn({ job: job.id, aheadMs: wait }, 'trigger fired before the database clock reached the tick; waiting (check NTP on this host)');
          await sleep(Math.min(wait + 5, 120_000), this.stopController.signal);
          continue;
        }
        if (claim.reason === 'busy') {
          await sleep(250, this.stopController.signal);
          continue;
        }
        if (claim.claimed && claim.run_id !== null) {
          await this.execute({ runId: claim.run_id, job, scheduledFor, attempt: 1, idempotencyKey: claim.idempotency_key, manual });
        } else if (claim.reason === 'overlap') {
          log.info({ job: job.id, scheduledFor }, 'tick skipped: the previous run is still going');
        }
        return;
      }
    } catch (error) {
      log.error({ err: error, job: job.id, scheduledFor }, 'could not claim a cron tick; the missed-tick sweep will record it if nobody ran it');
    }
  }

  private execute(run: ClaimedRun): Promise<void> {
    const abort = new AbortController();
    const done = this.runOnce(run, abort).finally(() => this.active.delete(run.runId));
    this.active.set(run.runId, { runId: run.runId, job: run.job, abort, done });
    return done;
  }

  private async runOnce(run: ClaimedRun, abort: AbortController): Promise<void> {
    const { db, log: rootLog } = this.options;
    const { job } = run;
    const log = rootLog.child({ job: job.id, runId: run.runId });
    let timedOut = false;
    const renew = setInterval(() => {
      db.rpc<{ renewed: boolean }>('renew_cron_lease', { p_run_id: run.runId, p_lease_seconds: this.options.leaseMs / 1000 })
        .then(([result]) => { if (result?.renewed === false) log.warn('lease lost: this run was marked abandoned elsewhere'); })
        .catch((error: unknown) => log.warn({ err: error }, 'lease renewal failed'));
    }, Math.max(200, Math.floor(this.options.leaseMs / 3)));
    const timeout = job.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      abort.abort(new Error(`timed out after ${job.timeoutMs} ms`));
    }, job.timeoutMs);
    const info: JobRunInfo = {
      job: job.id, runId: run.runId, scheduledFor: run.scheduledFor, attempt: run.attempt, manual: run.manual, idempotencyKey: run.idempotencyKey,
      lastRun: () => readLastRun(db, this.options.bot, job.id, run.scheduledFor),
    };
    const context = { ...this.options.context(abort.signal, log, { job: info.job, runId: info.runId }), ...info };
    // A routine tick is logged at debug unless a person asked for it or it fails (below).
    const routineLevel = job.routine === true && !run.manual ? 'debug' : 'info';
    log[routineLevel]({ scheduledFor: run.scheduledFor, attempt: run.attempt, manual: run.manual }, `job ${job.id} started`);
    let status: 'succeeded' | 'failed' | 'timed_out' | 'abandoned' = 'succeeded';
    let errorText: string | null = null;
    const work = Promise.resolve().then(() => job.run(context));
    // A timed-out or shutdown-aborted job gets ABORT_SETTLE_MS to honour its signal.
    const aborted = new Promise<'aborted'>((resolve) => abort.signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
    try {
      const first = await Promise.race([work.then((value) => ({ value }) as const), aborted]);
      if (first === 'aborted') {
        // On shutdown the grace period is nearly spent: record the run promptly.
        const settleMs = timedOut ? ABORT_SETTLE_MS : SHUTDOWN_SETTLE_MS;
        const settled = await Promise.race([work.then(() => 'settled', () => 'settled'), sleep(settleMs).then(() => 'stuck')]);
        status = timedOut ? 'timed_out' : 'abandoned';
        errorText = timedOut ? `timed out after ${job.timeoutMs} ms${settled === 'stuck' ? ' (still running after its abort signal; not retried)' : ''}` : 'stopped: the process is shutting down';
        if (settled === 'stuck') timedOut = false; // never retry over a run that may still be going
      } else {
        // What it found (outcome line, fingerprint) goes on its row: the next run compares with it.
        await recordRunResult(db, run.runId, first.value).catch((error: unknown) => log.warn({ err: error }, 'could not record the run result'));
      }
    } catch (error) {
      status = timedOut ? 'timed_out' : this.stopController.signal.aborted ? 'abandoned' : 'failed';
      errorText = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    } finally {
      clearInterval(renew);
      if (timeout !== undefined) clearTimeout(timeout);
    }
    const [finish] = await db.rpc<{ finished: boolean; consecutive_failures: number }>('finish_cron_run', { p_run_id: run.runId, p_status: status, p_error: errorText });
    if (status === 'succeeded') log[routineLevel](`job ${job.id} succeeded`);
    else log.warn({ status, error: errorText }, `job ${job.id} ${status}`);
    if ((status === 'failed' || status === 'timed_out') && finish?.consecutive_failures === 2) {
      await this.options.signals
        .emit('job_failed', { bot: this.options.bot, job: job.id, run_id: run.runId, error: errorText ?? status, consecutive_failures: 2 }, { dedupeKey: `job_failed:${this.options.bot}/${job.id}`, dedupeWindowMs: 3600_000 })
        .catch((error: unknown) => log.error({ err: error }, 'could not emit job_failed'));
    }
    const retryable = status === 'failed' || (status === 'timed_out' && timedOut);
    if (retryable) await this.retry(run.runId, job, run.attempt);
  }

  private async retry(runId: string, job: JobDefinition, attempt: number): Promise<void> {
    const retries = job.retries?.count ?? 0;
    if (attempt > retries || this.stopController.signal.aborted) return;
    await sleep((job.retries?.backoffMs ?? 1000) * 2 ** (attempt - 1), this.stopController.signal);
    if (this.stopController.signal.aborted) return;
    const [next] = await this.options.db.rpc<{ run_id: string; attempt: number; idempotency_key: string; scheduled_for: string; manual: boolean }>('retry_cron_run', {
      p_run_id: runId, p_host: this.options.host, p_pid: process.pid, p_lease_seconds: this.options.leaseMs / 1000, p_max_attempts: retries + 1,
    });
    if (next === undefined) return; // another copy took the retry, or attempts are spent
    await this.execute({ runId: next.run_id, job, scheduledFor: new Date(next.scheduled_for), attempt: next.attempt, idempotencyKey: next.idempotency_key, manual: next.manual });
  }

  /** Abandoned runs, missed ticks and manual requests; every copy runs it, the SQL hands each row to one. */
  private async check(): Promise<void> {
    if (this.checking || this.stopController.signal.aborted) return;
    this.checking = true;
    const { db, bot, host, log, signals } = this.options;
    try {
      for (const reaped of await db.rpc<{ run_id: string; job: string; scheduled_for: string; attempt: number; host: string }>('reap_abandoned_runs', { p_bot: bot })) {
        log.warn({ job: reaped.job, runId: reaped.run_id, deadHost: reaped.host }, 'run abandoned: its process stopped without finishing');
        await signals.emit('job_missed', { bot, job: reaped.job, scheduled_for: reaped.scheduled_for, status: 'abandoned', run_id: reaped.run_id });
        const job = this.options.jobs.find((candidate) => candidate.id === reaped.job);
        if (job !== undefined) void this.retry(reaped.run_id, job, reaped.attempt);
      }
      for (const manual of await db.rpc<{ run_id: string; job: string; scheduled_for: string; idempotency_key: string; attempt: number }>('claim_manual_runs', {
        p_bot: bot, p_host: host, p_pid: process.pid, p_lease_seconds: this.options.leaseMs / 1000,
      })) {
        const job = this.options.jobs.find((candidate) => candidate.id === manual.job);
        if (job === undefined) {
          await db.rpc('finish_cron_run', { p_run_id: manual.run_id, p_status: 'failed', p_error: `${bot} has no job "${manual.job}"` });
          continue;
        }
        void this.execute({ runId: manual.run_id, job, scheduledFor: new Date(manual.scheduled_for), attempt: manual.attempt, idempotencyKey: manual.idempotency_key, manual: true });
      }
      await this.sweepMissed();
    } catch (error) {
      log.error({ err: error }, 'scheduler check failed; retrying at the next interval');
    } finally {
      this.checking = false;
    }
  }

  /** Record every tick older than missedAfterMs that nobody claimed. */
  private async sweepMissed(): Promise<void> {
    const { db, bot, host, log, signals } = this.options;
    const [dbNow] = await db.rpc<{ now: string }>('db_now');
    const until = new Date(Date.parse(dbNow?.now ?? new Date().toISOString()) - this.options.missedAfterMs);
    for (const job of this.options.jobs) {
      const from = this.sweepHorizon.get(job.id);
      if (from === undefined || until <= from) continue;
      const expected = ticksBetween(job.schedule, this.timeZones.get(job.id) ?? 'UTC', from, until);
      if (expected.length > 0) {
        const seen = new Set((await db.rpc<{ scheduled_for: string }>('cron_ticks_between', { p_bot: bot, p_job: job.id, p_from: expected[0], p_to: until })).map((row) => Date.parse(row.scheduled_for)));
        for (const tick of expected) {
          if (seen.has(tick.getTime())) continue;
          const [missed] = await db.rpc<{ run_id: string; inserted: boolean }>('record_missed_run', { p_bot: bot, p_job: job.id, p_scheduled_for: tick, p_host: host });
          if (missed?.inserted === true) {
            log.warn({ job: job.id, scheduledFor: tick }, 'tick missed: no process ran it');
            await signals.emit('job_missed', { bot, job: job.id, scheduled_for: tick.toISOString(), status: 'missed', run_id: missed.run_id }, { dedupeKey: `job_missed:${bot}/${job.id}`, dedupeWindowMs: 3600_000 });
          }
        }
      }
      this.sweepHorizon.set(job.id, until);
    }
  }

  /** missed: 'once' — run the newest tick missed while down (inside its grace window) once, now. */
  private async catchUpOnce(job: JobDefinition, now: Date): Promise<void> {
    const from = this.sweepHorizon.get(job.id);
    if (from === undefined) return;
    const ticks = ticksBetween(job.schedule, this.timeZones.get(job.id) ?? 'UTC', from, now);
    const newest = ticks.at(-1);
    if (newest === undefined || now.getTime() - newest.getTime() > (job.graceMs ?? 3600_000)) return;
    this.options.log.info({ job: job.id, scheduledFor: newest }, 'catching up a tick missed while down (missed: once)');
    void this.onTick(job, newest);
  }

  /** Stop triggers; let running jobs finish within the grace period, then abort and record them. */
  async stop(graceMs = 10_000): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    for (const timer of this.timers) clearTimeout(timer);
    if (this.checkTimer !== undefined) clearInterval(this.checkTimer);
    await this.listener?.close().catch(() => {});
    const running = [...this.active.values()];
    const finished = Promise.allSettled(running.map((run) => run.done));
    const late = await Promise.race([finished.then(() => false), sleep(Math.max(0, graceMs - 1500)).then(() => true)]);
    this.stopController.abort();
    if (!late) return;
    for (const run of this.active.values()) run.abort.abort(new Error('bot is shutting down'));
    await Promise.race([Promise.allSettled([...this.active.values()].map((run) => run.done)), sleep(1000)]);
  }
}
