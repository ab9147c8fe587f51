import type { ResolvedJob as JobDefinition } from '../bot/define-bot.js';
import { ticksBetween } from './cron-expression.js';
import type { SchedulerRuntime } from './scheduler-runtime.js';

/**
 * Record every tick older than missedAfterMs that nobody claimed, from each job's sweep horizon
 * up to now (database clock), and move the horizons forward. Each missed tick leaves a visible
 * `missed` row and raises job_missed; every copy sweeps, the insert hands each tick to one.
 */
export async function sweepMissedTicks(runtime: SchedulerRuntime, horizons: Map<string, Date>): Promise<void> {
  const { db, bot, host, log, signals } = runtime;
  const [dbNow] = await db.rpc<{ now: string }>('db_now');
  const until = new Date(Date.parse(dbNow?.now ?? new Date().toISOString()) - runtime.missedAfterMs);
  for (const job of runtime.jobs) {
    const from = horizons.get(job.id);
    if (from === undefined || until <= from) continue;
    const expected = ticksBetween(job.schedule, runtime.timeZoneOf(job.id), from, until);
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
    horizons.set(job.id, until);
  }
}

/** missed: 'once' — the newest tick in (from, now] still inside the job's grace window, if any. */
export function catchUpTick(job: JobDefinition, timeZone: string, from: Date, now: Date): Date | undefined {
  const newest = ticksBetween(job.schedule, timeZone, from, now).at(-1);
  if (newest === undefined || now.getTime() - newest.getTime() > (job.graceMs ?? 3600_000)) return undefined;
  return newest;
}
