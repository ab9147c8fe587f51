import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { KlaviyoFlowReport } from '@jbot/connectors';

const DAY_MS = 86_400_000;
// Two 30-day periods: the last one is judged, the one before is what it is compared with.
const WINDOW_DAYS = 60;

/** The job's settings, with the catalogue's values (Klaviyo's 2024 benchmark report) as defaults. */
export const flowHealthSettings = envSettings({
  /** A live flow with no recipients for this long is stalled… */
  KLAVIYO_FLOW_STALL_HOURS: envInteger(48, 24, 24 * 14),
  /** …if it normally sends at least this many a day (30-day mean). */
  KLAVIYO_FLOW_STALL_MIN_DAILY: envInteger(20, 1, 1_000_000),
  KLAVIYO_RPR_BENCHMARK_WELCOME: envNumber(2.65, 0),
  KLAVIYO_RPR_BENCHMARK_ABANDONED_CART: envNumber(3.65, 0),
  KLAVIYO_RPR_BENCHMARK_BROWSE: envNumber(1.07, 0),
  KLAVIYO_RPR_BENCHMARK_POST_PURCHASE: envNumber(0.41, 0),
  /** Revenue per recipient below this share of the benchmark is underperforming (catalogue: 50%). */
  KLAVIYO_RPR_BENCHMARK_SHARE_PCT: envInteger(50, 1, 100),
  /** …or this far below the previous 30 days (catalogue: −30%). */
  KLAVIYO_RPR_DROP_PCT: envInteger(30, 1, 100),
});

type FlowHealthSettings = ReturnType<typeof flowHealthSettings.load>;

/** Which benchmark a flow is held to, from its name or trigger; null for flows Klaviyo publishes no benchmark for. */
export function flowBenchmarkKind(flow: Pick<KlaviyoFlowReport, 'name' | 'trigger'>): 'welcome' | 'abandoned_cart' | 'browse' | 'post_purchase' | null {
  const text = `${flow.name} ${flow.trigger ?? ''}`.toLowerCase();
  if (/welcome/.test(text)) return 'welcome';
  if (/abandon(ed)?\s*(cart|checkout)|started checkout|added to cart/.test(text)) return 'abandoned_cart';
  if (/browse|viewed product/.test(text)) return 'browse';
  if (/post[-\s]?purchase/.test(text)) return 'post_purchase';
  return null;
}

/** One flow that needs a look. */
export interface FlowFinding {
  kind: 'flow_stalled' | 'flow_underperforming';
  flow_id: string;
  flow: string;
  metric: string;
  value: number;
  benchmark: number | null;
  detail: string;
}

const money = (value: number) => `$${value.toFixed(2)}`;
const sumOf = (days: KlaviyoFlowReport['days'], key: 'recipients' | 'revenue') => days.reduce((total, day) => total + day[key], 0);

/**
 * The catalogue's rules over every live flow, deterministically: no recipients for the stall
 * window while its 30-day daily mean is at least the minimum → stalled (alert); revenue per
 * recipient below the benchmark share, or down by the drop percentage against the previous 30
 * days → underperforming (warning). A stalled flow is reported as stalled only.
 */
