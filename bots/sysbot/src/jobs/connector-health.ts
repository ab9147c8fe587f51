import { defineJob, envInteger, envNumber, envSettings, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, Severity, SettingsOf } from '@jbot/core';

/** connector-health's thresholds (catalogue defaults). */
export const connectorHealthSettings = envSettings({
  CONNECTOR_HEALTH_WINDOW_MINUTES: envInteger(15, 1, 1440),
  CONNECTOR_HEALTH_ERROR_RATE: envNumber(0.2, 0.01),
  CONNECTOR_HEALTH_MIN_CALLS: envInteger(10, 1, 100_000),
  CONNECTOR_HEALTH_HEADROOM_PCT: envNumber(10, 0),
  CONNECTOR_HEALTH_HEADROOM_WINDOWS: envInteger(3, 1, 96),
  CONNECTOR_HEALTH_LATENCY_FACTOR: envNumber(3, 1),
  CONNECTOR_HEALTH_BASELINE_DAYS: envInteger(7, 1, 90),
  // A baseline of fewer successful calls than this says nothing about "usual" latency.
  CONNECTOR_HEALTH_MIN_BASELINE_CALLS: envInteger(20, 1, 100_000),
});

/** The parsed settings. */
export type ConnectorHealthConfig = SettingsOf<typeof connectorHealthSettings>;

/** One connector's calls as connector_call_summary sums them. */
export interface ConnectorSummary {
  [column: string]: unknown;
  connector: string;
  source: string;
  calls: number;
  auth_failures: number;
  last_auth_status: number | null;
  failures: number;
  failure_rate: number;
  first_failure_at: string | null;
  low_headroom_windows: number;
  min_headroom_pct: number | null;
  p95_latency_ms: number | null;
  baseline_p95_latency_ms: number | null;
  baseline_calls: number;
}

/** One connector problem. */
export interface ConnectorFinding {
  connector: string;
  source: string;
  kind: 'auth' | 'errors' | 'rate_limit' | 'latency';
  severity: Severity;
  errorRate: number;
  since: string | null;
  calls: number;
  httpStatus: number | null;
  detail: string;
}

/** The rules, pure: any 401/403 → alert; ≥ 20% failures over ≥ 10 calls → alert; low headroom 3 windows → warning; slow → info. */
export function findConnectorProblems(summaries: readonly ConnectorSummary[], config: ConnectorHealthConfig): ConnectorFinding[] {
  const findings: ConnectorFinding[] = [];
  const window = `${config.CONNECTOR_HEALTH_WINDOW_MINUTES} min`;
  for (const summary of summaries) {
    const base = { connector: summary.connector, source: summary.source, calls: summary.calls, since: summary.first_failure_at };
    if (summary.auth_failures > 0)
      findings.push({
        ...base,
        kind: 'auth',
        severity: 'alert',
        errorRate: summary.calls === 0 ? 1 : summary.auth_failures / summary.calls,
        httpStatus: summary.last_auth_status,
        detail: `${summary.auth_failures} call${summary.auth_failures === 1 ? '' : 's'} refused (HTTP ${summary.last_auth_status ?? '401/403'}) in ${window}: the credential is wrong, revoked or lacks a scope`,
      });
    if (summary.calls >= config.CONNECTOR_HEALTH_MIN_CALLS && summary.failure_rate >= config.CONNECTOR_HEALTH_ERROR_RATE)
      findings.push({
        ...base,
        kind: 'errors',
        severity: 'alert',
        errorRate: summary.failure_rate,
        httpStatus: null,
        detail: `${summary.failures} of ${summary.calls} calls failed (5xx or timeout) in ${window}`,
      });
    if (summary.low_headroom_windows >= config.CONNECTOR_HEALTH_HEADROOM_WINDOWS)
      findings.push({
        ...base,
        kind: 'rate_limit',
        severity: 'warning',
        errorRate: summary.failure_rate,
        httpStatus: summary.min_headroom_pct === 0 ? 429 : null,
        detail: `under ${config.CONNECTOR_HEALTH_HEADROOM_PCT}% of the rate limit left in ${summary.low_headroom_windows} windows in a row (lowest ${Math.round(summary.min_headroom_pct ?? 0)}%${summary.min_headroom_pct === 0 ? ', 429s' : ''})`,
      });
    if (
      summary.p95_latency_ms !== null &&
      summary.baseline_p95_latency_ms !== null &&
      summary.baseline_calls >= config.CONNECTOR_HEALTH_MIN_BASELINE_CALLS &&
      summary.p95_latency_ms > config.CONNECTOR_HEALTH_LATENCY_FACTOR * summary.baseline_p95_latency_ms
    )
      findings.push({
        ...base,
        kind: 'latency',
        severity: 'info',
        errorRate: summary.failure_rate,
        httpStatus: null,
        detail: `p95 ${Math.round(summary.p95_latency_ms)} ms against ${Math.round(summary.baseline_p95_latency_ms)} ms over ${config.CONNECTOR_HEALTH_BASELINE_DAYS} days`,
      });
  }
  return findings;
}

