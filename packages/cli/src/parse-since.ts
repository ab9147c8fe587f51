const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * A `--since` value as people type it: a duration back from now (`90s`, `30m`, `24h`, `7d`, `2w`)
 * or an ISO date or date-time (`2026-12-01`, `2026-12-01T08:30Z`). Null when it is neither, so
 * the command can say so; a bare number is neither (Date.parse would read "1" as the year 2001).
 */
export function parseSince(value: string, now = new Date()): Date | null {
  const duration = /^(\d+)\s*([smhdw])$/i.exec(value.trim());
  if (duration !== null) {
    const unit = UNITS[(duration[2] ?? 'h').toLowerCase() as keyof typeof UNITS];
    return new Date(now.getTime() - Number(duration[1]) * unit);
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value.trim())) return null;
  const parsed = Date.parse(value.trim());
  return Number.isNaN(parsed) ? null : new Date(parsed);
}
