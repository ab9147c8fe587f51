import { z } from 'zod';
import { parseQuietHours } from './routing.js';

/** The working day: Monday to Friday between two local times (minutes after midnight), in a zone. */
export interface BusinessHours {
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

/** A `HH:MM-HH:MM` window that must not wrap past midnight (08:00-18:00), with a default. */
export const envBusinessHours = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      const text = value === undefined || value.trim() === '' ? fallback : value.trim();
      try {
        const window = parseQuietHours(text);
        if (window.startMinute >= window.endMinute) throw new Error(`"${text}" must start before it ends on the same day`);
        return window;
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message.replace('such as 22:00-07:00', 'such as 08:00-18:00') });
        return z.NEVER;
      }
    });

const STEP_MS = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Business milliseconds between two instants, counted minute by minute in the zone (so DST and
 * weekends fall out of the calendar, not arithmetic), stopping early once `enough` is reached.
 */
export function businessMsBetween(from: Date, to: Date, hours: BusinessHours, enough = Number.POSITIVE_INFINITY): number {
  let total = 0;
  for (let at = from.getTime(); at < to.getTime() && total < enough; at += STEP_MS) {
    if (isBusinessTime(new Date(at), hours)) total += Math.min(STEP_MS, to.getTime() - at);
  }
  return total;
}

/** True on a weekday inside the window, in the zone. */
export function isBusinessTime(at: Date, hours: BusinessHours): boolean {
  let formatter = formatters.get(hours.timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone: hours.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(hours.timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const weekday = parts.find((part) => part.type === 'weekday')?.value ?? '';
  if (weekday === 'Sat' || weekday === 'Sun') return false;
  const minute = Number(parts.find((part) => part.type === 'hour')?.value ?? 0) * 60 + Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return minute >= hours.startMinute && minute < hours.endMinute;
}
