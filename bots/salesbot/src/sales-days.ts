// Calendar arithmetic for the sales jobs on YYYY-MM-DD days in the company's zone: a business day
// is Monday–Friday there ("overdue by more than two business days", "yesterday's activity").

const DAY_MS = 86_400_000;
const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** A YYYY-MM-DD plus some days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a YYYY-MM-DD is Monday–Friday. */
export function isWeekday(day: string): boolean {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The n-th weekday strictly before a day (n ≥ 1): the previous business day is `weekdayBefore(today, 1)`. */
export function weekdayBefore(day: string, count: number): string {
  let cursor = day;
  for (let left = count; left > 0;) {
    cursor = addDays(cursor, -1);
    if (isWeekday(cursor)) left -= 1;
  }
  return cursor;
}

/** The n-th weekday after a day (n ≥ 1). */
export function weekdayAfter(day: string, count: number): string {
  let cursor = day;
  for (let left = count; left > 0;) {
    cursor = addDays(cursor, 1);
    if (isWeekday(cursor)) left -= 1;
  }
  return cursor;
}

/** Business days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function businessDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let cursor = addDays(from, 1); cursor <= to; cursor = addDays(cursor, 1)) if (isWeekday(cursor)) count += 1;
  return count;
}

/** The instant a local day starts in a zone (its midnight, DST-safe). */
export function startOfDay(day: string, zone: string): Date {
  const guess = new Date(`${day}T00:00:00Z`);
  let format = clockFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    clockFormats.set(zone, format);
  }
  const clock = format;
  const offset = (at: Date) => {
    const parts = clock.formatToParts(at);
    const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    return Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second')) - at.getTime();
  };
  const first = new Date(guess.getTime() - offset(guess));
  return new Date(guess.getTime() - offset(first));
}
