import { z } from 'zod';
import {
  defineJob,
  envList,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  labelOffline,
  type BotContext,
  type JobRunInfo,
  type Settings,
  type SettingsOf,
} from '@jbot/core';
import { SALES_CHANNELS, type MonthlyKpi } from '@jbot/connectors';
import type { JbotConfig } from '../jbot-config.js';
import { structuredOrTemplate } from '../structured-or-template.js';
import { addMonths, localDay, monthName } from '../calendar-days.js';
import { BRAND_NAMES, money, percent, signedPercent } from '../figures.js';
import { shareKpiPack, type ShareKpiPackDraft } from '../actions/share-kpi-pack.js';

/** monthly-kpi-pack's settings: the variance that earns a commentary slot (catalogue ±10%) and the exec list. */
export const kpiPackSettings = envSettings({
  KPI_PACK_VARIANCE_PCT: envNumber(10, 0),
  // Empty: the mailbox's own exec list (the sample company's); set it for a real company.
  JBOT_EXEC_EMAILS: envList,
});

type KpiPackConfig = JbotConfig & SettingsOf<typeof kpiPackSettings>;

const CHANNEL_NAMES: Record<string, string> = { dtc: 'DTC', wholesale: 'Wholesale', amazon: 'Amazon' };

/** One metric of the pack with its comparisons (null where the comparison does not exist). */
export interface KpiRow {
  metric: string;
  unit: 'usd' | 'pct' | 'ratio' | 'weeks';
  actual: number;
  plan: number | null;
  priorMonth: number | null;
  priorYear: number | null;
  vsPlanPct: number | null;
  vsPriorMonthPct: number | null;
  vsPriorYearPct: number | null;
  /** Beyond ±KPI_PACK_VARIANCE_PCT on any comparison: gets a commentary line. */
  commentary: boolean;
}

/** The month's pack: the rows, deterministic; the commentary comes after. */
export interface KpiPack {
  month: string;
  rows: KpiRow[];
}

const change = (actual: number, base: number | null) => (base === null || base === 0 ? null : Math.round(((actual - base) / Math.abs(base)) * 1000) / 10);

