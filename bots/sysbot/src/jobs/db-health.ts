import { defineJob, envInteger, envNumber, envSettings, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, Severity, SettingsOf } from '@jbot/core';
import { brainRetentionShape, pruneBrainIfDue } from './brain-retention.js';

/**
 * db-health's thresholds (catalogue defaults). The plan size defaults to Supabase Pro's included
 * 8 GB disk; set it to the brain's real plan (the free plan is 500 MB).
 */
export const dbHealthSettings = envSettings({
  DB_HEALTH_PLAN_MB: envInteger(8192, 1, 10_000_000),
  DB_HEALTH_SIZE_WARN_SHARE: envNumber(0.8, 0.01),
  DB_HEALTH_SIZE_ALERT_SHARE: envNumber(0.95, 0.01),
  DB_HEALTH_CONNECTIONS_SHARE: envNumber(0.8, 0.01),
  DB_HEALTH_LONG_QUERY_SECONDS: envInteger(300, 1, 86_400),
  DB_HEALTH_MAX_PENDING_RECEIPTS: envInteger(200, 1, 10_000_000),
  DB_HEALTH_MAX_PENDING_MINUTES: envInteger(10, 1, 1440),
  // Dead letters count for this long after they died, then they are history (`fleet signals` still shows them).
  DB_HEALTH_DEAD_LOOKBACK_HOURS: envInteger(24, 1, 720),
  // Keeping the brain small is part of its health: once a day db-health prunes old history.
  ...brainRetentionShape,
});

/** The parsed settings. */
export type DbHealthConfig = SettingsOf<typeof dbHealthSettings>;

/** The brain's vital signs, as brain_health reads them. */
export interface BrainHealth {
  [column: string]: unknown;
  database_bytes: number;
  connections: number;
  max_connections: number;
  long_queries: number;
  longest_query_seconds: number | null;
  pending_receipts: number;
  oldest_pending_seconds: number | null;
  dead_receipts: number;
}

/** One check over its threshold. */
export interface BrainFinding {
  check: 'size' | 'connections' | 'long_query' | 'pending_receipts' | 'oldest_pending' | 'dead_letters';
  severity: Severity;
  value: number;
  threshold: number;
  detail: string;
}

const MB = 1024 * 1024;

/** The rules, pure: each check against its threshold, severity by rule. */
export function findBrainProblems(health: BrainHealth, config: DbHealthConfig): BrainFinding[] {
  const findings: BrainFinding[] = [];
  const sizeMb = Math.round(Number(health.database_bytes) / MB);
  const sizeShare = sizeMb / config.DB_HEALTH_PLAN_MB;
  if (sizeShare >= config.DB_HEALTH_SIZE_WARN_SHARE) {
    const alert = sizeShare >= config.DB_HEALTH_SIZE_ALERT_SHARE;
    const threshold = Math.round(config.DB_HEALTH_PLAN_MB * (alert ? config.DB_HEALTH_SIZE_ALERT_SHARE : config.DB_HEALTH_SIZE_WARN_SHARE));
    findings.push({
      check: 'size',
      severity: alert ? 'alert' : 'warning',
      value: sizeMb,
      threshold,
      detail: `${sizeMb} MB of the ${config.DB_HEALTH_PLAN_MB} MB plan (${Math.round(sizeShare * 100)}%)`,
    });
  }
  const connectionLimit = Math.floor(health.max_connections * config.DB_HEALTH_CONNECTIONS_SHARE);
  if (health.connections >= connectionLimit)
    findings.push({
      check: 'connections',
      severity: 'alert',
      value: health.connections,
      threshold: connectionLimit,
      detail: `${health.connections} of ${health.max_connections} connections in use`,
    });
  if (health.long_queries > 0)
    findings.push({
      check: 'long_query',
      severity: 'alert',
      value: Math.round(health.longest_query_seconds ?? 0),
      threshold: config.DB_HEALTH_LONG_QUERY_SECONDS,
      detail: `${health.long_queries} quer${health.long_queries === 1 ? 'y' : 'ies'} running longer than ${config.DB_HEALTH_LONG_QUERY_SECONDS} s (longest ${Math.round(health.longest_query_seconds ?? 0)} s)`,
    });
  if (health.pending_receipts > config.DB_HEALTH_MAX_PENDING_RECEIPTS)
    findings.push({
      check: 'pending_receipts',
      severity: 'alert',
      value: health.pending_receipts,
      threshold: config.DB_HEALTH_MAX_PENDING_RECEIPTS,
      detail: `${health.pending_receipts} signal deliveries waiting`,
    });
  const oldestMinutes = (health.oldest_pending_seconds ?? 0) / 60;
  if (oldestMinutes > config.DB_HEALTH_MAX_PENDING_MINUTES)
    findings.push({
      check: 'oldest_pending',
      severity: 'alert',
      value: Math.round(oldestMinutes),
      threshold: config.DB_HEALTH_MAX_PENDING_MINUTES,
      detail: `the oldest undelivered signal has waited ${Math.round(oldestMinutes)} min`,
    });
  if (health.dead_receipts > 0)
    findings.push({
      check: 'dead_letters',
      severity: 'warning',
      value: health.dead_receipts,
      threshold: 0,
      detail: `${health.dead_receipts} signal deliver${health.dead_receipts === 1 ? 'y' : 'ies'} gave up in the last ${config.DB_HEALTH_DEAD_LOOKBACK_HOURS} h (\`pnpm fleet signals\` shows them)`,
    });
  return findings;
}

