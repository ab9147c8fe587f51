import type { DisclosureEvent } from '@jbot/connectors';
import { addDays } from '../calendar-days.js';

/** A quiet period: from 14 days before a quarter end to that quarter's earnings release (inclusive). */
export interface QuietPeriod {
  quarterEnd: string;
  from: string;
  until: string;
  label: string;
}

/** The quiet periods of the calendar: each quarter end's, ending at the first earnings release after it. */
export function quietPeriods(calendar: readonly DisclosureEvent[], leadDays: number): QuietPeriod[] {
  const releases = calendar.filter((event) => event.kind === 'earnings_release').map((event) => event.date);
  return calendar
    .filter((event) => event.kind === 'quarter_end')
    .flatMap((event) => {
      const release = releases.filter((date) => date >= event.date).sort()[0];
      return release === undefined ? [] : [{ quarterEnd: event.date, from: addDays(event.date, -leadDays), until: release, label: event.label }];
    });
}

/** The quiet period a day falls in, if any. */
export function quietPeriodOn(periods: readonly QuietPeriod[], day: string): QuietPeriod | null {
  return periods.find((period) => day >= period.from && day <= period.until) ?? null;
}

/** One pre-filter rule that matched a draft, with the words around the match. */
export interface RuleHit {
  rule: string;
  excerpt: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The regex pre-filter (catalogue): amounts, percentages, "record", "guidance", "quarter",
 * "acquisition" and kin, key retailers' names and unreleased product names. Cheap and broad: the
 * model decides which hits are material.
 */
export function preFilter(text: string, options: { retailers: readonly string[]; unreleased: readonly string[] }): RuleHit[] {
  const rules: Array<{ rule: string; pattern: RegExp }> = [
    { rule: 'amount', pattern: /\$\s?\d[\d,.]*\s?(?:k|m|mm|million|billion|bn)?\b|\b\d[\d,.]*\s?(?:million|billion)\b/i },
    { rule: 'percentage', pattern: /\b\d+(?:\.\d+)?\s?%|\b\d+(?:\.\d+)?\s?percent\b/i },
    { rule: 'record', pattern: /\brecord(?:-breaking| high| sales| quarter| year)?\b/i },
    { rule: 'guidance', pattern: /\b(?:guidance|outlook|forecast|earnings|revenue growth)\b/i },
    { rule: 'quarter', pattern: /\b(?:quarter|Q[1-4]|fiscal year|FY\s?\d{2,4})\b/i },
    { rule: 'deal', pattern: /\b(?:acquisition|acquire[sd]?|merger|merging|partnership with|exclusive deal)\b/i },
  ];
  if (options.retailers.length > 0) rules.push({ rule: 'retailer', pattern: new RegExp(`\\b(?:${options.retailers.map(escape).join('|')})\\b`, 'i') });
  if (options.unreleased.length > 0)
    rules.push({ rule: 'unreleased_product', pattern: new RegExp(`\\b(?:${options.unreleased.map(escape).join('|')})\\b`, 'i') });
  const hits: RuleHit[] = [];
  for (const { rule, pattern } of rules) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const start = Math.max(0, match.index - 60);
    const end = Math.min(text.length, match.index + match[0].length + 60);
    hits.push({ rule, excerpt: `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}` });
  }
  return hits;
}

/** The words of an approval's draft that would go out: every string in it, keys dropped. */
export function draftText(draft: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(draft);
  return parts.join('\n');
}
