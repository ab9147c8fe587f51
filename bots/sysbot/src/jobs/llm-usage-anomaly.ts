import { defineJob, envInteger, envNumber, envSettings, loadLlmConfig, reportFindings, settingsFrom } from '@jbot/core';
import type { BotContext, JobRunInfo } from '@jbot/core';

/** llm-usage-anomaly's thresholds (catalogue defaults: 3 × the 7-day busiest hour and ≥ $0.10; 80% of LLM_MAX_STEPS). */
export const llmAnomalyThresholds = envSettings({
  LLM_ANOMALY_FACTOR: envNumber(3, 1),
  LLM_ANOMALY_MIN_USD: envNumber(0.1, 0),
  LLM_ANOMALY_STEP_SHARE: envNumber(0.8, 0.05),
  LLM_ANOMALY_HISTORY_DAYS: envInteger(7, 1, 90),
});

/** The job's settings: its thresholds and the LLM layer's own step cap. */
export const llmUsageAnomalySettings = settingsFrom((env) => ({ ...llmAnomalyThresholds.load(env), maxSteps: loadLlmConfig(env).maxSteps }));

/** The parsed settings. */
export type LlmUsageAnomalyConfig = ReturnType<typeof llmUsageAnomalySettings.load>;

/** One job's model use in the hour, as the brain sums it. */
export interface JobHourUsage {
  [column: string]: unknown;
  bot: string;
  job: string;
  tokens_hour: number;
  cost_usd: number;
  calls: number;
  baseline_tokens: number;
  busiest_run: string | null;
  busiest_run_calls: number;
}

/** One runaway: a job far above its busiest hour, or a run that keeps calling the model. */
export interface LlmAnomaly {
  kind: 'tokens' | 'steps';
  bot: string;
  job: string;
  tokensHour: number;
  baseline: number;
  costUsd: number;
  calls: number;
  runId: string | null;
  runCalls: number;
}

const HOUR_MS = 3600_000;
const DAY_MS = 86_400_000;

/**
 * The rules, pure: last hour's tokens above factor × the job's busiest hour of the history and
 * at least the minimum cost (a cheap job doubling is not news); one run with more model calls
 * than the share of LLM_MAX_STEPS (core records calls, not loop steps: a runaway loop is many calls).
 */
export function findLlmAnomalies(rows: readonly JobHourUsage[], config: LlmUsageAnomalyConfig): LlmAnomaly[] {
  const anomalies: LlmAnomaly[] = [];
  for (const row of rows) {
    const base = {
      bot: row.bot,
      job: row.job,
      tokensHour: Number(row.tokens_hour),
      baseline: Number(row.baseline_tokens),
      costUsd: Number(Number(row.cost_usd).toFixed(6)),
      calls: row.calls,
      runId: row.busiest_run,
      runCalls: row.busiest_run_calls,
    };
    if (base.tokensHour > config.LLM_ANOMALY_FACTOR * base.baseline && base.costUsd >= config.LLM_ANOMALY_MIN_USD) anomalies.push({ kind: 'tokens', ...base });
    if (base.runCalls > config.LLM_ANOMALY_STEP_SHARE * config.maxSteps) anomalies.push({ kind: 'steps', ...base });
  }
  // A stable order (the rows come by cost), so the same set has the same fingerprint.
  return anomalies.sort((left, right) => `${left.kind} ${left.bot}/${left.job}`.localeCompare(`${right.kind} ${right.bot}/${right.job}`));
}

/** One #sys-bot line for an anomaly. */
export function llmAnomalyLine(anomaly: LlmAnomaly): string {
  const who = `${anomaly.bot}/${anomaly.job}`;
  if (anomaly.kind === 'steps')
    return `${who}: run ${anomaly.runId ?? '?'} made ${anomaly.runCalls} model calls in the hour (step cap is the limit); $${anomaly.costUsd.toFixed(4)} this hour`;
  const against =
    anomaly.baseline === 0 ? 'no use in its history' : `${(anomaly.tokensHour / anomaly.baseline).toFixed(1)}× its busiest hour (${anomaly.baseline} tokens)`;
  return `${who}: ${anomaly.tokensHour} tokens in ${anomaly.calls} calls last hour, ${against}; $${anomaly.costUsd.toFixed(4)}`;
}

/** Run the check once over the hour before the tick: signal each anomaly (once a day), post on change. */
export async function runLlmUsageAnomaly(context: BotContext & JobRunInfo, config: LlmUsageAnomalyConfig) {
  const to = context.scheduledFor;
  const from = new Date(to.getTime() - HOUR_MS);
  const rows = await context.db.rpc<JobHourUsage>('llm_usage_by_job_hour', {
    p_from: from.toISOString(),
    p_to: to.toISOString(),
    p_since: new Date(from.getTime() - config.LLM_ANOMALY_HISTORY_DAYS * DAY_MS).toISOString(),
  });
  const anomalies = findLlmAnomalies(rows, config);
  const day = to.toISOString().slice(0, 10);
  for (const anomaly of anomalies) {
    await context.signals.emit(
      'llm_anomaly',
      {
        bot: anomaly.bot,
        job: anomaly.job,
        tokens_hour: anomaly.tokensHour,
        baseline: anomaly.baseline,
        cost_usd: anomaly.costUsd,
        kind: anomaly.kind,
        calls: anomaly.calls,
        run_id: anomaly.runId,
        run_calls: anomaly.runCalls,
        hour_start: from.toISOString(),
      },
      { severity: 'alert', dedupeKey: `llm_anomaly:${anomaly.kind}:${anomaly.bot}/${anomaly.job}:${day}`, dedupeWindowMs: DAY_MS },
    );
  }
  const outcome = await reportFindings(context, {
    findings: anomalies.map((anomaly) => [anomaly.kind, anomaly.bot, anomaly.job, day]),
    noun: 'LLM runaway',
    message: () => ({
      kind: 'report',
      title: `LLM use: ${anomalies.length} runaway${anomalies.length === 1 ? '' : 's'} in the hour to ${to.toISOString().slice(11, 16)} UTC`,
      text: anomalies.map(llmAnomalyLine).join('\n'),
      severity: 'alert',
    }),
    nothingLine: `${rows.length} job${rows.length === 1 ? '' : 's'} used the model in the last hour, all within their history.`,
  });
  return {
    ...outcome,
    detail: { ...outcome.detail, jobs: rows.length, anomalies: anomalies.map((anomaly) => `${anomaly.kind} ${anomaly.bot}/${anomaly.job}`) },
  };
}

/** sysbot's llm-usage-anomaly: hourly at :05, catches runaway model use long before the daily cap. */
export const llmUsageAnomaly = defineJob({
  id: 'llm-usage-anomaly',
  schedule: '5 * * * *',
  description: "A job's last-hour tokens far above its 7-day busiest hour, or a run with runaway model calls → llm_anomaly",
  timeoutMs: 60_000,
  // Hourly over the hour before its tick: a missed tick's hour is covered by the cost watchdog's caps.
  overlap: 'skip',
  missed: 'skip',
  settings: llmUsageAnomalySettings,
  run: (context) => runLlmUsageAnomaly(context, context.config),
});
