import { defineJob, envInteger, envSettings, jobOutcome, readFleetHeartbeats, NOTHING_TO_REPORT } from '@jbot/core';
import type { BotContext, ChannelHealth, FleetHeartbeat, JobRunInfo, SettingsOf } from '@jbot/core';
import type { z } from 'zod';
import type { channelDown } from '../signals.js';

/** channel-liveness's thresholds (catalogue defaults). */
export const channelLivenessSettings = envSettings({
  // A process that says its channel is down (its own restarts did not help) is believed at once;
  // one that has been failing this long without saying so is taken as down too.
  CHANNEL_LIVENESS_FAILING_MINUTES: envInteger(10, 1, 1440),
  // Telegram holds updates for the bot and none was received this long.
  CHANNEL_LIVENESS_PENDING_MINUTES: envInteger(30, 1, 1440),
  // getMe / getWebhookInfo failing this many checks in a row.
  CHANNEL_LIVENESS_PROBE_FAILURES: envInteger(3, 1, 100),
  // A Discord gateway not ready this long.
  CHANNEL_LIVENESS_GATEWAY_MINUTES: envInteger(2, 1, 1440),
  // Discord REST 5xx answers in the last 10 minutes.
  CHANNEL_LIVENESS_REST_5XX: envInteger(5, 1, 10_000),
  // An operator line not gone out this long (Telegram queued, Discord failed).
  CHANNEL_LIVENESS_OUTBOUND_MINUTES: envInteger(10, 1, 1440),
  // Heartbeats older than this are fleet-monitor's (bot_unhealthy), not a channel's.
  CHANNEL_LIVENESS_HEARTBEAT_SECONDS: envInteger(60, 10, 3600),
});

/** The parsed settings. */
export type ChannelLivenessConfig = SettingsOf<typeof channelLivenessSettings>;

/** One dead channel: one check, across every process that shows it. */
export type ChannelProblem = z.output<typeof channelDown.schema>;

/** A backlog row from channel_outbound_backlog. */
export interface OutboundBacklog {
  [column: string]: unknown;
  channel: string;
  pending: number;
  oldest_at: string | Date;
  last_error: string | null;
}

interface Reading {
  bot: string;
  host: string;
  health: ChannelHealth;
}

const MINUTE = 60_000;
const CHANNEL_NAMES = { telegram: 'Telegram', discord: 'Discord' } as const;

/** The channel connections live processes report (stopped ones, standbys and stale heartbeats left out). */
export function channelReadings(heartbeats: readonly FleetHeartbeat[], config: ChannelLivenessConfig): Reading[] {
  const readings: Reading[] = [];
  for (const row of heartbeats) {
    if (row.status !== 'running' || row.seconds_since_seen > config.CHANNEL_LIVENESS_HEARTBEAT_SECONDS) continue;
    const channels = (row.detail as { channels?: Record<string, ChannelHealth> }).channels ?? {};
    for (const health of Object.values(channels)) if (health.state !== 'stopped') readings.push({ bot: row.bot, host: row.host, health });
  }
  return readings;
}