/** Build the pack for `month` (first day): metrics vs plan, the prior month and the prior year. */
export async function computeKpiPack(context: Pick<BotContext, 'connectors'>, month: string, variancePct: number): Promise<KpiPack | null> {
  const priorMonth = addMonths(month, -1);
  const priorYear = addMonths(month, -12);
  const { reporting } = context.connectors;
  const [kpis, plan, ops] = await Promise.all([
    reporting.monthlyKpis({ fromMonth: priorYear, toMonth: month }),
    reporting.plan({ fromMonth: month, toMonth: month }),
    reporting.monthlyOps({ fromMonth: priorYear, toMonth: month }),
  ]);
  if (!kpis.some((row) => row.month === month)) return null;
  const of = (period: string, keep: (row: MonthlyKpi) => boolean = () => true) => kpis.filter((row) => row.month === period && keep(row));
  const revenue = (rows: readonly MonthlyKpi[]) => (rows.length === 0 ? null : Math.round(rows.reduce((total, row) => total + row.revenue, 0)));
  const margin = (rows: readonly MonthlyKpi[]) => {
    const sales = rows.reduce((total, row) => total + row.revenue, 0);
    return sales === 0 ? null : Math.round(((sales - rows.reduce((total, row) => total + row.cogs, 0)) / sales) * 1000) / 10;
  };
  const planOf = (keep: (row: { channel: string; brand: string }) => boolean) => {
    const rows = plan.filter(keep);
    return rows.length === 0 ? null : Math.round(rows.reduce((total, row) => total + row.revenue, 0));
  };
  const rows: KpiRow[] = [];
  const add = (metric: string, unit: KpiRow['unit'], actual: number | null, planned: number | null, previous: number | null, lastYear: number | null) => {
    if (actual === null) return;
    const vsPlanPct = change(actual, planned);
    const vsPriorMonthPct = change(actual, previous);
    const vsPriorYearPct = change(actual, lastYear);
    rows.push({
      metric,
      unit,
      actual,
      plan: planned,
      priorMonth: previous,
      priorYear: lastYear,
      vsPlanPct,
      vsPriorMonthPct,
      vsPriorYearPct,
      commentary: [vsPlanPct, vsPriorMonthPct, vsPriorYearPct].some((value) => value !== null && Math.abs(value) > variancePct),
    });
  };
  const all = () => true;
  add('Revenue', 'usd', revenue(of(month)), planOf(all), revenue(of(priorMonth)), revenue(of(priorYear)));
  for (const channel of SALES_CHANNELS) {
    const keep = (row: { channel: string }) => row.channel === channel;
    add(`Revenue · ${CHANNEL_NAMES[channel]}`, 'usd', revenue(of(month, keep)), planOf(keep), revenue(of(priorMonth, keep)), revenue(of(priorYear, keep)));
  }
  for (const brand of [...new Set(kpis.map((row) => row.brand))].sort()) {
    const keep = (row: { brand: string }) => row.brand === brand;
    add(`Revenue · ${BRAND_NAMES[brand] ?? brand}`, 'usd', revenue(of(month, keep)), planOf(keep), revenue(of(priorMonth, keep)), revenue(of(priorYear, keep)));
  }
  // Brand × channel lines carry the variance the totals average away (Driftwood on Amazon).
  for (const channel of SALES_CHANNELS) {
    for (const brand of [...new Set(kpis.map((row) => row.brand))].sort()) {
      const keep = (row: { channel: string; brand: string }) => row.channel === channel && row.brand === brand;
      const actual = revenue(of(month, keep));
      const planned = planOf(keep);
      if (actual === null || planned === null || Math.abs(change(actual, planned) ?? 0) <= variancePct) continue;
      add(
        `Revenue · ${BRAND_NAMES[brand] ?? brand} on ${CHANNEL_NAMES[channel]}`,
        'usd',
        actual,
        planned,
        revenue(of(priorMonth, keep)),
        revenue(of(priorYear, keep)),
      );
    }
  }
  add('Gross margin (proxy)', 'pct', margin(of(month)), null, margin(of(priorMonth)), margin(of(priorYear)));
  const opsOf = (period: string) => ops.find((row) => row.month === period) ?? null;
  const [now, before, yearAgo] = [opsOf(month), opsOf(priorMonth), opsOf(priorYear)];
  const mer = (period: string, row: typeof now) =>
    row === null || row.adSpend === 0 ? null : Math.round(((revenue(of(period)) ?? 0) / row.adSpend) * 100) / 100;
  add('MER (revenue ÷ ad spend)', 'ratio', mer(month, now), null, mer(priorMonth, before), mer(priorYear, yearAgo));
  const cac = (row: typeof now) => (row === null || row.newCustomers === 0 ? null : Math.round((row.adSpend / row.newCustomers) * 100) / 100);
  add('CAC', 'usd', cac(now), null, cac(before), cac(yearAgo));
  add('OTIF', 'pct', now?.otifPct ?? null, null, before?.otifPct ?? null, yearAgo?.otifPct ?? null);
  add('Inventory weeks of supply', 'weeks', now?.weeksOfSupply ?? null, null, before?.weeksOfSupply ?? null, yearAgo?.weeksOfSupply ?? null);
  add('Open pipeline', 'usd', now?.openPipeline ?? null, null, before?.openPipeline ?? null, yearAgo?.openPipeline ?? null);
  return { month, rows };
}

function figure(value: number | null, unit: KpiRow['unit']): string {
  if (value === null) return '—';
  if (unit === 'usd') return value < 100 ? `$${value.toFixed(2)}` : money(value);
  if (unit === 'pct') return percent(value);
  if (unit === 'weeks') return `${value} wk`;
  return `${value.toFixed(2)}×`;
}

const delta = (value: number | null) => (value === null ? '—' : signedPercent(value));

