import { defineJob, envNumber, envSettings, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { LlmCostBucket } from '@jbot/connectors';

/** llm-invoice-reconcile's tolerances (catalogue defaults: 5% or $5). */
export const llmInvoiceReconcileSettings = envSettings({
  LLM_RECONCILE_MAX_SHARE: envNumber(0.05, 0),
  LLM_RECONCILE_MAX_USD: envNumber(5, 0),
});

/** The parsed settings. */
export type LlmInvoiceReconcileConfig = SettingsOf<typeof llmInvoiceReconcileSettings>;

/** One model's month, ours against Anthropic's. */
export interface ModelCost {
  model: string;
  ours_usd: number;
  anthropic_usd: number;
  difference_usd: number;
}

/** The month's reconciliation. */
export interface Reconciliation {
  month: string;
  oursUsd: number;
  anthropicUsd: number;
  byModel: ModelCost[];
  mismatch: boolean;
}

const cents = (value: number) => Math.round(value * 100) / 100;

/** The calendar month (UTC) before `now`: [from, to) and its YYYY-MM name. */
export function previousMonth(now: Date): { from: Date; to: Date; month: string } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 1, 1));
  return { from, to, month: from.toISOString().slice(0, 7) };
}

/** The rule, pure: abs(ours − Anthropic) > 5% (of the larger) or > $5 → mismatch, with the per-model breakdown. */
export function reconcile(
  month: string,
  ours: ReadonlyArray<{ model: string; cost_usd: number }>,
  bill: readonly LlmCostBucket[],
  config: LlmInvoiceReconcileConfig,
): Reconciliation {
  const models = new Map<string, { ours: number; anthropic: number }>();
  for (const row of ours)
    models.set(row.model, { ours: (models.get(row.model)?.ours ?? 0) + Number(row.cost_usd), anthropic: models.get(row.model)?.anthropic ?? 0 });
  for (const bucket of bill)
    for (const line of bucket.lines) {
      // Anthropic bills some lines to no model (web search, code execution): they stay visible as their own row.
      const model = line.model ?? line.description ?? 'other';
      models.set(model, { ours: models.get(model)?.ours ?? 0, anthropic: (models.get(model)?.anthropic ?? 0) + line.amountUsd });
    }
  const byModel = [...models.entries()]
    .map(([model, costs]) => ({
      model,
      ours_usd: cents(costs.ours),
      anthropic_usd: cents(costs.anthropic),
      difference_usd: cents(costs.ours - costs.anthropic),
    }))
    .sort((left, right) => Math.abs(right.difference_usd) - Math.abs(left.difference_usd));
  const oursUsd = cents([...models.values()].reduce((sum, costs) => sum + costs.ours, 0));
  const anthropicUsd = cents([...models.values()].reduce((sum, costs) => sum + costs.anthropic, 0));
  const difference = Math.abs(oursUsd - anthropicUsd);
  const mismatch =
    difference > config.LLM_RECONCILE_MAX_USD || (difference >= 0.01 && difference > config.LLM_RECONCILE_MAX_SHARE * Math.max(oursUsd, anthropicUsd));
  return { month, oursUsd, anthropicUsd, byModel, mismatch };
}

/** Run the reconciliation for last month: llm_cost_mismatch (once per month) and a post when they disagree. */
export async function runLlmInvoiceReconcile(context: BotContext & JobRunInfo, config: LlmInvoiceReconcileConfig) {
  const { from, to, month } = previousMonth(context.scheduledFor);
  const ours = await context.db.rpc<{ model: string; cost_usd: number }>('llm_usage_by_model', { p_from: from.toISOString(), p_to: to.toISOString() });
  const bill = await context.connectors.llmBilling.costReport({ from, to });
  const result = reconcile(month, ours, bill, config);
  if (result.mismatch)
    await context.signals.emit(
      'llm_cost_mismatch',
      { month, ours_usd: result.oursUsd, anthropic_usd: result.anthropicUsd, by_model: result.byModel },
      { severity: 'warning', dedupeKey: `llm_cost_mismatch:${month}`, dedupeWindowMs: 31 * 86_400_000 },
    );
  const lines = result.byModel
    .filter((row) => Math.abs(row.difference_usd) >= 0.01)
    .map(
      (row) =>
        `${row.model}: ours $${row.ours_usd.toFixed(2)}, Anthropic $${row.anthropic_usd.toFixed(2)} (${row.difference_usd > 0 ? '+' : ''}${row.difference_usd.toFixed(2)})`,
    );
  const outcome = await reportFindings(context, {
    findings: result.mismatch ? [[month, result.oursUsd, result.anthropicUsd]] : [],
    noun: 'cost mismatch',
    message: () => ({
      kind: 'report',
      title: `LLM bill ${month}: ours $${result.oursUsd.toFixed(2)}, Anthropic $${result.anthropicUsd.toFixed(2)}`,
      text: `${lines.join('\n')}\nA model whose price differs is usually a stale LLM_PRICES entry: set it to Anthropic's price so the daily caps stay true.`,
      severity: 'warning',
    }),
    nothingLine: `${month}: ours $${result.oursUsd.toFixed(2)}, Anthropic $${result.anthropicUsd.toFixed(2)} (${context.connectors.llmBilling.source}) — within ${Math.round(config.LLM_RECONCILE_MAX_SHARE * 100)}% and $${config.LLM_RECONCILE_MAX_USD}.`,
  });
  return { ...outcome, detail: { ...outcome.detail, month, oursUsd: result.oursUsd, anthropicUsd: result.anthropicUsd, mismatch: result.mismatch } };
}

/** sysbot's llm-invoice-reconcile: on the 1st at 12:00 UTC, last month's recorded LLM cost against Anthropic's cost report. */
export const llmInvoiceReconcile = defineJob({
  id: 'llm-invoice-reconcile',
  schedule: '0 12 1 * *',
  // The LLM budget day is UTC, and so is Anthropic's bill.
  tz: 'UTC',
  description: "Last month's recorded LLM cost vs Anthropic's cost report (Admin API) → llm_cost_mismatch",
  timeoutMs: 120_000,
  overlap: 'skip',
  missed: 'once',
  settings: llmInvoiceReconcileSettings,
  run: (context) => runLlmInvoiceReconcile(context, context.config),
});