/** Run the check once: signal each problem (once a day per check and severity), post on change. */
export async function runDbHealth(context: BotContext & JobRunInfo, config: DbHealthConfig) {
  const now = context.scheduledFor;
  const retention = await pruneBrainIfDue(context, config);
  const [health] = await context.db.rpc<BrainHealth>('brain_health', {
    p_long_query_seconds: config.DB_HEALTH_LONG_QUERY_SECONDS,
    p_dead_since: new Date(now.getTime() - config.DB_HEALTH_DEAD_LOOKBACK_HOURS * 3600_000).toISOString(),
  });
  if (health === undefined) throw new Error('brain_health returned no row');
  const findings = findBrainProblems(health, config);
  const day = now.toISOString().slice(0, 10);
  for (const finding of findings) {
    await context.signals.emit(
      'brain_degraded',
      { check: finding.check, value: finding.value, threshold: finding.threshold, detail: finding.detail },
      { severity: finding.severity, dedupeKey: `brain_degraded:${finding.check}:${finding.severity}:${day}`, dedupeWindowMs: 86_400_000 },
    );
  }
  const sizeMb = Math.round(Number(health.database_bytes) / MB);
  const outcome = await reportFindings(context, {
    // Checks and severities, not the moving values: a backlog that persists is posted once.
    findings: findings.map((finding) => [finding.check, finding.severity]),
    noun: 'brain problem',
    message: () => ({
      kind: 'report',
      title: `Brain health: ${findings.length} problem${findings.length === 1 ? '' : 's'}`,
      text: findings.map((finding) => `${finding.check}: ${finding.detail}`).join('\n'),
      severity: findings.some((finding) => finding.severity === 'alert') ? 'alert' : 'warning',
    }),
    nothingLine: `${sizeMb} MB of ${config.DB_HEALTH_PLAN_MB} MB, ${health.connections} of ${health.max_connections} connections, ${health.pending_receipts} deliveries waiting, no long queries.`,
  });
  return {
    ...outcome,
    detail: {
      ...outcome.detail,
      problems: findings.map((finding) => `${finding.check} ${finding.severity}`),
      sizeMb,
      connections: health.connections,
      pending: health.pending_receipts,
      ...(retention.ran ? { pruned: retention.deleted, pruneComplete: retention.complete } : {}),
    },
  };
}

/** sysbot's db-health: every 30 minutes, the shared brain's size, connections, long queries and signal backlog. */
export const dbHealth = defineJob({
  id: 'db-health',
  schedule: '*/30 * * * *',
  description: 'Brain size vs plan, connections, long queries, signal backlog and dead letters → brain_degraded; prunes old history once a day',
  timeoutMs: 60_000,
  // Half-hourly: a missed tick is covered by the next one.
  overlap: 'skip',
  missed: 'skip',
  settings: dbHealthSettings,
  run: (context) => runDbHealth(context, context.config),
});
