import type { ResolvedJob as JobDefinition } from '../bot/define-bot.js';
import { previousTick, ticksBetween } from './cron-expression.js';
import { downOnPurpose, readLifecycle, type LifecycleEvent } from './deliberate-downtime.js';
import type { SchedulerRuntime } from './scheduler-runtime.js';

/**
 * Record every tick older than missedAfterMs that nobody claimed, from each job's sweep horizon
 * up to now (database clock), and move the horizons forward. A tick missed while the bot was
 * stopped on purpose joins its job's quiet gap row (one per gap, no signal); any other missed
 * tick leaves a visible `missed` row and raises job_missed. Every copy sweeps; the inserts hand
 * each tick to one.
 */
export async function sweepMissedTicks(runtime: SchedulerRuntime, horizons: Map<string, Date>): Promise<void> {
  const { db, bot, host, log, signals } = runtime;
  const [dbNow] = await db.rpc<{ now: string }>('db_now');
  const until = new Date(Date.parse(dbNow?.now ?? new Date().toISOString()) - runtime.missedAfterMs);
  let lifecycle: LifecycleEvent[] | undefined;
  for (const job of runtime.jobs) {
    const from = horizons.get(job.id);
    if (from === undefined || until <= from) continue;
    const timeZone = runtime.timeZoneOf(job.id);
    const expected = ticksBetween(job.schedule, timeZone, from, until);
    const first = expected[0];
    if (first !== undefined) {
      const seen = new Set(
        (await db.rpc<{ scheduled_for: string }>('cron_ticks_between', { p_bot: bot, p_job: job.id, p_from: first, p_to: until })).map((row) =>
          Date.parse(row.scheduled_for),
        ),
      );
      // Quiet gaps matter only when some tick has no row of its own (rare: after a stop or a crash).
      const gaps = expected.every((tick) => seen.has(tick.getTime()))
        ? []
        : (await db.rpc<{ scheduled_for: string; covers_until: string }>('cron_gaps_between', { p_bot: bot, p_job: job.id, p_from: first, p_to: until })).map(
            (gap) => ({ from: Date.parse(gap.scheduled_for), until: Date.parse(gap.covers_until) }),
          );
      const covered = (tick: Date) => seen.has(tick.getTime()) || gaps.some((gap) => gap.from <= tick.getTime() && tick.getTime() <= gap.until);
      let quiet: Date[] = [];
      const flushQuiet = async () => {
        const [start] = quiet;
        const end = quiet.at(-1);
        if (start !== undefined && end !== undefined) await recordQuietGap(runtime, job, timeZone, start, end, quiet.length);
        quiet = [];
      };
      for (const tick of expected) {
        if (covered(tick)) {
          await flushQuiet();
          continue;
        }
        lifecycle ??= await readLifecycle(db, bot, new Date(first.getTime() - LIFECYCLE_LOOKBACK_MS));
        if (downOnPurpose(lifecycle, tick.getTime())) {
          quiet.push(tick);
          continue;
        }
        await flushQuiet();
        const [missed] = await db.rpc<{ run_id: string; inserted: boolean }>('record_missed_run', {
          p_bot: bot,
          p_job: job.id,
          p_scheduled_for: tick,
          p_host: host,
        });
        if (missed?.inserted === true) {
          log.warn({ job: job.id, scheduledFor: tick }, 'tick missed: no process ran it');
          await signals.emit(
            'job_missed',
            { bot, job: job.id, scheduled_for: tick.toISOString(), status: 'missed', run_id: missed.run_id },
            { dedupeKey: `job_missed:${bot}/${job.id}`, dedupeWindowMs: 3600_000 },
          );
        }
      }
      await flushQuiet();
    }
    horizons.set(job.id, until);
  }
}

// How far before the first missed tick the sweep reads starts and stops (each host's last event
// before it is read too, so an older stop still counts).
const LIFECYCLE_LOOKBACK_MS = 24 * 3600_000;

/** One stretch of ticks missed while stopped on purpose: a new quiet gap row, or the end of the last one moved. */
async function recordQuietGap(runtime: SchedulerRuntime, job: JobDefinition, timeZone: string, start: Date, end: Date, ticks: number): Promise<void> {
  const [gap] = await runtime.db.rpc<{ run_id: string; extended: boolean }>('record_quiet_gap', {
    p_bot: runtime.bot,
    p_job: job.id,
    p_first: start,
    p_last: end,
    p_ticks: ticks,
    p_previous_tick: previousTick(job.schedule, timeZone, start),
    p_host: runtime.host,
  });
  if (gap !== undefined)
    runtime.log.info({ job: job.id, from: start, until: end, ticks }, 'ticks missed while the bot was stopped on purpose: recorded as one gap, nobody paged');
}

/** missed: 'once' — the newest tick in (from, now] still inside the job's grace window, if any. */
export function catchUpTick(job: JobDefinition, timeZone: string, from: Date, now: Date): Date | undefined {
  const newest = ticksBetween(job.schedule, timeZone, from, now).at(-1);
  if (newest === undefined || now.getTime() - newest.getTime() > (job.graceMs ?? 3600_000)) return undefined;
  return newest;
}