/** The pack as CSV (one row per metric), attached to the email and shown on #jbot. */
export function kpiPackCsv(pack: KpiPack): string {
  const cell = (value: string | number | null) =>
    value === null ? '' : /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);
  return [
    'metric,unit,actual,plan,prior_month,prior_year,vs_plan_pct,vs_prior_month_pct,vs_prior_year_pct',
    ...pack.rows.map((row) =>
      [row.metric, row.unit, row.actual, row.plan, row.priorMonth, row.priorYear, row.vsPlanPct, row.vsPriorMonthPct, row.vsPriorYearPct].map(cell).join(','),
    ),
  ].join('\n');
}

/** The commentary the model writes: one line per slot. */
const commentarySchema = z.object({ comments: z.array(z.object({ metric: z.string().min(1), comment: z.string().min(3).max(400) })) });

const SYSTEM = [
  'You are the COO’s analyst at a consumer-goods company writing the month-end KPI pack for the executive team.',
  'For each metric you are given, write one sentence of variance commentary: what moved, by how much against which comparison, and the likely driver or the question to ask.',
  'Use only the figures given; do not invent causes you cannot infer from them — say what to check instead. Plain, specific, no adjectives for their own sake.',
  'Return JSON only: {"comments": [{"metric": string, "comment": string}]} with one entry per metric, in the order given.',
].join(' ');

/** The template commentary used without a model (labelled by the caller). */
export function templateCommentary(rows: readonly KpiRow[]): z.infer<typeof commentarySchema> {
  return {
    comments: rows.map((row) => {
      const parts = [
        row.vsPlanPct === null ? null : `${signedPercent(row.vsPlanPct)} vs plan`,
        row.vsPriorMonthPct === null ? null : `${signedPercent(row.vsPriorMonthPct)} vs the prior month`,
        row.vsPriorYearPct === null ? null : `${signedPercent(row.vsPriorYearPct)} vs a year ago`,
      ].filter((part) => part !== null);
      return { metric: row.metric, comment: `${row.metric} at ${figure(row.actual, row.unit)}: ${parts.join(', ')}. Check the driver with the channel owner.` };
    }),
  };
}

/** The #jbot post and the email body: the table, then the commentary. */
export function kpiPackText(pack: KpiPack, comments: ReadonlyArray<{ metric: string; comment: string }>): string {
  const lines = pack.rows.map(
    (row) =>
      `${row.commentary ? '◆' : '•'} ${row.metric}: ${figure(row.actual, row.unit)}${row.plan === null ? '' : ` · plan ${figure(row.plan, row.unit)} (${delta(row.vsPlanPct)})`} · prior month ${delta(row.vsPriorMonthPct)} · prior year ${delta(row.vsPriorYearPct)}`,
  );
  return [
    ...lines,
    '',
    comments.length === 0 ? 'No variance beyond the threshold: no commentary needed.' : 'Variance commentary:',
    ...comments.map((entry) => `◆ ${entry.comment}`),
  ].join('\n');
}

/**
 * Run the pack for the month before `scheduledFor` (FLEET_TZ): the deterministic table, one
 * smart-tier call for the commentary slots (none when no variance passes the threshold), the
 * #jbot post with the CSV, a `bot_note` (kind kpi_pack) and the `share_kpi_pack` approval.
 */
