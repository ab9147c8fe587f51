import { defineJob, fingerprintOf, jobOutcome, readFleetHeartbeats } from '@jbot/core';

// A bot whose heartbeat is this old (three default intervals) is treated as down.
const STALE_AFTER_SECONDS = 30;
// This many starts of one bot on one host inside the window is a crash loop, not a deploy.
const RESTARTS_ALERT = 3;
const RESTART_WINDOW_MS = 15 * 60_000;

/** Fleet monitor: every minute, raise `bot_unhealthy` for bots that stopped beating, crashed or keep restarting. */
export const fleetMonitor = defineJob({
  id: 'fleet-monitor',
  schedule: '* * * * *',
  description: 'Stale heartbeats, crashed and restarting bots → bot_unhealthy alerts',
  timeoutMs: 30_000,
  routine: true,
  async run(context) {
    const beats = await readFleetHeartbeats(context.db);
    const unhealthy = beats.filter((beat) => beat.status === 'crashed' || (beat.status === 'running' && beat.seconds_since_seen > STALE_AFTER_SECONDS));
    for (const beat of unhealthy) {
      const reason = beat.status === 'crashed' ? 'crashed' : `no heartbeat for ${Math.round(beat.seconds_since_seen)} s`;
      // One alert per bot and host per hour; repeats raise the count on the same line.
      await context.signals.emit(
        'bot_unhealthy',
        { bot: beat.bot, host: beat.host, reason, seconds_since_seen: beat.seconds_since_seen },
        { dedupeKey: `bot_unhealthy:${beat.bot}@${beat.host}`, dedupeWindowMs: 3600_000 },
      );
    }
    // A crash loop: the supervisor or systemd keeps restarting the process, so its heartbeat looks fresh.
    const since = new Date(context.scheduledFor.getTime() - RESTART_WINDOW_MS);
    const starts = await context.db.rpc<{ bot: string; host: string; starts: number }>('recent_bot_starts', { p_since: since.toISOString() });
    const restarting = starts.filter((row) => row.starts >= RESTARTS_ALERT);
    for (const row of restarting) {
      await context.signals.emit(
        'bot_unhealthy',
        { bot: row.bot, host: row.host, reason: `restarted ${row.starts} times in ${RESTART_WINDOW_MS / 60_000} minutes` },
        { dedupeKey: `bot_restarting:${row.bot}@${row.host}`, dedupeWindowMs: 3600_000 },
      );
    }
    const flagged = [...unhealthy.map((beat) => `${beat.bot}@${beat.host}`), ...restarting.map((row) => `${row.bot}@${row.host} (restarting)`)];
    // A healthy fleet each minute is noise on the console; anything flagged stays at info.
    context.log[flagged.length === 0 && !context.manual ? 'debug' : 'info'](
      { checked: beats.length, unhealthy: flagged },
      `fleet monitor: ${beats.length - unhealthy.length} of ${beats.length} healthy${restarting.length === 0 ? '' : `, ${restarting.length} restarting`}`,
    );
    const outcome = flagged.length === 0 ? `${beats.length} of ${beats.length} healthy` : `${flagged.length} flagged: ${flagged.join(', ')}`;
    return jobOutcome(outcome, {
      fingerprint: fingerprintOf([...flagged].sort()),
      detail: { checked: beats.length, unhealthy: unhealthy.length, restarting: restarting.length },
    });
  },
});
