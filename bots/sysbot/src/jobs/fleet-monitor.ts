import { defineJob, fingerprintOf, jobOutcome, readFleetHeartbeats } from '@jbot/core';
import { groupQuietTogether } from './quiet-together.js';

// A bot whose heartbeat is this old (three default intervals) is treated as down.
const STALE_AFTER_SECONDS = 30;
// This many starts of one bot on one host inside the window is a crash loop, not a deploy.
const RESTARTS_ALERT = 3;
const RESTART_WINDOW_MS = 15 * 60_000;
// A group held on the last run counts only if that run was recent (the previous minute or two).
const HOLD_VALID_MS = 3 * 60_000;

/** Fleet monitor: every minute, raise `bot_unhealthy` for bots that stopped beating, crashed or keep restarting. */
export const fleetMonitor = defineJob({
  id: 'fleet-monitor',
  schedule: '* * * * *',
  description: 'Stale heartbeats, crashed and restarting bots → bot_unhealthy alerts',
  timeoutMs: 30_000,
  routine: true,
  async run(context) {
    const beats = await readFleetHeartbeats(context.db);
    const crashed = beats.filter((beat) => beat.status === 'crashed');
    const stale = beats.filter((beat) => beat.status === 'running' && beat.seconds_since_seen > STALE_AFTER_SECONDS);
    // Bots that went quiet at one moment (the brain was unreachable, a host or its network went
    // down) are one event. Right after a brain outage every bot looks stale until its next beat,
    // so such a group is held for one run: bots that never stopped beat again meanwhile and
    // nothing is raised; a group still silent a minute later is raised once, as one alert.
    const { groups, alone } = groupQuietTogether(stale);
    const last = await context.lastRun();
    const heldBefore = new Set(
      last !== null && context.scheduledFor.getTime() - Date.parse(last.scheduledFor) <= HOLD_VALID_MS
        ? ((last.result as { held?: string[] } | null)?.held ?? [])
        : [],
    );
    const held: string[] = [];
    const raisedGroups = groups.filter((group) => group.keys.every((key) => heldBefore.has(key)));
    for (const group of groups) {
      if (raisedGroups.includes(group)) continue;
      held.push(...group.keys);
      context.log.info(
        { bots: group.members.map((beat) => `${beat.bot}@${beat.host}`), since: group.since },
        `fleet monitor: ${group.members.length} bots went quiet together at ${group.since} (the brain, a host or its network?); checking again next run before alerting`,
      );
    }
    for (const group of raisedGroups) {
      const hosts = [...new Set(group.members.map((beat) => beat.host))].sort();
      const names = group.members.map((beat) => `${beat.bot}@${beat.host}`);
      await context.signals.emit(
        'bot_unhealthy',
        {
          bot: group.members.map((beat) => beat.bot).join(','),
          host: hosts.join(','),
          reason: `${group.members.length} bots stopped beating together at ${group.since} (${names.join(', ')}): one cause — ${hosts.length === 1 ? `host ${hosts[0]} or its network` : 'the brain or the network'} is down`,
          seconds_since_seen: Math.max(...group.members.map((beat) => beat.seconds_since_seen)),
        },
        { dedupeKey: `bots_quiet_together:${hosts.join(',')}:${group.since}`, dedupeWindowMs: 3600_000 },
      );
    }
    const unhealthy = [...crashed, ...alone];
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
    const flagged = [
      ...unhealthy.map((beat) => `${beat.bot}@${beat.host}`),
      ...raisedGroups.flatMap((group) => group.members.map((beat) => `${beat.bot}@${beat.host} (quiet together)`)),
      ...restarting.map((row) => `${row.bot}@${row.host} (restarting)`),
    ];
    const healthy = beats.length - unhealthy.length - raisedGroups.reduce((sum, group) => sum + group.members.length, 0) - held.length;
    // A healthy fleet each minute is noise on the console; anything flagged stays at info.
    context.log[flagged.length === 0 && !context.manual ? 'debug' : 'info'](
      { checked: beats.length, unhealthy: flagged },
      `fleet monitor: ${healthy} of ${beats.length} healthy${held.length === 0 ? '' : `, ${held.length} quiet together (held a run)`}${restarting.length === 0 ? '' : `, ${restarting.length} restarting`}`,
    );
    const outcome =
      flagged.length > 0
        ? `${flagged.length} flagged: ${flagged.join(', ')}`
        : held.length > 0
          ? `${held.length} quiet together, held a run`
          : `${beats.length} of ${beats.length} healthy`;
    return jobOutcome(outcome, {
      fingerprint: fingerprintOf([...flagged, ...held].sort()),
      detail: { checked: beats.length, unhealthy: unhealthy.length, restarting: restarting.length, held },
    });
  },
});
