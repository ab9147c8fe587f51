/** The instant a local day (YYYY-MM-DD) starts in a time zone (DST-safe: the zone's offset at that midnight). */
export function startOfLocalDay(day: string, zone: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  const guess = Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1);
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(new Date(instant))
        .map((part) => [part.type, part.value]),
    );
    return (
      Date.UTC(
        Number(parts['year']),
        Number(parts['month']) - 1,
        Number(parts['day']),
        Number(parts['hour']),
        Number(parts['minute']),
        Number(parts['second']),
      ) - instant
    );
  };
  // Two passes: the offset at the guess, then at the corrected instant (a DST change near midnight).
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

/** The calendar quarter a local day falls in: its label and first and last days (YYYY-MM-DD). */
export function quarterOf(day: string): { label: string; start: string; end: string } {
  const [year, month] = day.split('-').map(Number);
  const quarter = Math.floor(((month ?? 1) - 1) / 3);
  const start = new Date(Date.UTC(year ?? 1970, quarter * 3, 1));
  const end = new Date(Date.UTC(year ?? 1970, quarter * 3 + 3, 1) - 86_400_000);
  return { label: `${year}-Q${quarter + 1}`, start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}
