import type { JobDefinition } from '@jbot/core';

// A bot whose heartbeat is this old (three default intervals) is treated as down.
const STALE_AFTER_SECONDS = 30;

interface HeartbeatRow {
  [column: string]: unknown;
  bot: string;
  host: string;
  status: string;
  seconds_since_seen: number;
}

/** Fleet monitor: every minute, raise `bot_unhealthy` for bots that stopped beating or crashed. */
export const fleetMonitor: JobDefinition = {
  id: 'fleet-monitor',
  schedule: '* * * * *',
  description: 'Stale heartbeats and crashed bots → bot_unhealthy alerts',
  timeoutMs: 30_000,
  async run(context) {
    const beats = await context.db.rpc<HeartbeatRow>('fleet_heartbeats');
    const unhealthy = beats.filter((beat) => beat.status === 'crashed' || (beat.status === 'running' && beat.seconds_since_seen > STALE_AFTER_SECONDS));
    for (const beat of unhealthy) {
      const reason = beat.status === 'crashed' ? 'crashed' : `no heartbeat for ${Math.round(beat.seconds_since_seen)} s`;
      // One alert per bot and host per hour; repeats raise the count on the same line.
      await context.signals.emit('bot_unhealthy', { bot: beat.bot, host: beat.host, reason, seconds_since_seen: beat.seconds_since_seen }, { dedupeKey: `bot_unhealthy:${beat.bot}@${beat.host}`, dedupeWindowMs: 3600_000 });
    }
    context.log.info({ checked: beats.length, unhealthy: unhealthy.map((beat) => `${beat.bot}@${beat.host}`) }, `fleet monitor: ${beats.length - unhealthy.length} of ${beats.length} healthy`);
    return { checked: beats.length, unhealthy: unhealthy.length };
  },
};