/** The line for one finding on #sys-bot. */
export function connectorFindingLine(finding: ConnectorFinding): string {
  return `${finding.connector} (${finding.source}) ${finding.kind}: ${finding.detail}`;
}

/** Run the check once: signal each problem (once a day per connector and kind), post on change, prune old calls. */
export async function runConnectorHealth(context: BotContext & JobRunInfo, config: ConnectorHealthConfig) {
  // The calls are stamped by the wall clock; the tick may be late or on a simulated clock (bench day), so "now" is the real one.
  const now = new Date();
  const summaries = await context.db.rpc<ConnectorSummary>('connector_call_summary', {
    p_now: now.toISOString(),
    p_window_minutes: config.CONNECTOR_HEALTH_WINDOW_MINUTES,
    p_windows: config.CONNECTOR_HEALTH_HEADROOM_WINDOWS,
    p_headroom_pct: config.CONNECTOR_HEALTH_HEADROOM_PCT,
    p_baseline_days: config.CONNECTOR_HEALTH_BASELINE_DAYS,
  });
  const findings = findConnectorProblems(summaries, config);
  for (const finding of findings) {
    await context.signals.emit(
      'connector_degraded',
      {
        connector: finding.connector,
        kind: finding.kind,
        error_rate: Math.min(1, finding.errorRate),
        since: finding.since,
        source: finding.source,
        calls: finding.calls,
        http_status: finding.httpStatus,
        detail: finding.detail,
      },
      {
        severity: finding.severity,
        // No day in the key: a problem that persists past midnight (UTC or local) is one signal per 24 h.
        dedupeKey: `connector_degraded:${finding.connector}:${finding.source}:${finding.kind}`,
        dedupeWindowMs: 86_400_000,
      },
    );
  }
  // The log keeps the baseline and a day more; older calls say nothing to any rule.
  await context.db.rpc('prune_connector_calls', { p_before: new Date(now.getTime() - (config.CONNECTOR_HEALTH_BASELINE_DAYS + 1) * 86_400_000).toISOString() });
  const calls = summaries.reduce((sum, summary) => sum + summary.calls, 0);
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => [finding.connector, finding.source, finding.kind, finding.severity]),
    noun: 'connector problem',
    message: () => ({
      kind: 'report',
      title: `Connector health: ${findings.length} problem${findings.length === 1 ? '' : 's'}`,
      text: findings.map(connectorFindingLine).join('\n'),
      severity: findings.some((finding) => finding.severity === 'alert')
        ? 'alert'
        : findings.some((finding) => finding.severity === 'warning')
          ? 'warning'
          : 'info',
    }),
    nothingLine: `${summaries.length} connector${summaries.length === 1 ? '' : 's'}, ${calls} calls in the last ${config.CONNECTOR_HEALTH_WINDOW_MINUTES} min: no auth failures, errors under ${Math.round(config.CONNECTOR_HEALTH_ERROR_RATE * 100)}%, rate limits with headroom.`,
  });
  return { ...outcome, detail: { ...outcome.detail, problems: findings.map((finding) => `${finding.connector} ${finding.kind} ${finding.severity}`), calls } };
}

/** sysbot's connector-health: every 15 minutes, every external API's errors, auth failures, rate limits and latency. */
export const connectorHealth = defineJob({
  id: 'connector-health',
  schedule: '*/15 * * * *',
  description: 'Connector errors, auth failures, rate-limit exhaustion and slow responses from connector_calls → connector_degraded',
  timeoutMs: 60_000,
  // Quarter-hourly: a missed tick is covered by the next one.
  overlap: 'skip',
  missed: 'skip',
  settings: connectorHealthSettings,
  run: (context) => runConnectorHealth(context, context.config),
});
