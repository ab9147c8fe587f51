// Deterministic text rules shared by studiobot's jobs: term lists match whole words or phrases,
// case-insensitively, so "ad" never matches "add" and a hashtag counts as its word.

/** The terms of `terms` that occur in `text` as words or phrases. */
export function termsIn(text: string, terms: readonly string[]): string[] {
  const lower = ` ${text.toLowerCase().replace(/[#@]/g, ' ')} `;
  return terms.filter((term) => new RegExp(`[^a-z0-9]${escapeRegExp(term.toLowerCase())}[^a-z0-9]`).test(lower));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** FTC disclosure in a caption: #ad, #sponsored, or "paid partnership". */
export function hasDisclosure(caption: string): boolean {
  return /(^|\s)#(ad|sponsored)\b/i.test(caption) || /paid partnership/i.test(caption);
}

/** Discount codes a caption names ("code SUMMIT10", "use KAI15", "with SUMMIT10"). */
export function codesIn(caption: string): string[] {
  return [...caption.matchAll(/\b(?:[Cc]ode|[Uu]se|[Ww]ith)\s+([A-Z0-9]{4,20})\b/g)].map((match) => match[1] ?? '').filter((code) => /\d/.test(code));
}

/** The median of a list (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Today's date (YYYY-MM-DD) in a zone. */
export function localDay(now: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Whole days from `from` to `to` (YYYY-MM-DD each). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
