import type { ChannelHealth, FleetHeartbeat } from '@jbot/core';
import { formatAge, formatTable, type TableOptions } from '../format-table.js';

// "4s ago" from a channel timestamp (the bot host's clock, which heartbeats keep near the brain's).
function ago(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  return formatAge(Math.max(0, Math.round((now - Date.parse(iso)) / 1000)));
}

/**
 * Each live process's channel connections (heartbeat `detail.channels`): whether jbot's Telegram
 * inbox and each Discord gateway receive, when they last received and sent, and since when an
 * outage runs. Empty when no live process holds a channel connection (local channels).
 */
export function channelHealthTable(rows: readonly FleetHeartbeat[], staleAfterSeconds: number, options: TableOptions, now = Date.now()): string | null {
  const lines: Array<Array<string | number>> = [];
  for (const row of rows) {
    if (row.status !== 'running' || row.seconds_since_seen > staleAfterSeconds) continue;
    const channels = (row.detail as { channels?: Record<string, ChannelHealth> }).channels ?? {};
    for (const health of Object.values(channels)) {
      const readings = Object.entries(health.readings)
        .filter(([, value]) => value !== null && value !== 0 && value !== '')
        .map(([name, value]) => `${name}=${String(value)}`)
        .join(' ');
      lines.push([
        row.bot,
        row.host,
        health.channel,
        health.state === 'up' ? 'up' : health.state.toUpperCase(),
        ago(health.lastReceivedAt, now),
        ago(health.lastSentAt, now),
        health.failingSince === null ? '' : `${ago(health.failingSince, now)} (${health.restarts} restarts)`,
        [health.state === 'up' ? '' : (health.lastError ?? ''), readings].filter((part) => part !== '').join('; '),
      ]);
    }
  }
  if (lines.length === 0) return null;
  return formatTable(['bot', 'host', 'channel', 'state', 'last received', 'last sent', 'failing since', 'detail'], lines, options);
}
