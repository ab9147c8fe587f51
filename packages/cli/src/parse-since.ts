/**
 * A `--since` value as people type it: a duration back from now (`30m`, `24h`, `7d`) or an ISO
 * date/time. Null when it is neither, so the command can say so.
 */
export function parseSince(value: string, now = new Date()): Date | null {
  const duration = /^(\d+)\s*(m|h|d)$/i.exec(value.trim());
  if (duration !== null) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[(duration[2] ?? 'h').toLowerCase() as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(duration[1]) * unit);
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : new Date(parsed);
}
