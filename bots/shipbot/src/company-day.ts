const DAY_MS = 86_400_000;

// Building an Intl formatter costs far more than using one: one per zone, kept.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** The date (YYYY-MM-DD) of an instant in the company's zone. */
export function localDay(instant: Date, zone: string): string {
  let format = dayFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, format);
  }
  return format.format(instant);
}

/** A YYYY-MM-DD plus some days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one YYYY-MM-DD to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The instant a local wall-clock time (YYYY-MM-DD, minutes after midnight) is in a zone. */
export function zonedInstant(day: string, minutes: number, zone: string): Date {
  const guess = new Date(Date.parse(`${day}T00:00:00Z`) + minutes * 60_000);
  // The zone's offset at the guess, applied once and checked once more (DST edges move it).
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

/**
 * Hours between two instants that fall on business days (Monday–Friday in the company's zone):
 * an order placed on Friday evening is not late on Monday morning.
 */
export function businessHoursBetween(from: Date, to: Date, zone: string): number {
  if (to <= from) return 0;
  let total = 0;
  let cursor = from.getTime();
  while (cursor < to.getTime()) {
    const today = localDay(new Date(cursor), zone);
    const nextMidnight = Math.min(zonedInstant(addDays(today, 1), 0, zone).getTime(), to.getTime());
    const weekday = new Date(`${today}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) total += nextMidnight - cursor;
    cursor = nextMidnight;
  }
  return total / 3_600_000;
}
