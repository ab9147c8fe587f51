import type { ResolvedJob as JobDefinition } from '../bot/define-bot.js';
import { sleep, type ClaimedRun, type SchedulerRuntime } from './scheduler-runtime.js';

/**
 * Claim one tick in cron_runs; only the copy whose insert wins runs it. The database clock
 * decides: a trigger that fires before the database reaches the tick (this host's clock is fast)
 * waits for it; under overlap 'queue' a busy job is retried until its previous run ends.
 * Resolves with the run to execute, or undefined (another copy took it, or it was skipped).
 */
export async function claimTick(runtime: SchedulerRuntime, job: JobDefinition, scheduledFor: Date, manual: boolean): Promise<ClaimedRun | undefined> {
  const { db, bot, host, log, stopSignal } = runtime;
  for (let tries = 0; !stopSignal.aborted && tries < 10_000; tries += 1) {
    const [claim] = await db.rpc<{ run_id: string | null; claimed: boolean; reason: string; idempotency_key: string; db_now: string }>('claim_cron_run', {
      p_bot: bot,
      p_job: job.id,
      p_scheduled_for: scheduledFor,
      p_host: host,
      p_pid: process.pid,
      p_lease_seconds: runtime.leaseMs / 1000,
      p_overlap: job.overlap ?? 'skip',
      p_tolerance_seconds: runtime.toleranceMs / 1000,
      p_manual: manual,
    });
    if (claim === undefined) return undefined;
    if (claim.reason === 'not_due') {
      // This host's clock is ahead of the database's: wait for the database to reach the tick.
      const wait = scheduledFor.getTime() - Date.parse(claim.db_now);
      if (tries === 0) log.warn({ job: job.id, aheadMs: wait }, 'trigger fired before the database clock reached the tick; waiting (check NTP on this host)');
      await sleep(Math.min(wait + 5, 120_000), stopSignal);
      continue;
    }
    if (claim.reason === 'busy') {
      await sleep(250, stopSignal);
      continue;
    }
    if (claim.claimed && claim.run_id !== null) {
      return { runId: claim.run_id, job, scheduledFor, attempt: 1, idempotencyKey: claim.idempotency_key, manual };
    }
    if (claim.reason === 'overlap') log.info({ job: job.id, scheduledFor }, 'tick skipped: the previous run is still going');
    return undefined;
  }
  return undefined;
}