export function judgeFlows(reports: readonly KlaviyoFlowReport[], settings: FlowHealthSettings): FlowFinding[] {
  const benchmarks = {
    welcome: settings.KLAVIYO_RPR_BENCHMARK_WELCOME,
    abandoned_cart: settings.KLAVIYO_RPR_BENCHMARK_ABANDONED_CART,
    browse: settings.KLAVIYO_RPR_BENCHMARK_BROWSE,
    post_purchase: settings.KLAVIYO_RPR_BENCHMARK_POST_PURCHASE,
  };
  const stallDays = Math.ceil(settings.KLAVIYO_FLOW_STALL_HOURS / 24);
  const findings: FlowFinding[] = [];
  for (const flow of reports) {
    if (flow.status !== 'live') continue;
    const last30 = flow.days.slice(-30);
    const prior30 = flow.days.slice(-60, -30);
    const dailyMean = sumOf(last30, 'recipients') / Math.max(1, last30.length);
    const recent = flow.days.slice(-stallDays);
    if (recent.length === stallDays && recent.every((day) => day.recipients === 0) && dailyMean >= settings.KLAVIYO_FLOW_STALL_MIN_DAILY) {
      let zeroDays = 0;
      for (const day of [...flow.days].reverse()) {
        if (day.recipients !== 0) break;
        zeroDays += 1;
      }
      findings.push({
        kind: 'flow_stalled',
        flow_id: flow.id,
        flow: flow.name,
        metric: `recipients_${settings.KLAVIYO_FLOW_STALL_HOURS}h`,
        value: 0,
        benchmark: Math.round(dailyMean),
        detail: `0 recipients for ${zeroDays} days (since ${flow.days[flow.days.length - zeroDays]?.day ?? '?'}); it normally sends ${Math.round(dailyMean)} a day — check its trigger (${flow.trigger ?? 'unknown'}) and the integration feeding it`,
      });
      continue;
    }
    const recipients = sumOf(last30, 'recipients');
    if (recipients === 0) continue;
    const rpr = sumOf(last30, 'revenue') / recipients;
    const kind = flowBenchmarkKind(flow);
    const benchmark = kind === null ? null : benchmarks[kind];
    const priorRecipients = sumOf(prior30, 'recipients');
    const priorRpr = priorRecipients === 0 ? null : sumOf(prior30, 'revenue') / priorRecipients;
    const belowBenchmark = benchmark !== null && rpr < (benchmark * settings.KLAVIYO_RPR_BENCHMARK_SHARE_PCT) / 100;
    const dropped = priorRpr !== null && rpr < priorRpr * (1 - settings.KLAVIYO_RPR_DROP_PCT / 100);
    if (!belowBenchmark && !dropped) continue;
    findings.push({
      kind: 'flow_underperforming',
      flow_id: flow.id,
      flow: flow.name,
      metric: 'revenue_per_recipient_30d',
      value: Math.round(rpr * 100) / 100,
      benchmark: benchmark ?? (priorRpr === null ? null : Math.round(priorRpr * 100) / 100),
      detail: [
        belowBenchmark && benchmark !== null
          ? `RPR ${money(rpr)} is under ${settings.KLAVIYO_RPR_BENCHMARK_SHARE_PCT}% of the ${kind?.replace('_', ' ')} benchmark ${money(benchmark)}`
          : null,
        dropped && priorRpr !== null ? `RPR ${money(rpr)} is down ${Math.round((1 - rpr / priorRpr) * 100)}% from ${money(priorRpr)} the 30 days before` : null,
      ]
        .filter((part) => part !== null)
        .join('; '),
    });
  }
  return findings.sort((left, right) => Number(right.kind === 'flow_stalled') - Number(left.kind === 'flow_stalled') || left.flow.localeCompare(right.flow));
}

/** The #mktg-bot post: stalled flows first, each with its figures and benchmark. */
export function flowHealthMessage(findings: readonly FlowFinding[]): string {
  return findings
    .map((finding) => `• ${finding.kind === 'flow_stalled' ? '🛑 stalled' : '📉 underperforming'} **${finding.flow}**: ${finding.detail}`)
    .join('\n');
}

/** Run the check once: one reporting read for every flow, the post on change, one `klaviyo_issue` per finding per day. */
export async function runFlowHealth(
  context: BotContext & JobRunInfo,
  settings = flowHealthSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; findings: FlowFinding[]; signals: number }> {
  const reports = await context.connectors.klaviyo.flowReports({ end: now, days: WINDOW_DAYS });
  const findings = judgeFlows(reports, settings);
  const outcome = await reportFindings(context, {
    findings,
    noun: 'flow issue',
    message: (found) => ({
      title: `Klaviyo flows: ${found.filter((finding) => finding.kind === 'flow_stalled').length} stalled, ${found.filter((finding) => finding.kind === 'flow_underperforming').length} underperforming`,
      text: flowHealthMessage(found),
      kind: 'note',
    }),
    nothingLine: `Every live flow sent in the last ${settings.KLAVIYO_FLOW_STALL_HOURS} h and earns at least ${settings.KLAVIYO_RPR_BENCHMARK_SHARE_PCT}% of its benchmark revenue per recipient.`,
  });
  const day = now.toISOString().slice(0, 10);
  let signals = 0;
  for (const finding of findings) {
    const emitted = await context.signals.emit(
      'klaviyo_issue',
      {
        kind: finding.kind,
        object_id: finding.flow_id,
        name: finding.flow,
        metric: finding.metric,
        value: finding.value,
        benchmark: finding.benchmark,
        detail: finding.detail,
      },
      { severity: finding.kind === 'flow_stalled' ? 'alert' : 'warning', dedupeKey: `${finding.kind}:${finding.flow_id}:${day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  context.log.info({ flows: reports.length, findings: findings.length, signals }, `klaviyo flow health: ${findings.length} finding(s)`);
  return { outcome, findings, signals };
}

/** mktgbot's klaviyo-flow-health: daily 08:00 (fleet time zone). */
export const klaviyoFlowHealth = defineJob({
  id: 'klaviyo-flow-health',
  schedule: '0 8 * * *',
  description: 'Revenue flows still firing and performing against Klaviyo benchmarks → klaviyo_issue flow_stalled (alert) / flow_underperforming (warning)',
  timeoutMs: 180_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: flowHealthSettings,
  async run(context) {
    const { outcome, signals } = await runFlowHealth(context, context.config);
    return jobOutcome(`${outcome.outcome}${signals === 0 ? '' : `; ${signals} klaviyo_issue raised`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals },
    });
  },
});
