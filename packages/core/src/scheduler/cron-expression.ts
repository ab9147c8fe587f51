import { CronExpressionParser } from 'cron-parser';
import nodeCron from 'node-cron';
import type { ResolvedJob as JobDefinition } from '../bot/define-bot.js';
import { ScheduleError } from './schedule-error.js';

// Pure cron arithmetic, no database: validation, next tick, ticks inside a window.

/** Validate a job's schedule and time zone; throws ScheduleError naming bot, job and expression. */
export function validateJobSchedule(bot: string, job: Pick<JobDefinition, 'id' | 'schedule' | 'tz'>, defaultTimeZone: string): string {
  const timeZone = job.tz ?? defaultTimeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new ScheduleError(bot, job.id, `time zone "${timeZone}" is not an IANA zone (e.g. Europe/London)`);
  }
  const detailed = nodeCron.validateDetailed(job.schedule);
  if (!detailed.valid) {
    const reasons = detailed.errors.map((error: { message?: string }) => error.message ?? String(error)).join('; ');
    throw new ScheduleError(bot, job.id, `schedule "${job.schedule}" is not a valid cron expression (${reasons})`);
  }
  try {
    CronExpressionParser.parse(job.schedule, { tz: timeZone });
  } catch (error) {
    throw new ScheduleError(bot, job.id, `schedule "${job.schedule}" is not a valid cron expression (${(error as Error).message})`);
  }
  return timeZone;
}

/** The first tick strictly after `after`. */
export function nextTick(schedule: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(schedule, { tz: timeZone, currentDate: after }).next().toDate();
}

/** The last tick strictly before `before`. */
export function previousTick(schedule: string, timeZone: string, before: Date): Date {
  return CronExpressionParser.parse(schedule, { tz: timeZone, currentDate: before }).prev().toDate();
}

/** Every tick in (from, to], oldest first, at most `limit` (the newest ones when there are more). */
export function ticksBetween(schedule: string, timeZone: string, from: Date, to: Date, limit = 1000): Date[] {
  const expression = CronExpressionParser.parse(schedule, { tz: timeZone, currentDate: to, startDate: from });
  const ticks: Date[] = [];
  // Walk backwards from `to` so a long outage keeps the newest ticks within the limit.
  // Ticks fall on whole seconds; `to` itself counts only when it is one (and the window is not empty).
  if (to.getTime() > from.getTime() && to.getMilliseconds() === 0 && expression.includesDate(to)) ticks.push(new Date(to));
  while (ticks.length < limit) {
    let previous: Date;
    try {
      previous = expression.prev().toDate();
    } catch {
      break; // passed startDate
    }
    if (previous.getTime() <= from.getTime()) break;
    ticks.push(previous);
  }
  return ticks.reverse();
}
