import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types sysbot introduces (see bots/salesbot/src/signals.ts for why they live here).

/** A bot stopped sending heartbeats or keeps restarting. */
export const botUnhealthy = defineSignalType({
  type: 'bot_unhealthy',
  description: 'A bot is down, stale or restarting repeatedly',
  defaultSeverity: 'alert',
  schema: z.object({ bot: z.string(), host: z.string().optional(), reason: z.string(), seconds_since_seen: z.number().optional() }),
});

/**
 * A scheduled job that is not doing its work (cron-gap-watch): no success for two ticks (alert),
 * runs creeping toward their timeout (warning), or a registered job no host runs (alert).
 */
export const jobStale = defineSignalType({
  type: 'job_stale',
  description: 'A scheduled job has not succeeded for its last ticks, runs close to its timeout, or runs on no host',
  defaultSeverity: 'alert',
  schema: z.object({
    bot: z.string(),
    job: z.string(),
    last_success_at: z.string().nullable(),
    ticks_missed: z.number().int().nonnegative(),
    kind: z.enum(['stale', 'slow', 'unhosted']).default('stale'),
    schedule: z.string().optional(),
    last_status: z.string().nullable().optional(),
    last_error: z.string().nullable().optional(),
    p95_ms: z.number().optional(),
    timeout_ms: z.number().optional(),
  }),
});

/**
 * An approval that did not do what it said exactly once (approval-audit): stuck, failed, a
 * ledger that disagrees, or an effect no decision allowed (critical).
 */
export const approvalExecutionIssue = defineSignalType({
  type: 'approval_execution_issue',
  description: 'An approval is stuck or failed, its ledger disagrees, or an effect happened without an approval',
  defaultSeverity: 'alert',
  schema: z.object({
    // Null for an effect with no approval behind it.
    approval_id: z.string().uuid().nullable(),
    bot: z.string(),
    action: z.string().nullable(),
    kind: z.enum(['stuck', 'failed', 'ledger_mismatch', 'unauthorised']),
    title: z.string().nullable().optional(),
    status: z.string().optional(),
    detail: z.string().optional(),
    effect_key: z.string().nullable().optional(),
    ledger: z.string().nullable().optional(),
  }),
});

/** A job's model use ran away (llm-usage-anomaly): far above its own busiest hour, or a run that keeps calling. */
export const llmAnomaly = defineSignalType({
  type: 'llm_anomaly',
  description: "A job's LLM use in the last hour is far above its history, or one run made runaway model calls",
  defaultSeverity: 'alert',
  schema: z.object({
    bot: z.string(),
    job: z.string(),
    tokens_hour: z.number().nonnegative(),
    baseline: z.number().nonnegative(),
    cost_usd: z.number().nonnegative(),
    kind: z.enum(['tokens', 'steps']).default('tokens'),
    calls: z.number().int().nonnegative().optional(),
    run_id: z.string().nullable().optional(),
    run_calls: z.number().int().nonnegative().optional(),
    hour_start: z.string().optional(),
  }),
});

/** The shared brain itself is in trouble (db-health): size, connections, a long query, a signal backlog, dead letters. */
export const brainDegraded = defineSignalType({
  type: 'brain_degraded',
  description: 'The shared brain is near its size plan or connection limit, has a long-running query, a signal backlog or dead letters',
  defaultSeverity: 'alert',
  schema: z.object({
    check: z.enum(['size', 'connections', 'long_query', 'pending_receipts', 'oldest_pending', 'dead_letters']),
    value: z.number(),
    threshold: z.number(),
    detail: z.string().optional(),
  }),
});

/**
 * An operator channel is dead (channel-liveness): Telegram not receiving, a Discord gateway away,
 * or lines not going out. Critical; jbot routes it through the other channel.
 */
export const channelDown = defineSignalType({
  type: 'channel_down',
  description: 'An operator channel is not receiving or not delivering (Telegram polling, Discord gateway, outbound lines)',
  defaultSeverity: 'critical',
  schema: z.object({
    channel: z.enum(['telegram', 'discord']),
    since: z.string(),
    check: z.enum(['receiving', 'pending_unprocessed', 'probe', 'gateway', 'rest_5xx', 'outbound']),
    detail: z.string(),
    // Every check that fired (the first names the outage).
    checks: z.array(z.string()).optional(),
    bots: z.array(z.string()).optional(),
    hosts: z.array(z.string()).optional(),
  }),
});

