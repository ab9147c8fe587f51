import { defineJob, envInteger, envNumber, envSettings, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, Severity, SettingsOf } from '@jbot/core';

/** host-health's thresholds (catalogue defaults). */
export const hostHealthSettings = envSettings({
  HOST_HEALTH_DISK_WARN_PCT: envNumber(85, 1),
  HOST_HEALTH_DISK_ALERT_PCT: envNumber(95, 1),
  HOST_HEALTH_MEMORY_PCT: envNumber(90, 1),
  HOST_HEALTH_MEMORY_MINUTES: envInteger(10, 1, 1440),
  HOST_HEALTH_RSS_FACTOR: envNumber(2, 1),
  HOST_HEALTH_RSS_DAYS: envInteger(7, 1, 90),
  // A median of fewer samples (an hour at 5-minute ticks) is not a bot's usual size yet.
  HOST_HEALTH_RSS_MIN_SAMPLES: envInteger(12, 1, 100_000),
  HOST_HEALTH_MAX_SKEW_MS: envInteger(1000, 1, 3_600_000),
});

/** The parsed settings. */
export type HostHealthConfig = SettingsOf<typeof hostHealthSettings>;

/** One host × bot row of host_health_report. */
export interface HostSample {
  [column: string]: unknown;
  host: string;
  bot: string;
  rss_mb: number | null;
  disk_used_pct: number | null;
  mem_used_pct: number | null;
  load1: number | null;
  cpus: number | null;
  clock_skew_ms: number | null;
  mem_low_pct: number | null;
  mem_span_seconds: number | null;
  rss_median_mb: number | null;
  rss_samples: number;
}

/** One jbot@ unit as host_unit_states reports it. */
export interface HostUnit {
  [column: string]: unknown;
  host: string;
  unit: string;
  active: string;
  sub: string;
}

/** One host problem. */
export interface HostFinding {
  host: string;
  check: 'disk' | 'memory' | 'bot_rss' | 'clock_skew' | 'unit_failed';
  severity: Severity;
  value: number;
  threshold: number;
  bot?: string;
  detail: string;
}

/** The rules, pure: disk ≥ 85% (alert ≥ 95%), memory ≥ 90% for 10 min, a bot's RSS > 2 × its median, a jbot@ unit failed, |skew| > 1 s. */
export function findHostProblems(samples: readonly HostSample[], config: HostHealthConfig, units: readonly HostUnit[] = []): HostFinding[] {
  const findings: HostFinding[] = [];
  for (const unit of units.filter((candidate) => candidate.active === 'failed'))
    findings.push({
      host: unit.host,
      check: 'unit_failed',
      severity: 'alert',
      value: 1,
      threshold: 0,
      bot: /^jbot@(.+)\.service$/.exec(unit.unit)?.[1] ?? unit.unit,
      detail: `${unit.unit} failed (${unit.sub}): journalctl -u ${unit.unit} -n 50 shows why`,
    });
  const hosts = new Map<string, HostSample[]>();
  for (const sample of samples) hosts.set(sample.host, [...(hosts.get(sample.host) ?? []), sample]);
  for (const [host, rows] of hosts) {
    // Host-wide readings: every bot on the host reports the same machine; take the worst.
    const worst = (pick: (row: HostSample) => number | null) =>
      rows.map(pick).reduce<number | null>((max, value) => (value === null ? max : max === null ? value : Math.max(max, value)), null);
    const disk = worst((row) => row.disk_used_pct);
    if (disk !== null && disk >= config.HOST_HEALTH_DISK_WARN_PCT) {
      const alert = disk >= config.HOST_HEALTH_DISK_ALERT_PCT;
      findings.push({
        host,
        check: 'disk',
        severity: alert ? 'alert' : 'warning',
        value: disk,
        threshold: alert ? config.HOST_HEALTH_DISK_ALERT_PCT : config.HOST_HEALTH_DISK_WARN_PCT,
        detail: `disk ${disk}% used`,
      });
    }
    const memoryLow = worst((row) => row.mem_low_pct);
    const span = worst((row) => row.mem_span_seconds) ?? 0;
    // Every reading over the window at or above the limit, and the readings cover the window (a spike is not "for 10 min").
    if (memoryLow !== null && memoryLow >= config.HOST_HEALTH_MEMORY_PCT && span >= config.HOST_HEALTH_MEMORY_MINUTES * 60 - 30)
      findings.push({
        host,
        check: 'memory',
        severity: 'alert',
        value: memoryLow,
        threshold: config.HOST_HEALTH_MEMORY_PCT,
        detail: `memory at or above ${memoryLow}% used for ${Math.round(span / 60)} min`,
      });
    const skew = worst((row) => (row.clock_skew_ms === null ? null : Math.abs(row.clock_skew_ms)));
    if (skew !== null && skew > config.HOST_HEALTH_MAX_SKEW_MS)
      findings.push({
        host,
        check: 'clock_skew',
        severity: 'alert',
        value: skew,
        threshold: config.HOST_HEALTH_MAX_SKEW_MS,
        detail: `host clock ${skew} ms off the brain's clock: fix NTP (timedatectl / chrony), the brain's clock decides what is due`,
      });
    for (const row of rows) {
      if (row.rss_mb === null || row.rss_median_mb === null || row.rss_samples < config.HOST_HEALTH_RSS_MIN_SAMPLES) continue;
      if (row.rss_mb > config.HOST_HEALTH_RSS_FACTOR * row.rss_median_mb)
        findings.push({
          host,
          bot: row.bot,
          check: 'bot_rss',
          severity: 'alert',
          value: row.rss_mb,
          threshold: Math.round(config.HOST_HEALTH_RSS_FACTOR * row.rss_median_mb),
          detail: `${row.bot} uses ${row.rss_mb} MB, over ${config.HOST_HEALTH_RSS_FACTOR}× its ${config.HOST_HEALTH_RSS_DAYS}-day median ${Math.round(row.rss_median_mb)} MB`,
        });
    }
  }
  return findings;
}

