// Calendar arithmetic on YYYY-MM-DD strings: a business day is a date in the company's zone, and
// date strings add and compare without a zone once they are dates.

const DAY_MS = 86_400_000;

/** The date (YYYY-MM-DD) of an instant in a zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** A date `days` after (or before, when negative) another. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The first day of the date's month. */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first day of the month `months` after the date's month. */
export function addMonths(day: string, months: number): string {
  const date = new Date(Date.parse(`${monthStart(day)}T00:00:00Z`));
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/** How many days the date's month has. */
export function daysInMonth(day: string): number {
  return Number(addDays(addMonths(day, 1), -1).slice(8, 10));
}

/** The weekday's short English name (Tue). */
export function weekdayName(day: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short' }).format(new Date(`${day}T12:00:00Z`));
}

/** The month's name and year (November 2026). */
export function monthName(day: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(`${day}T12:00:00Z`));
}
