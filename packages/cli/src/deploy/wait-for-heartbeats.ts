import { readFleetHeartbeats, type Db, type FleetHeartbeat } from '@jbot/core';
import { waitFor } from '../wait-for.js';

/** Each bot's process identity on a host before a restart: a new process has a new pid or start time. */
export type HeartbeatSnapshot = Map<string, string>;

const identity = (row: FleetHeartbeat) => `${row.pid}@${row.started_at}`;

/** Read the host's heartbeats now (call before restarting). */
export async function snapshotHeartbeats(db: Db, host: string): Promise<HeartbeatSnapshot> {
  const rows = await readFleetHeartbeats(db);
  return new Map(rows.filter((row) => row.host === host).map((row) => [row.bot, identity(row)]));
}

/** What the wait saw for each bot. */
export interface HeartbeatWaitResult {
  up: Array<{ bot: string; pid: number; afterMs: number }>;
  missing: Array<{ bot: string; status: string }>;
}

/**
 * Wait until every bot has a `running` heartbeat from a new process on the host (a pid or start
 * time unlike the snapshot's). The comparison is on the process identity, not on clocks, so a
 * skewed host clock cannot make an old beat look new.
 */
export async function waitForHeartbeats(
  db: Db,
  options: { host: string; bots: readonly string[]; before: HeartbeatSnapshot; timeoutMs: number; pollMs?: number },
): Promise<HeartbeatWaitResult> {
  const started = Date.now();
  const seen = new Map<string, { pid: number; afterMs: number }>();
  let last = new Map<string, FleetHeartbeat>();
  await waitFor(
    async () => {
      const rows = await readFleetHeartbeats(db);
      last = new Map(rows.filter((row) => row.host === options.host).map((row) => [row.bot, row]));
      for (const bot of options.bots) {
        const row = last.get(bot);
        if (!seen.has(bot) && row !== undefined && row.status === 'running' && identity(row) !== options.before.get(bot))
          seen.set(bot, { pid: row.pid, afterMs: Date.now() - started });
      }
      return seen.size === options.bots.length ? true : undefined;
    },
    options.timeoutMs,
    options.pollMs ?? 500,
  );
  return {
    up: options.bots.flatMap((bot) => {
      const entry = seen.get(bot);
      return entry === undefined ? [] : [{ bot, ...entry }];
    }),
    missing: options.bots.filter((bot) => !seen.has(bot)).map((bot) => ({ bot, status: last.get(bot)?.status ?? 'no heartbeat' })),
  };
}
