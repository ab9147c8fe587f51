import type { JobRunInfo } from '../bot/bot-context.js';
import type { ResolvedJob as JobDefinition } from '../bot/define-bot.js';
import { readLastRun } from '../jobs/last-run.js';
import { recordRunResult } from '../jobs/record-run-result.js';
import { sleep, type ClaimedRun, type SchedulerRuntime } from './scheduler-runtime.js';

// After a timeout or shutdown abort, how long a job may take to honour its abort signal before
// the run is recorded anyway (and, for a timeout, not retried: it might still be running).
const ABORT_SETTLE_MS = 10_000;
const SHUTDOWN_SETTLE_MS = 700;

/**
 * Run one claimed run to its recorded end: keep its lease alive, abort it at its timeout or on
 * shutdown, record the outcome, and raise job_failed at the second failure in a row. Resolves
 * true when the outcome may be retried.
 */
export async function runClaimedJob(runtime: SchedulerRuntime, run: ClaimedRun, abort: AbortController): Promise<boolean> {
  const { db, log: rootLog } = runtime;
  const { job } = run;
  const log = rootLog.child({ job: job.id, runId: run.runId });
  let timedOut = false;
  const renew = setInterval(
    () => {
      db.rpc<{ renewed: boolean }>('renew_cron_lease', { p_run_id: run.runId, p_lease_seconds: runtime.leaseMs / 1000 })
        .then(([result]) => {
          if (result?.renewed === false) log.warn('lease lost: this run was marked abandoned elsewhere');
        })
        .catch((error: unknown) => log.warn({ err: error }, 'lease renewal failed'));
    },
    Math.max(200, Math.floor(runtime.leaseMs / 3)),
  );
  const timeout =
    job.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          abort.abort(new Error(`timed out after ${job.timeoutMs} ms`));
        }, job.timeoutMs);
  const info: JobRunInfo = {
    job: job.id,
    runId: run.runId,
    scheduledFor: run.scheduledFor,
    attempt: run.attempt,
    manual: run.manual,
    idempotencyKey: run.idempotencyKey,
    lastRun: () => readLastRun(db, runtime.bot, job.id, run.scheduledFor),
  };
  const context = { ...runtime.context(abort.signal, log, { job: info.job, runId: info.runId }), ...info };
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
      const settled = await Promise.race([
        work.then(
          () => 'settled',
          () => 'settled',
        ),
        sleep(settleMs).then(() => 'stuck'),
      ]);
      status = timedOut ? 'timed_out' : 'abandoned';
      errorText = timedOut
        ? `timed out after ${job.timeoutMs} ms${settled === 'stuck' ? ' (still running after its abort signal; not retried)' : ''}`
        : 'stopped: the process is shutting down';
      if (settled === 'stuck') timedOut = false; // never retry over a run that may still be going
    } else {
      // What it found (outcome line, fingerprint) goes on its row: the next run compares with it.
      await recordRunResult(db, run.runId, first.value).catch((error: unknown) => log.warn({ err: error }, 'could not record the run result'));
    }
  } catch (error) {
    status = timedOut ? 'timed_out' : runtime.stopSignal.aborted ? 'abandoned' : 'failed';
    errorText = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    clearInterval(renew);
    if (timeout !== undefined) clearTimeout(timeout);
  }
  const [finish] = await db.rpc<{ finished: boolean; consecutive_failures: number }>('finish_cron_run', {
    p_run_id: run.runId,
    p_status: status,
    p_error: errorText,
  });
  if (status === 'succeeded') log[routineLevel](`job ${job.id} succeeded`);
  else log.warn({ status, error: errorText }, `job ${job.id} ${status}`);
  if ((status === 'failed' || status === 'timed_out') && finish?.consecutive_failures === 2) {
    await runtime.signals
      .emit(
        'job_failed',
        { bot: runtime.bot, job: job.id, run_id: run.runId, error: errorText ?? status, consecutive_failures: 2 },
        { dedupeKey: `job_failed:${runtime.bot}/${job.id}`, dedupeWindowMs: 3600_000 },
      )
      .catch((error: unknown) => log.error({ err: error }, 'could not emit job_failed'));
  }
  return status === 'failed' || (status === 'timed_out' && timedOut);
}

/**
 * After the job's backoff, take the next attempt of a finished run (same row, same idempotency
 * key). Undefined when its retries are spent, the scheduler is stopping, or another copy took it.
 */
export async function claimRetry(runtime: SchedulerRuntime, runId: string, job: JobDefinition, attempt: number): Promise<ClaimedRun | undefined> {
  const retries = job.retries?.count ?? 0;
  if (attempt > retries || runtime.stopSignal.aborted) return undefined;
  await sleep((job.retries?.backoffMs ?? 1000) * 2 ** (attempt - 1), runtime.stopSignal);
  if (runtime.stopSignal.aborted) return undefined;
  const [next] = await runtime.db.rpc<{ run_id: string; attempt: number; idempotency_key: string; scheduled_for: string; manual: boolean }>('retry_cron_run', {
    p_run_id: runId,
    p_host: runtime.host,
    p_pid: process.pid,
    p_lease_seconds: runtime.leaseMs / 1000,
    p_max_attempts: retries + 1,
  });
  if (next === undefined) return undefined; // another copy took the retry, or attempts are spent
  return {
    runId: next.run_id,
    job,
    scheduledFor: new Date(next.scheduled_for),
    attempt: next.attempt,
    idempotencyKey: next.idempotency_key,
    manual: next.manual,
  };
}
