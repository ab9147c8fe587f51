import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings, timeZone } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { FieldVitals } from '@jbot/connectors';
import { localDay, plural } from '../company-day.js';
import { siteSpeedRegression } from '../signals.js';

/** The job's settings: Core Web Vitals' "good" limits at p75 and the regression share (catalogue defaults). */
export const coreWebVitalsSettings = envSettings({
  CWV_LCP_GOOD_MS: envInteger(2500, 100, 60_000),
  CWV_INP_GOOD_MS: envInteger(200, 10, 10_000),
  CWV_CLS_GOOD: envNumber(0.1, 0),
  CWV_LCP_REGRESSION: envNumber(0.2, 0.01),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type CoreWebVitalsConfig = SettingsOf<typeof coreWebVitalsSettings>;

/** One metric of one URL over its limit or regressed. */
export interface VitalsFinding {
  url: string;
  template: string;
  metric: 'lcp' | 'inp' | 'cls';
  p75: number;
  threshold: number;
  kind: 'fail' | 'crossed' | 'regressed';
  median7d: number | null;
}

/** A URL's history, as record_site_vitals_checks answers it. */
export interface VitalsHistory {
  median7d: number | null;
  wasGood: boolean | null;
}

/**
 * The rules, pure: a metric over its good limit fails ("crossed" when the page was good on its
 * previous check); LCP at least the regression share over its 7-check median regressed.
 */
export function findVitalsProblems(vitals: readonly FieldVitals[], history: ReadonlyMap<string, VitalsHistory>, config: CoreWebVitalsConfig): VitalsFinding[] {
  const findings: VitalsFinding[] = [];
  for (const page of vitals) {
    const past = history.get(page.url) ?? { median7d: null, wasGood: null };
    const failKind = past.wasGood === true ? 'crossed' : 'fail';
    const checks: Array<[VitalsFinding['metric'], number | null, number]> = [
      ['lcp', page.lcpMs, config.CWV_LCP_GOOD_MS],
      ['inp', page.inpMs, config.CWV_INP_GOOD_MS],
      ['cls', page.cls, config.CWV_CLS_GOOD],
    ];
    for (const [metric, value, threshold] of checks) {
      if (value === null || value <= threshold) continue;
      findings.push({
        url: page.url,
        template: page.template,
        metric,
        p75: value,
        threshold,
        kind: failKind,
        median7d: metric === 'lcp' ? past.median7d : null,
      });
    }
    const lcpFailed = findings.some((finding) => finding.url === page.url && finding.metric === 'lcp');
    if (!lcpFailed && page.lcpMs !== null && past.median7d !== null && page.lcpMs >= past.median7d * (1 + config.CWV_LCP_REGRESSION))
      findings.push({
        url: page.url,
        template: page.template,
        metric: 'lcp',
        p75: page.lcpMs,
        threshold: Math.round(past.median7d * (1 + config.CWV_LCP_REGRESSION)),
        kind: 'regressed',
        median7d: past.median7d,
      });
  }
  return findings.sort((left, right) => left.url.localeCompare(right.url) || left.metric.localeCompare(right.metric));
}

const shown = (metric: VitalsFinding['metric'], value: number) => (metric === 'cls' ? value.toFixed(2) : `${(value / 1000).toFixed(2)} s`);

/**
 * Run core-web-vitals once: today's field p75 per key URL, recorded as today's check, against
 * the limits and each URL's own 7-check median; a site_speed_regression per finding, posted and
 * signalled only when the set changed.
 */
export async function runCoreWebVitals(context: BotContext & JobRunInfo, config: CoreWebVitalsConfig) {
  const vitals = await context.connectors.search.fieldVitals();
  const day = localDay(context.scheduledFor, config.FLEET_TZ);
  const rows = await context.db.rpc('record_site_vitals_checks', {
    p_day: day,
    p_checks: vitals.map((page) => ({ url: page.url, template: page.template, lcp_ms: page.lcpMs, inp_ms: page.inpMs, cls: page.cls })),
    p_lcp_good_ms: config.CWV_LCP_GOOD_MS,
    p_inp_good_ms: config.CWV_INP_GOOD_MS,
    p_cls_good: config.CWV_CLS_GOOD,
  });
  const history = new Map(
    rows.map((row) => [
      String(row['url']),
      {
        median7d: row['median_lcp_7d'] === null || row['median_lcp_7d'] === undefined ? null : Number(row['median_lcp_7d']),
        wasGood: row['was_good'] === null ? null : row['was_good'] === true,
      },
    ]),
  );
  const findings = findVitalsProblems(vitals, history, config);
  const last = await context.lastRun();
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => [finding.url, finding.metric, finding.kind]),
    noun: 'speed problem',
    message: () => ({
      kind: 'report',
      severity: 'warning',
      title: `Core Web Vitals: ${plural(new Set(findings.map((finding) => finding.url)).size, 'key page')} failing or slower`,
      text: findings
        .map(
          (finding) =>
            `• ${finding.url} (${finding.template}) ${finding.metric.toUpperCase()} p75 ${shown(finding.metric, finding.p75)} — ${finding.kind === 'regressed' ? `+${Math.round((finding.p75 / (finding.median7d ?? finding.p75) - 1) * 100)}% vs its 7-day median ${shown(finding.metric, finding.median7d ?? 0)}` : `over the ${shown(finding.metric, finding.threshold)} limit${finding.kind === 'crossed' ? ' (was good)' : ''}${finding.median7d === null ? '' : `, 7-day median ${shown(finding.metric, finding.median7d)}`}`}`,
        )
        .join('\n'),
    }),
    nothingLine: `All ${vitals.length} key pages pass Core Web Vitals on mobile (LCP ≤ ${config.CWV_LCP_GOOD_MS / 1000} s, INP ≤ ${config.CWV_INP_GOOD_MS} ms, CLS ≤ ${config.CWV_CLS_GOOD}) with no LCP regression.`,
  });
  // The catalogue's "on change only": a signal when the finding set changed since the last run, not every morning.
  if (last?.fingerprint !== outcome.fingerprint)
    for (const finding of findings)
      await context.signals.emit(
        siteSpeedRegression.type,
        {
          url: finding.url,
          template: finding.template,
          metric: finding.metric,
          p75: finding.p75,
          threshold: finding.threshold,
          median_7d: finding.median7d,
          kind: finding.kind,
        },
        { severity: 'warning', dedupeKey: `site_speed_regression:${finding.url}:${finding.metric}:${finding.kind}`, dedupeWindowMs: 86_400_000 },
      );
  return { outcome, findings };
}

/** contentbot's core-web-vitals: daily 05:00 (fleet time zone). */
export const coreWebVitals = defineJob({
  id: 'core-web-vitals',
  schedule: '0 5 * * *',
  description: 'Real-user mobile p75 LCP, INP, CLS of the key templates vs the good limits and their 7-day median → site_speed_regression (on change)',
  timeoutMs: 600_000,
  // A daily check: a missed morning catches up once.
  missed: 'once',
  settings: coreWebVitalsSettings,
  async run(context) {
    const { outcome, findings } = await runCoreWebVitals(context, context.config);
    return jobOutcome(outcome.outcome, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, findings: findings.map((finding) => `${finding.url} ${finding.metric} ${finding.kind}`) },
    });
  },
});
