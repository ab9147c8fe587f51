const DAY_MS = 86_400_000;

// Building an Intl formatter costs far more than using one: one per zone, kept.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** The date (YYYY-MM-DD) of an instant in the company's zone: last free days and ready dates are local days. */
export function localDay(instant: Date, zone: string): string {
  let format = dayFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, format);
  }
  return format.format(instant);
}

/** The instant a local wall-clock time (YYYY-MM-DD, minutes after midnight) is in a zone: a pickup "at 08:00" is the terminal's morning. */
export function zonedInstant(day: string, minutes: number, zone: string): Date {
  const guess = new Date(Date.parse(`${day}T00:00:00Z`) + minutes * 60_000);
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
  // The zone's offset at the guess, applied once and checked once more (DST edges move it).
  const offset = (at: Date) => {
    const parts = clock.formatToParts(at);
    const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    return Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second')) - at.getTime();
  };
  const first = new Date(guess.getTime() - offset(guess));
  return new Date(guess.getTime() - offset(first));
}

/** A YYYY-MM-DD plus some days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one YYYY-MM-DD to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Business days (Mon–Fri) after `from` up to and including `to`, both YYYY-MM-DD: a PO sent Friday is 1 business day old on Monday. */
export function businessDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

/** "Name <email>" → its parts (a bare address is its own name). */
export function parseMailbox(mailbox: string): { name: string; email: string } {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(mailbox);
  return match === null
    ? { name: mailbox.trim(), email: mailbox.trim() }
    : { name: match[1] === '' ? (match[2] ?? '') : (match[1] ?? ''), email: match[2] ?? '' };
}

/** "1 container" / "2 containers". */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}
