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

/** Every type sysbot introduces. */
export const signalTypes = [botUnhealthy, jobStale, approvalExecutionIssue, llmAnomaly, brainDegraded, channelDown];

declare module '@jbot/core' {
  interface SignalPayloads {
    bot_unhealthy: z.output<typeof botUnhealthy.schema>;
    job_stale: z.output<typeof jobStale.schema>;
    approval_execution_issue: z.output<typeof approvalExecutionIssue.schema>;
    llm_anomaly: z.output<typeof llmAnomaly.schema>;
    brain_degraded: z.output<typeof brainDegraded.schema>;
    channel_down: z.output<typeof channelDown.schema>;
  }
}