/** An external API the fleet depends on is failing (connector-health): auth, errors, rate limit, latency. */
export const connectorDegraded = defineSignalType({
  type: 'connector_degraded',
  description: 'A connector is refused (401/403), failing (5xx/timeouts), out of rate limit, or much slower than usual',
  defaultSeverity: 'alert',
  schema: z.object({
    connector: z.string(),
    kind: z.enum(['auth', 'errors', 'rate_limit', 'latency']),
    error_rate: z.number().min(0).max(1),
    since: z.string().nullable(),
    source: z.string().optional(),
    calls: z.number().int().nonnegative().optional(),
    http_status: z.number().int().nullable().optional(),
    detail: z.string().optional(),
  }),
});

/** A token, app authorisation or certificate that expires soon or no longer works (credential-expiry). */
export const credentialExpiring = defineSignalType({
  type: 'credential_expiring',
  description: 'A credential or certificate expires within 14 days (alert within 3 days or when its probe is refused)',
  defaultSeverity: 'warning',
  schema: z.object({
    connector: z.string(),
    credential: z.string(),
    expires_at: z.string().nullable(),
    days_left: z.number().nullable(),
    probe_status: z.number().int().nullable().optional(),
  }),
});

/** Last night's backup is missing, small, or no restore test proves the backups restore (backup-check). */
export const backupMissing = defineSignalType({
  type: 'backup_missing',
  description: 'The newest database backup is too old or too small, or the restore test failed or is too old',
  defaultSeverity: 'alert',
  schema: z.object({
    newest_backup_at: z.string().nullable(),
    size_bytes: z.number().nullable(),
    restore_test_at: z.string().nullable(),
    problems: z.array(z.enum(['missing', 'stale', 'small', 'restore_failed', 'restore_stale'])).min(1),
    detail: z.string().optional(),
  }),
});

/** A VPS is in trouble (host-health): disk, memory, a bot's memory, clock skew. */
export const hostUnhealthy = defineSignalType({
  type: 'host_unhealthy',
  description: 'A host is low on disk or memory, a bot grew far past its usual memory, a jbot@ unit failed, or the host clock drifted',
  defaultSeverity: 'alert',
  schema: z.object({
    host: z.string(),
    check: z.enum(['disk', 'memory', 'bot_rss', 'clock_skew', 'unit_failed']),
    value: z.number(),
    threshold: z.number(),
    bot: z.string().optional(),
    detail: z.string().optional(),
  }),
});

/** Something the daily security review found (security-audit): refused senders, secrets in logs, advisories. */
export const securityEvent = defineSignalType({
  type: 'security_event',
  description: 'Repeated refused senders or clickers, a secret or canary in the logs, or a vulnerable runtime dependency',
  defaultSeverity: 'warning',
  schema: z.object({
    kind: z.enum(['refused_sender', 'secret_in_logs', 'vulnerable_dependency']),
    actor: z.string().nullable(),
    detail: z.string(),
    count: z.number().int().nonnegative().optional(),
    locations: z.array(z.string()).optional(),
  }),
});

/** The fleet's recorded LLM cost disagrees with Anthropic's bill (llm-invoice-reconcile). */
export const llmCostMismatch = defineSignalType({
  type: 'llm_cost_mismatch',
  description: "Last month's recorded LLM cost differs from Anthropic's cost report by more than 5% or $5",
  defaultSeverity: 'warning',
  schema: z.object({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    ours_usd: z.number(),
    anthropic_usd: z.number(),
    by_model: z.array(z.object({ model: z.string(), ours_usd: z.number(), anthropic_usd: z.number(), difference_usd: z.number() })),
  }),
});

/** Every type sysbot introduces. */
export const signalTypes = [
  botUnhealthy,
  jobStale,
  approvalExecutionIssue,
  llmAnomaly,
  brainDegraded,
  connectorDegraded,
  credentialExpiring,
  backupMissing,
  hostUnhealthy,
  securityEvent,
  llmCostMismatch,
  channelDown,
];

declare module '@jbot/core' {
  interface SignalPayloads {
    bot_unhealthy: z.output<typeof botUnhealthy.schema>;
    job_stale: z.output<typeof jobStale.schema>;
    approval_execution_issue: z.output<typeof approvalExecutionIssue.schema>;
    llm_anomaly: z.output<typeof llmAnomaly.schema>;
    brain_degraded: z.output<typeof brainDegraded.schema>;
    channel_down: z.output<typeof channelDown.schema>;
    connector_degraded: z.output<typeof connectorDegraded.schema>;
    credential_expiring: z.output<typeof credentialExpiring.schema>;
    backup_missing: z.output<typeof backupMissing.schema>;
    host_unhealthy: z.output<typeof hostUnhealthy.schema>;
    security_event: z.output<typeof securityEvent.schema>;
    llm_cost_mismatch: z.output<typeof llmCostMismatch.schema>;
  }
}