/** The rules, pure: each channel check over its threshold at `now`, one problem per channel and check. */
export function findChannelProblems(
  readings: readonly Reading[],
  backlog: readonly OutboundBacklog[],
  config: ChannelLivenessConfig,
  now: Date,
): ChannelProblem[] {
  const groups = new Map<string, { channel: 'telegram' | 'discord'; check: ChannelProblem['check']; since: number; readings: Reading[]; why: string[] }>();
  const add = (reading: Reading, check: ChannelProblem['check'], since: number, why: string) => {
    const key = `${reading.health.channel}:${check}`;
    const group = groups.get(key) ?? { channel: reading.health.channel, check, since, readings: [], why: [] };
    group.since = Math.min(group.since, since);
    group.readings.push(reading);
    group.why.push(`${reading.bot}@${reading.host}: ${why}`);
    groups.set(key, group);
  };
  const at = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  for (const reading of readings) {
    const { health } = reading;
    // Ages are read on the reporting process's own clock (its last check), so a host whose clock
    // differs from sysbot's, or a simulated one, is judged by the same rules.
    const clockNow = at(health.checkedAt) ?? now.getTime();
    const failingSince = at(health.failingSince);
    const error = health.lastError === null ? '' : ` (last error: ${health.lastError})`;
    if (health.channel === 'telegram') {
      const failingLong = failingSince !== null && clockNow - failingSince >= config.CHANNEL_LIVENESS_FAILING_MINUTES * MINUTE;
      if (health.state === 'down' || failingLong)
        add(reading, 'receiving', failingSince ?? clockNow, `not receiving since ${health.failingSince ?? '?'} after ${health.restarts} restart(s)${error}`);
      const pending = Number(health.readings['pending_updates'] ?? 0);
      const lastReceived = at(health.lastReceivedAt) ?? at(health.lastOkAt);
      if (pending > 0 && lastReceived !== null && clockNow - lastReceived >= config.CHANNEL_LIVENESS_PENDING_MINUTES * MINUTE)
        add(
          reading,
          'pending_unprocessed',
          lastReceived,
          `${pending} update(s) waiting at Telegram, none received since ${new Date(lastReceived).toISOString()}`,
        );
      const probeFailures = Number(health.readings['probe_failures'] ?? 0);
      if (probeFailures >= config.CHANNEL_LIVENESS_PROBE_FAILURES)
        add(reading, 'probe', clockNow, `getMe/getWebhookInfo failed ${probeFailures} times in a row (${String(health.readings['probe_error'] ?? '')})`);
    } else {
      if (failingSince !== null && (health.state === 'down' || clockNow - failingSince >= config.CHANNEL_LIVENESS_GATEWAY_MINUTES * MINUTE))
        add(reading, 'gateway', failingSince, `gateway not ready since ${health.failingSince ?? '?'} after ${health.restarts} fresh login(s)${error}`);
      const rest5xx = Number(health.readings['rest_5xx_10min'] ?? 0);
      if (rest5xx >= config.CHANNEL_LIVENESS_REST_5XX) add(reading, 'rest_5xx', clockNow - 10 * MINUTE, `${rest5xx} REST 5xx answers in 10 min`);
    }
  }
  const problems: ChannelProblem[] = [...groups.values()].map((group) => ({
    channel: group.channel,
    since: new Date(group.since).toISOString(),
    check: group.check,
    detail: group.why.join('; '),
    bots: [...new Set(group.readings.map((reading) => reading.bot))].sort(),
    hosts: [...new Set(group.readings.map((reading) => reading.host))].sort(),
  }));
  for (const row of backlog) {
    if (row.channel !== 'telegram' && row.channel !== 'discord') continue;
    const oldest = new Date(row.oldest_at).toISOString();
    problems.push({
      channel: row.channel,
      since: oldest,
      check: 'outbound',
      detail:
        row.channel === 'telegram'
          ? `${row.pending} operator line(s) queued for over ${config.CHANNEL_LIVENESS_OUTBOUND_MINUTES} min (oldest ${oldest})${row.last_error === null ? '' : `; last error: ${row.last_error}`}`
          : `${row.pending} Discord post(s) failed in the last ${config.CHANNEL_LIVENESS_OUTBOUND_MINUTES} min${row.last_error === null ? '' : `; last error: ${row.last_error}`}`,
    });
  }
  return problems.sort((left, right) => `${left.channel}:${left.check}`.localeCompare(`${right.channel}:${right.check}`));
}

/** An outage as the run remembers it (its detail), so the next run knows it is the same one and what recovered. */
interface OpenOutage {
  channel: 'telegram' | 'discord';
  check: string;
  /** When it began: its identity (the dedupe key) for as long as the channel stays down. */
  since: string;
}

// Which check names a channel's outage when several fire at once (a dead network fails them all).
const CHECK_ORDER: readonly ChannelProblem['check'][] = ['receiving', 'gateway', 'pending_unprocessed', 'probe', 'rest_5xx', 'outbound'];

/**
 * One problem per channel: the most telling check names it, every check's detail is kept, and it
 * dates from the earliest. A channel is either down or not; the operator hears of it once.
 */
export function mergeByChannel(problems: readonly ChannelProblem[]): ChannelProblem[] {
  const merged: ChannelProblem[] = [];
  for (const channel of ['telegram', 'discord'] as const) {
    const own = problems
      .filter((problem) => problem.channel === channel)
      .sort((left, right) => CHECK_ORDER.indexOf(left.check) - CHECK_ORDER.indexOf(right.check));
    const [first] = own;
    if (first === undefined) continue;
    merged.push({
      ...first,
      since: own.map((problem) => problem.since).sort()[0] ?? first.since,
      detail: own.map((problem) => (own.length === 1 ? problem.detail : `${problem.check}: ${problem.detail}`)).join(' | '),
      checks: own.map((problem) => problem.check),
      bots: [...new Set(own.flatMap((problem) => problem.bots ?? []))].sort(),
      hosts: [...new Set(own.flatMap((problem) => problem.hosts ?? []))].sort(),
    });
  }
  return merged;
}

