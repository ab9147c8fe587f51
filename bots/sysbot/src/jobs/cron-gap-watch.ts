import { defineJob, envInteger, envNumber, envSettings, readFleetHeartbeats, reportFindings, ticksBetween, timeZone } from '@jbot/core';
import type { BotContext, Db, FleetHeartbeat, JobRunInfo, SettingsOf } from '@jbot/core';

/** One scheduled job as the fleet declares it (the registry cron-gap-watch checks the brain against). */
export interface RegisteredJob {
  bot: string;
  job: string;
  schedule: string;
  tz?: string;
  timeoutMs?: number;
}

/** Where the job registry comes from: the bots' own heartbeats in production, a fixed list in tests. */
export type JobRegistry = (db: Db) => Promise<readonly RegisteredJob[]>;

/** cron-gap-watch's thresholds (catalogue defaults: two ticks, 80% of the timeout over 7 days). */
export const cronGapWatchSettings = envSettings({
  CRON_GAP_STALE_TICKS: envInteger(2, 1, 1000),
  CRON_GAP_SLOW_SHARE: envNumber(0.8, 0.05),
  CRON_GAP_WINDOW_DAYS: envInteger(7, 1, 90),
  // Fewer succeeded runs than this in the window is no basis for a p95.
  CRON_GAP_MIN_RUNS: envInteger(5, 1, 10_000),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type CronGapWatchConfig = SettingsOf<typeof cronGapWatchSettings>;

/** One thing wrong with one job's schedule. */
export interface CronGapFinding {
  kind: 'stale' | 'slow' | 'unhosted';
  bot: string;
  job: string;
  schedule: string;
  lastSuccessAt: string | null;
  ticksMissed: number;
  lastStatus: string | null;
  lastError: string | null;
  p95Ms?: number;
  timeoutMs?: number;
}

interface HistoryRow {
  [column: string]: unknown;
  bot: string;
  job: string;
  last_success_for: string | null;
  last_success_at: string | null;
  succeeded_runs: number;
  p95_duration_ms: number | null;
  last_status: string | null;
  last_error: string | null;
}

// A job with no timeout still gets this long after its tick before the tick counts as missed.
const DEFAULT_SETTLE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

/**
 * The checks, pure over the registry, the heartbeats and the run history:
 * - stale: ticks since the last scheduled success (and since the oldest live host started, so a
 *   fresh deployment is not a gap) that have had their timeout to finish, ≥ the threshold;
 *   a restart hides earlier gaps, which the scheduler reports itself as job_missed rows;
 * - slow: p95 of succeeded runs over the window above the share of the timeout;
 * - unhosted: the bot runs somewhere but no live host lists the job, or the bot has never beaten.
 * Bots stopped or crashed are left to fleet-monitor and the scheduler's job_missed rows.
 */
export function findCronGaps(
  registry: readonly RegisteredJob[],
  beats: readonly FleetHeartbeat[],
  history: readonly HistoryRow[],
  config: CronGapWatchConfig,
  now: Date,
): CronGapFinding[] {
  const byJob = new Map(history.map((row) => [`${row.bot}/${row.job}`, row]));
  const findings: CronGapFinding[] = [];
  for (const entry of registry) {
    const row = byJob.get(`${entry.bot}/${entry.job}`);
    const base = {
      bot: entry.bot,
      job: entry.job,
      schedule: entry.schedule,
      lastSuccessAt: row?.last_success_at === null || row?.last_success_at === undefined ? null : new Date(row.last_success_at).toISOString(),
      lastStatus: row?.last_status ?? null,
      lastError: row?.last_error ?? null,
    };
    const ofBot = beats.filter((beat) => beat.bot === entry.bot);
    const live = ofBot.filter((beat) => beat.status === 'running' || beat.status === 'starting');
    // An old heartbeat without a job list cannot tell; it counts as hosting.
    const hosts = live.filter((beat) => beat.detail.jobs === undefined || beat.detail.jobs.includes(entry.job));
    if (hosts.length === 0) {
      if (ofBot.length === 0 || live.length > 0) findings.push({ kind: 'unhosted', ...base, ticksMissed: 0 });
      continue;
    }
    // The longest-running host's uptime, measured on the brain's clock and laid back from the
    // tick: the scheduler's clock may be simulated (the bench's day), and a jump in it is not a gap.
    const uptimeMs = Math.max(
      ...hosts.map((beat) => new Date(beat.last_seen).getTime() - new Date(beat.started_at).getTime() + beat.seconds_since_seen * 1000),
    );
    const hostSince = now.getTime() - uptimeMs;
    const successFor = row?.last_success_for === null || row?.last_success_for === undefined ? -Infinity : new Date(row.last_success_for).getTime();
    const from = new Date(Math.max(successFor, hostSince));
    const settledBefore = new Date(now.getTime() - (entry.timeoutMs ?? DEFAULT_SETTLE_MS));
    const missed = from < settledBefore ? ticksBetween(entry.schedule, entry.tz ?? config.FLEET_TZ, from, settledBefore, 10_000).length : 0;
    if (missed >= config.CRON_GAP_STALE_TICKS) findings.push({ kind: 'stale', ...base, ticksMissed: missed });
    const p95 = row?.p95_duration_ms ?? null;
    if (
      entry.timeoutMs !== undefined &&
      p95 !== null &&
      (row?.succeeded_runs ?? 0) >= config.CRON_GAP_MIN_RUNS &&
      p95 > config.CRON_GAP_SLOW_SHARE * entry.timeoutMs
    )
      findings.push({ kind: 'slow', ...base, ticksMissed: 0, p95Ms: Math.round(p95), timeoutMs: entry.timeoutMs });
  }
  return findings.sort((left, right) => `${left.kind}${left.bot}${left.job}`.localeCompare(`${right.kind}${right.bot}${right.job}`));
}

/** One #sys-bot line for a finding. */
export function cronGapLine(finding: CronGapFinding): string {
  const who = `${finding.bot}/${finding.job} (${finding.schedule})`;
  const last = finding.lastSuccessAt === null ? 'never succeeded on schedule' : `last success ${finding.lastSuccessAt}`;
  const status =
    finding.lastStatus === null ? '' : `; latest run ${finding.lastStatus}${finding.lastError === null ? '' : `: ${finding.lastError.slice(0, 160)}`}`;
  switch (finding.kind) {
    case 'stale':
      return `${who}: no success for ${finding.ticksMissed} ticks — ${last}${status}`;
    case 'slow':
      return `${who}: p95 ${Math.round((finding.p95Ms ?? 0) / 1000)} s is ${Math.round(((finding.p95Ms ?? 0) / (finding.timeoutMs ?? 1)) * 100)}% of its ${Math.round((finding.timeoutMs ?? 0) / 1000)} s timeout`;
    case 'unhosted':
      return `${who}: registered but no live host runs it — ${last}`;
  }
}

/** Run the watch once: find, signal each finding (once per gap), post on change. */
export async function runCronGapWatch(context: BotContext & JobRunInfo, config: CronGapWatchConfig, registry: JobRegistry) {
  const now = context.scheduledFor;
  const since = new Date(now.getTime() - config.CRON_GAP_WINDOW_DAYS * DAY_MS);
  const [jobs, beats, history] = await Promise.all([
    registry(context.db),
    readFleetHeartbeats(context.db),
    context.db.rpc<HistoryRow>('cron_job_history', { p_since: since.toISOString(), p_now: now.toISOString() }),
  ]);
  const findings = findCronGaps(jobs, beats, history, config, now);
  for (const finding of findings) {
    await context.signals.emit(
      'job_stale',
      {
        bot: finding.bot,
        job: finding.job,
        last_success_at: finding.lastSuccessAt,
        ticks_missed: finding.ticksMissed,
        kind: finding.kind,
        schedule: finding.schedule,
        last_status: finding.lastStatus,
        last_error: finding.lastError,
        ...(finding.p95Ms === undefined ? {} : { p95_ms: finding.p95Ms }),
        ...(finding.timeoutMs === undefined ? {} : { timeout_ms: finding.timeoutMs }),
      },
      // Severity by rule: a job that does not run is an alert; one creeping toward its timeout a warning.
      // The key holds the last success, so a gap that persists is one signal and a new gap is a new one.
      {
        severity: finding.kind === 'slow' ? 'warning' : 'alert',
        dedupeKey: `job_stale:${finding.kind}:${finding.bot}/${finding.job}:${finding.lastSuccessAt ?? 'never'}`,
        dedupeWindowMs: DAY_MS,
      },
    );
  }
  // The fingerprint leaves out the growing tick count: a gap that persists is not reposted every 10 minutes.
  const stable = findings.map((finding) => [finding.kind, finding.bot, finding.job, finding.lastSuccessAt]);
  const outcome = await reportFindings(context, {
    findings: stable,
    noun: 'schedule gap',
    message: () => ({
      kind: 'report',
      title: `Schedule gaps: ${findings.length} job${findings.length === 1 ? '' : 's'} not doing their work`,
      text: findings.map(cronGapLine).join('\n'),
      severity: findings.some((finding) => finding.kind !== 'slow') ? 'alert' : 'warning',
    }),
    nothingLine: `All ${jobs.length} scheduled jobs succeeded on their recent ticks.`,
  });
  return { ...outcome, detail: { ...outcome.detail, checked: jobs.length, gaps: findings.map((finding) => `${finding.kind} ${finding.bot}/${finding.job}`) } };
}

/**
 * The fleet's job registry as each bot declares it in its heartbeat (its jobs with their resolved
 * schedules, time zones and timeouts): the latest beat per bot, whichever host wrote it, so a bot
 * that is down still owes its ticks. No bot code is loaded here.
 */
export const heartbeatJobRegistry: JobRegistry = async (db) => {
  const beats = await readFleetHeartbeats(db);
  const latest = new Map<string, FleetHeartbeat>();
  for (const beat of beats) {
    const seen = latest.get(beat.bot);
    if (seen === undefined || Date.parse(String(beat.last_seen)) > Date.parse(String(seen.last_seen))) latest.set(beat.bot, beat);
  }
  return [...latest.values()].flatMap((beat) =>
    ((beat.detail as { schedules?: Array<{ id: string; schedule: string; tz?: string; timeoutMs?: number }> }).schedules ?? []).map((job) => ({
      bot: beat.bot,
      job: job.id,
      schedule: job.schedule,
      ...(job.tz === undefined ? {} : { tz: job.tz }),
      ...(job.timeoutMs === undefined ? {} : { timeoutMs: job.timeoutMs }),
    })),
  );
};

/** cron-gap-watch as a job over a given registry (tests pass a fixed one). */
export function defineCronGapWatch(registry: JobRegistry) {
  return defineJob({
    id: 'cron-gap-watch',
    schedule: '*/10 * * * *',
    description: 'Jobs with no success for two ticks, runs creeping toward their timeout, jobs no host runs → job_stale',
    timeoutMs: 60_000,
    // A ten-minute watch: a missed tick is covered by the next one.
    overlap: 'skip',
    missed: 'skip',
    settings: cronGapWatchSettings,
    run: (context) => runCronGapWatch(context, context.config, registry),
  });
}

/** sysbot's cron-gap-watch: every 10 minutes, proves the schedule actually ran. */
export const cronGapWatch = defineCronGapWatch(heartbeatJobRegistry);
