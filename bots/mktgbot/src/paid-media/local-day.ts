const DAY_MS = 86_400_000;

/** The calendar day (YYYY-MM-DD) of `at` in `timeZone`. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The day `days` before (negative: after) a YYYY-MM-DD day. */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

/** Dollars with cents, or "—" for null. */
export const usd = (value: number | null): string =>
  value === null ? '—' : `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A ratio with two decimals, or "—". */
export const ratio = (value: number | null): string => (value === null ? '—' : value.toFixed(2));