/** Run the check once: sample the heartbeats, judge each host, signal each problem once a day, post on change. */
export async function runHostHealth(context: BotContext & JobRunInfo, config: HostHealthConfig) {
  const now = context.scheduledFor;
  await context.db.rpc('record_host_health_samples', { p_sampled_at: now.toISOString(), p_keep_days: config.HOST_HEALTH_RSS_DAYS + 1 });
  const samples = await context.db.rpc<HostSample>('host_health_report', {
    p_now: now.toISOString(),
    p_memory_minutes: config.HOST_HEALTH_MEMORY_MINUTES,
    p_rss_days: config.HOST_HEALTH_RSS_DAYS,
  });
  const units = await context.db.rpc<HostUnit>('host_unit_states', {});
  const findings = findHostProblems(samples, config, units);
  for (const finding of findings) {
    await context.signals.emit(
      'host_unhealthy',
      {
        host: finding.host,
        check: finding.check,
        value: finding.value,
        threshold: finding.threshold,
        ...(finding.bot === undefined ? {} : { bot: finding.bot }),
        detail: finding.detail,
      },
      {
        severity: finding.severity,
        // No day in the key: a problem that persists past midnight (UTC or local) is one signal per 24 h.
        dedupeKey: `host_unhealthy:${finding.host}:${finding.check}:${finding.bot ?? ''}:${finding.severity}`,
        dedupeWindowMs: 86_400_000,
      },
    );
  }
  const hosts = [...new Set(samples.map((sample) => sample.host))];
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => [finding.host, finding.check, finding.bot ?? null, finding.severity]),
    noun: 'host problem',
    message: () => ({
      kind: 'report',
      title: `Host health: ${findings.length} problem${findings.length === 1 ? '' : 's'}`,
      text: findings.map((finding) => `${finding.host} ${finding.check}: ${finding.detail}`).join('\n'),
      severity: findings.some((finding) => finding.severity === 'alert') ? 'alert' : 'warning',
    }),
    nothingLine:
      hosts.length === 0
        ? 'no running bot has sent host metrics yet'
        : hosts
            .map((host) => {
              const row = samples.find((sample) => sample.host === host);
              return `${host}: disk ${row?.disk_used_pct ?? '?'}%, memory ${row?.mem_used_pct ?? '?'}%, load ${row?.load1 ?? '?'} on ${row?.cpus ?? '?'} cpus`;
            })
            .join('; '),
  });
  return { ...outcome, detail: { ...outcome.detail, hosts, problems: findings.map((finding) => `${finding.host} ${finding.check} ${finding.severity}`) } };
}

/** sysbot's host-health: every 5 minutes, each VPS's disk, memory, bot memory and clock from the heartbeats. */
export const hostHealth = defineJob({
  id: 'host-health',
  schedule: '*/5 * * * *',
  description: "Each host's disk, memory, bot RSS and clock skew from the heartbeats → host_unhealthy",
  timeoutMs: 60_000,
  overlap: 'skip',
  missed: 'skip',
  settings: hostHealthSettings,
  run: (context) => runHostHealth(context, context.config),
});