/** The other channel, through which an outage is reported. */
export function otherChannel(channel: 'telegram' | 'discord'): string {
  return channel === 'telegram' ? 'Discord #sys-bot' : "the operator's Telegram";
}

/**
 * One look: raise each channel's new outage once as a critical channel_down (its detail post on
 * #sys-bot; jbot routes it through the other channel), and note each outage the last run saw that
 * is over. An outage keeps the start the run first saw, so however many ticks it lasts and
 * whichever checks join it, it is one signal (the dedupe key carries that start).
 */
export async function runChannelLiveness(context: BotContext & JobRunInfo, config: ChannelLivenessConfig) {
  const now = context.scheduledFor;
  const readings = channelReadings(await readFleetHeartbeats(context.db), config);
  // Outbound rows carry the brain's time, so the brain's clock judges them.
  const backlog = await context.db.rpc<OutboundBacklog>('channel_outbound_backlog', { p_minutes: config.CHANNEL_LIVENESS_OUTBOUND_MINUTES });
  // The last run's open outages, if it is recent: after a long gap an outage is judged afresh.
  const last = await context.lastRun();
  const recent = last !== null && now.getTime() - Date.parse(last.scheduledFor) <= 30 * MINUTE;
  const previous = recent ? ((last.result as { open?: OpenOutage[] } | null)?.open ?? []) : [];
  const problems = mergeByChannel(findChannelProblems(readings, backlog, config, now)).map((problem) => ({
    ...problem,
    since: previous.find((outage) => outage.channel === problem.channel)?.since ?? problem.since,
  }));
  const open: OpenOutage[] = problems.map((problem) => ({ channel: problem.channel, check: problem.check, since: problem.since }));
  let raised = 0;
  for (const problem of problems) {
    const result = await context.signals.emit('channel_down', problem, {
      severity: 'critical',
      dedupeKey: `channel_down:${problem.channel}:${problem.since}`,
      dedupeWindowMs: 7 * 24 * 60 * MINUTE,
    });
    if (!result.deduplicated) {
      raised += 1;
      context.log.error(
        { signalId: result.id, ...problem },
        `${CHANNEL_NAMES[problem.channel]} is down (${problem.check}); reported through ${otherChannel(problem.channel)}`,
      );
    }
  }
  const recovered = previous.filter((outage) => !open.some((current) => current.channel === outage.channel));
  for (const outage of recovered) {
    const minutes = Math.max(1, Math.round((now.getTime() - Date.parse(outage.since)) / MINUTE));
    const text = `${CHANNEL_NAMES[outage.channel]} ${outage.check === 'outbound' ? 'delivering' : 'receiving'} again: the ${outage.check} outage that began ${outage.since} is over (about ${minutes} min).`;
    // One bot_note: its detail post is the #sys-bot line, and it reaches the daily digest.
    await context.signals.emit(
      'bot_note',
      { text, detail: { kind: 'channel_recovered', channel: outage.channel, check: outage.check, since: outage.since } },
      { dedupeKey: `channel_recovered:${outage.channel}:${outage.since}`, dedupeWindowMs: 7 * 24 * 60 * MINUTE },
    );
  }
  const fingerprint = open.map((outage) => `${outage.channel}@${outage.since}`).join(',');
  const summary =
    problems.length === 0
      ? NOTHING_TO_REPORT
      : `${problems.map((problem) => `${problem.channel} down (${(problem.checks ?? [problem.check]).join(', ')})`).join('; ')}, ${raised} newly raised`;
  if (problems.length === 0 && context.manual) {
    const seen = readings.map((reading) => `${reading.bot} ${reading.health.channel} ${reading.health.state}`).join(', ');
    await context.channel.post({
      kind: 'note',
      title: 'channel-liveness: nothing to report',
      text: seen === '' ? 'No live process reports a channel connection (local channels only).' : `All channels up: ${seen}.`,
    });
  }
  return jobOutcome(recovered.length > 0 && problems.length === 0 ? `${recovered.length} channel outage(s) over` : summary, {
    fingerprint,
    detail: { open, raised, recovered: recovered.map((outage) => outage.channel), channels: readings.length },
  });
}

/** sysbot's channel-liveness: every 5 minutes, the operator channels are receiving and delivering. */
export const channelLiveness = defineJob({
  id: 'channel-liveness',
  schedule: '*/5 * * * *',
  description: 'Telegram receiving, Discord gateways ready, operator lines going out → channel_down (critical, through the other channel)',
  timeoutMs: 60_000,
  // Every five minutes: a missed tick is covered by the next one.
  overlap: 'skip',
  missed: 'skip',
  settings: channelLivenessSettings,
  run: (context) => runChannelLiveness(context, context.config),
});