export async function runKpiPack(context: Omit<BotContext, 'config'> & JobRunInfo, config: KpiPackConfig) {
  const month = addMonths(localDay(context.scheduledFor, config.routing.timeZone), -1);
  const pack = await computeKpiPack(context, month, config.KPI_PACK_VARIANCE_PCT);
  if (pack === null) return { month, pack: null, approvalId: null, offline: context.llm.offline, slots: 0 };
  const slots = pack.rows.filter((row) => row.commentary);
  let comments: Array<{ metric: string; comment: string }> = [];
  let offline = context.llm.offline;
  if (slots.length > 0) {
    const result = await structuredOrTemplate(context, {
      tier: 'smart',
      system: SYSTEM,
      prompt: `Month: ${monthName(month)}. Write the commentary for these ${slots.length} metrics.\n${slots
        .map(
          (row) =>
            `- ${row.metric}: actual ${figure(row.actual, row.unit)}; plan ${figure(row.plan, row.unit)} (${delta(row.vsPlanPct)}); prior month ${figure(row.priorMonth, row.unit)} (${delta(row.vsPriorMonthPct)}); prior year ${figure(row.priorYear, row.unit)} (${delta(row.vsPriorYearPct)})`,
        )
        .join('\n')}`,
      schema: commentarySchema,
      maxTokens: 1200,
      offline: () => templateCommentary(slots),
    });
    offline = result.offline;
    comments = result.value.comments.map((entry) => ({ metric: entry.metric, comment: labelOffline(entry.comment, result.offline) }));
  }
  const csv = kpiPackCsv(pack);
  const text = kpiPackText(pack, comments);
  const title = `KPI pack — ${monthName(month)}: revenue ${figure(pack.rows[0]?.actual ?? 0, 'usd')} (${delta(pack.rows[0]?.vsPlanPct ?? null)} vs plan), ${slots.length} variance${slots.length === 1 ? '' : 's'} beyond ±${config.KPI_PACK_VARIANCE_PCT}%`;
  await context.channel.post({ kind: 'note', title, text: `${text}\n\nCSV:\n\`\`\`csv\n${csv}\n\`\`\`` });
  await context.signals.emit(
    'bot_note',
    { text: title, detail: { kind: 'kpi_pack', month: month.slice(0, 7), variances: slots.map((row) => row.metric) } },
    { dedupeKey: `kpi_pack:${month.slice(0, 7)}`, dedupeWindowMs: 31 * 86_400_000 },
  );
  const recipients = config.JBOT_EXEC_EMAILS.length > 0 ? config.JBOT_EXEC_EMAILS : context.connectors.mail.defaultExecList;
  let approvalId: string | null = null;
  if (recipients.length > 0) {
    const draft: ShareKpiPackDraft = {
      month: month.slice(0, 7),
      to: [...recipients],
      subject: `KPI pack — ${monthName(month)}`,
      body: `${title}\n\n${text}`,
      csv,
    };
    const { approval } = await context.approvals.request({
      action: shareKpiPack,
      title: `Email the ${monthName(month)} KPI pack to ${recipients.length === 1 ? recipients[0] : `${recipients.length} executives`}`,
      draft,
      // One pack per month: a catch-up or a second host finds the approval already asked.
      requestKey: `kpi-pack:${month.slice(0, 7)}`,
      expiresIn: 3 * 86_400_000,
    });
    approvalId = approval.id;
  }
  return { month, pack, approvalId, offline, slots: slots.length };
}

/** jbot's monthly KPI pack: 08:00 on the 1st (FLEET_TZ), for the month just closed. */
export const monthlyKpiPack = defineJob<KpiPackConfig>({
  id: 'monthly-kpi-pack',
  schedule: '0 8 1 * *',
  description:
    'Month-end KPI pack (revenue by channel/brand, margin proxy, weeks of supply, OTIF, MER/CAC, pipeline) vs plan, prior month, prior year → #jbot + CSV, share_kpi_pack',
  timeoutMs: 300_000,
  // A monthly report: a missed 1st is caught up once, within the day.
  missed: 'once',
  graceMs: 12 * 3600_000,
  settings: kpiPackSettings as unknown as Settings<KpiPackConfig>,
  async run(context) {
    const result = await runKpiPack(context, context.config);
    if (result.pack === null) {
      await context.channel.post({
        kind: 'note',
        title: 'monthly-kpi-pack: nothing to report',
        text: `No closed-month KPIs for ${monthName(result.month)} yet.`,
      });
      return jobOutcome(`no KPIs for ${result.month.slice(0, 7)}`, { fingerprint: fingerprintOf([result.month, null]) });
    }
    const outcome = `${monthName(result.month)} pack posted, ${result.slots} variance${result.slots === 1 ? '' : 's'} commented${result.offline ? ' (offline drafter)' : ''}${
      result.approvalId === null ? '; no exec list (JBOT_EXEC_EMAILS)' : '; share_kpi_pack asked'
    }`;
    return jobOutcome(outcome, {
      fingerprint: fingerprintOf(result.pack.rows),
      detail: { month: result.month.slice(0, 7), slots: result.slots, approvalId: result.approvalId },
    });
  },
});
