import { html, raw } from 'hono/html';
import { botBudgetUsd, LLM_KILL_SWITCH_KEY } from '@jbot/core';
import { dollars, jsonForScript } from '../html-format.js';
import type { Panel, PanelContext } from './panel.js';

interface CostRow {
  [column: string]: unknown;
  grp: string;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  cost_usd: number;
}

const PERIODS = {
  '24h': { ms: 86_400_000, bucket: 'hour' },
  '7d': { ms: 7 * 86_400_000, bucket: 'hour' },
  '30d': { ms: 30 * 86_400_000, bucket: 'day' },
} as const;
const GROUPINGS = ['bot', 'job', 'model'] as const;

/** The chart's data as uPlot takes it: x (epoch seconds per bucket) and one y array per group, 0 where it spent nothing. */
export interface CostSeries {
  labels: string[];
  data: number[][];
}

function choices(context: PanelContext): { period: keyof typeof PERIODS; by: (typeof GROUPINGS)[number] } {
  const period = context.query.get('since') ?? '';
  const by = context.query.get('by') ?? '';
  return {
    period: period in PERIODS ? (period as keyof typeof PERIODS) : '24h',
    by: (GROUPINGS as readonly string[]).includes(by) ? (by as (typeof GROUPINGS)[number]) : 'bot',
  };
}

/** Build the uPlot series from llm_cost_series rows (one row per bucket and group). */
export function costSeries(rows: readonly { bucket: string; grp: string; cost_usd: number }[], groups: readonly string[]): CostSeries {
  const buckets = [...new Set(rows.map((row) => row.bucket))].sort();
  const index = new Map(buckets.map((bucket, position) => [bucket, position]));
  const data: number[][] = [buckets.map((bucket) => Date.parse(bucket) / 1000)];
  for (const group of groups) {
    const values = buckets.map(() => 0);
    for (const row of rows) if (row.grp === group) values[index.get(row.bucket) ?? 0] = row.cost_usd;
    data.push(values);
  }
  return { labels: [...groups], data };
}

/** Costs: spend per bot, job or model (equal to `fleet costs`), a chart over time, today's spend against the caps, and the kill switch. */
export const costsPanel: Panel = {
  id: 'costs',
  title: 'Costs',
  topics: ['costs'],
  filters(context) {
    const { period, by } = choices(context);
    return html`<form id="costs-filters" class="filters" hx-get="/panels/costs" hx-target="#costs-body" hx-trigger="change">
      <label
        >since
        <select name="since" data-filter="since">
          ${Object.keys(PERIODS).map((value) => html`<option value="${value}" ${value === period ? 'selected' : ''}>${value}</option>`)}
        </select></label
      >
      <label
        >by
        <select name="by" data-filter="by">
          ${GROUPINGS.map((value) => html`<option value="${value}" ${value === by ? 'selected' : ''}>${value}</option>`)}
        </select></label
      >
    </form>`;
  },
  async body(context) {
    const { period, by } = choices(context);
    const since = new Date(Date.now() - PERIODS[period].ms).toISOString();
    const [rows, series, today, setting] = await Promise.all([
      context.db.rpc<CostRow>('list_llm_costs', { p_since: since, p_by: by }),
      context.db.rpc<{ bucket: string; grp: string; cost_usd: number }>('llm_cost_series', { p_since: since, p_bucket: PERIODS[period].bucket, p_by: by }),
      context.db.rpc<{ bot: string; cost_usd: number }>('llm_spend_today'),
      context.db.rpc<{ value: { enabled?: unknown } | null }>('get_fleet_setting', { p_key: LLM_KILL_SWITCH_KEY }),
    ]);
    const total = rows.reduce((sum, row) => sum + row.cost_usd, 0);
    const calls = rows.reduce((sum, row) => sum + row.calls, 0);
    const todayTotal = today.reduce((sum, row) => sum + row.cost_usd, 0);
    const switchedOff = context.llm.killSwitch ? 'off (LLM_KILL_SWITCH=true)' : setting[0]?.value?.enabled === true ? 'off (`fleet llm on` resumes)' : 'on';
    const chart = costSeries(
      series,
      rows.map((row) => row.grp),
    );
    return html`<p class="kill-switch" data-state="${switchedOff === 'on' ? 'on' : 'off'}">
        Model calls: <strong>${switchedOff}</strong> · today ${dollars(todayTotal)} of ${dollars(context.llm.fleetDailyUsd)} fleet cap
      </p>
      <table class="costs" data-by="${by}" data-since="${since}">
        <thead>
          <tr>
            <th>${by}</th>
            <th>calls</th>
            <th>input</th>
            <th>output</th>
            <th>cache write</th>
            <th>cache read</th>
            <th>cost</th>
            ${by === 'bot' ? html`<th>today / cap</th>` : ''}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) =>
              html`<tr class="cost" data-group="${row.grp}" data-cost="${row.cost_usd}" data-calls="${row.calls}">
                <td>${row.grp}</td>
                <td>${row.calls}</td>
                <td>${row.input_tokens}</td>
                <td>${row.output_tokens}</td>
                <td>${row.cache_write_tokens}</td>
                <td>${row.cache_read_tokens}</td>
                <td>${dollars(row.cost_usd)}</td>
                ${
                  by === 'bot'
                    ? html`<td>${dollars(today.find((spend) => spend.bot === row.grp)?.cost_usd ?? 0)} / ${dollars(botBudgetUsd(context.llm, row.grp))}</td>`
                    : ''
                }
              </tr>`,
          )}
        </tbody>
        <tfoot>
          <tr>
            <td>total</td>
            <td>${calls}</td>
            <td colspan="4"></td>
            <td class="total" data-cost="${total}">${dollars(total)}</td>
          </tr>
        </tfoot>
      </table>
      ${rows.length === 0 ? html`<p class="empty">No model calls in this period (the offline drafter is free).</p>` : ''}
      <div class="cost-chart" aria-label="spend over time"></div>
      <script type="application/json" class="cost-series">
        ${raw(jsonForScript(chart))}
      </script>`;
  },
};
