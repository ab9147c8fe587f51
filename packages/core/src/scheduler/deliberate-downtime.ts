import type { Db } from '../db/db.js';

/** A start of a bot process or a completed deliberate stop (bot_lifecycle). */
export interface LifecycleEvent {
  host: string;
  event: 'start' | 'stop';
  /** ms since the epoch. */
  at: number;
}

// A process that just started has not armed its triggers yet: for this long after a start the
// state before it (stopped on purpose, or crashed) still decides about the ticks it missed.
const STARTUP_ALLOWANCE_MS = 30_000;

/**
 * Was the bot down on purpose at `at`? Only when every host it ran on was last seen stopping
 * cleanly: a host whose last event is a start (it crashed, or its machine died, since) means a
 * tick missed then is a fault that pages, as is a bot with no history at all.
 */
export function downOnPurpose(events: readonly LifecycleEvent[], at: number, startupAllowanceMs = STARTUP_ALLOWANCE_MS): boolean {
  const latest = new Map<string, LifecycleEvent>();
  for (const event of events) {
    if (event.at > at) continue;
    if (event.event === 'start' && event.at + startupAllowanceMs > at) continue; // still starting
    const previous = latest.get(event.host);
    if (previous === undefined || previous.at <= event.at) latest.set(event.host, event);
  }
  return latest.size > 0 && [...latest.values()].every((event) => event.event === 'stop');
}

/** A bot's lifecycle events from `since` on (plus each host's last one before), oldest first. */
export async function readLifecycle(db: Db, bot: string, since: Date): Promise<LifecycleEvent[]> {
  const rows = await db.rpc<{ host: string; event: 'start' | 'stop'; at: string }>('bot_lifecycle', { p_bot: bot, p_since: since });
  return rows.map((row) => ({ host: row.host, event: row.event, at: Date.parse(row.at) }));
}
