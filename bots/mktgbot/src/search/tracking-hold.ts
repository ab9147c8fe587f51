import type { Db } from '@jbot/core';

const DAY_MS = 86_400_000;

/** A tracking_broken signal not yet cleared. */
export interface OpenTrackingBreak {
  signalId: string;
  platform: string;
  createdAt: string;
  /** The day judged broken (YYYY-MM-DD), when the signal names one. */
  day: string | null;
}

/** The bot_note kind that clears a break (tracking-health finding the platform healthy again, or the operator saying it is fixed). */
export const TRACKING_RESTORED_KIND = 'tracking_restored';

/**
 * tracking_broken signals mktgbot raised in the last `holdDays` days that no later
 * `tracking_restored` note (for the same platform, or `all`) has cleared. Read from the brain's
 * signal log, so every mktgbot process and host sees the same answer.
 */
export async function openTrackingBreaks(db: Db, now = new Date(), holdDays = 3): Promise<OpenTrackingBreak[]> {
  const since = new Date(now.getTime() - holdDays * DAY_MS).toISOString();
  const [breaks, notes] = await Promise.all([
    db.rpc('list_signals', { p_limit: 200, p_signal_type: 'tracking_broken', p_source_bot: 'mktgbot', p_since: since }),
    db.rpc('list_signals', { p_limit: 500, p_signal_type: 'bot_note', p_source_bot: 'mktgbot', p_since: since }),
  ]);
  const restoredAt = new Map<string, number>();
  for (const note of notes) {
    const detail = (note['payload'] as { detail?: { kind?: unknown; platform?: unknown } } | null)?.detail;
    if (detail?.kind !== TRACKING_RESTORED_KIND) continue;
    const platform = typeof detail.platform === 'string' ? detail.platform : 'all';
    const at = new Date(String(note['created_at'])).getTime();
    restoredAt.set(platform, Math.max(restoredAt.get(platform) ?? 0, at));
  }
  const open = new Map<string, OpenTrackingBreak>();
  for (const signal of breaks) {
    const payload = signal['payload'] as { platform?: unknown; day?: unknown } | null;
    const platform = String(payload?.platform ?? 'unknown');
    const at = new Date(String(signal['created_at'])).getTime();
    if (at <= Math.max(restoredAt.get(platform) ?? 0, restoredAt.get('all') ?? 0)) continue;
    const known = open.get(platform);
    if (known === undefined || new Date(known.createdAt).getTime() < at)
      open.set(platform, {
        signalId: String(signal['signal_id']),
        platform,
        createdAt: new Date(at).toISOString(),
        day: typeof payload?.day === 'string' ? payload.day : null,
      });
  }
  return [...open.values()].sort((left, right) => left.platform.localeCompare(right.platform));
}

/**
 * The catalogue's Handlers rule "tracking_broken open → no budget increases proposed": every job
 * that proposes a budget increase asks this first and, when held, posts why instead of asking.
 */
export async function budgetIncreasesHeld(db: Db, now = new Date()): Promise<{ held: boolean; reason: string | null; breaks: OpenTrackingBreak[] }> {
  const breaks = await openTrackingBreaks(db, now);
  if (breaks.length === 0) return { held: false, reason: null, breaks };
  return {
    held: true,
    reason: `conversion tracking is broken on ${breaks.map((item) => item.platform).join(', ')} (since ${breaks[0]?.createdAt.slice(0, 16).replace('T', ' ')} UTC): budget increases are held until it is fixed`,
    breaks,
  };
}
