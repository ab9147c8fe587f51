import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { KlaviyoFormReport, KlaviyoGrowthDay } from '@jbot/connectors';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's values as defaults. */
export const listGrowthSettings = envSettings({
  /** A form whose submit rate falls below this share of its median is broken… */
  KLAVIYO_FORM_BROKEN_SHARE_PCT: envInteger(50, 1, 100),
  /** …over this many days before the judged day… */
  KLAVIYO_FORM_MEDIAN_DAYS: envInteger(14, 3, 60),
  /** …when it had at least this many views that day (fewer views are noise). */
  KLAVIYO_FORM_MIN_DAILY_VIEWS: envInteger(500, 1, 10_000_000),
  /** Net list growth negative this many days running is reported (info). */
  KLAVIYO_LIST_DECLINE_DAYS: envInteger(3, 1, 30),
});

type ListGrowthSettings = ReturnType<typeof listGrowthSettings.load>;

/** A sign-up form whose submit rate collapsed on the judged day. */
export interface BrokenForm {
  kind: 'form_broken';
  form_id: string;
  form: string;
  day: string;
  views: number;
  submits: number;
  submit_rate: number;
  median_rate: number;
  detail: string;
}

/** Net list growth negative for the decline window. */
export interface ListDecline {
  kind: 'list_decline';
  days: Array<{ day: string; net: number }>;
  detail: string;
}

/** What the job found: broken forms, and a list decline when there is one. */
export type ListGrowthFinding = BrokenForm | ListDecline;

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * The catalogue's rules, deterministically: a live form's submit rate on the last whole day
 * below the set share of its median over the days before, with at least the minimum views →
 * broken; subscribed − unsubscribed negative every one of the last N days → list decline.
 */
export function judgeListGrowth(forms: readonly KlaviyoFormReport[], growth: readonly KlaviyoGrowthDay[], settings: ListGrowthSettings): ListGrowthFinding[] {
  const findings: ListGrowthFinding[] = [];
  for (const form of forms) {
    if (form.status !== 'live') continue;
    const last = form.days[form.days.length - 1];
    if (last === undefined || last.views < settings.KLAVIYO_FORM_MIN_DAILY_VIEWS) continue;
    const before = form.days.slice(-1 - settings.KLAVIYO_FORM_MEDIAN_DAYS, -1).filter((day) => day.views > 0);
    if (before.length === 0) continue;
    const baseline = median(before.map((day) => day.submits / day.views));
    const rate = last.submits / last.views;
    if (baseline === 0 || rate >= (baseline * settings.KLAVIYO_FORM_BROKEN_SHARE_PCT) / 100) continue;
    let brokenDays = 0;
    for (const day of [...form.days].reverse()) {
      if (day.views === 0 || day.submits / day.views >= (baseline * settings.KLAVIYO_FORM_BROKEN_SHARE_PCT) / 100) break;
      brokenDays += 1;
    }
    findings.push({
      kind: 'form_broken',
      form_id: form.id,
      form: form.name,
      day: last.day,
      views: last.views,
      submits: last.submits,
      submit_rate: Math.round(rate * 10_000) / 10_000,
      median_rate: Math.round(baseline * 10_000) / 10_000,
      detail: `${last.submits} submits from ${last.views} views on ${last.day} (${pct(rate)} vs a ${settings.KLAVIYO_FORM_MEDIAN_DAYS}-day median of ${pct(baseline)}), low for ${brokenDays} day${brokenDays === 1 ? '' : 's'}: open the form on a phone and submit it — a hidden button or a broken script shows up at once`,
    });
  }
  const recent = growth.slice(-settings.KLAVIYO_LIST_DECLINE_DAYS).map((day) => ({ day: day.day, net: day.subscribed - day.unsubscribed }));
  if (recent.length === settings.KLAVIYO_LIST_DECLINE_DAYS && recent.every((day) => day.net < 0))
    findings.push({
      kind: 'list_decline',
      days: recent,
      detail: `net list growth negative ${recent.length} days running (${recent.map((day) => `${day.day} ${day.net}`).join(', ')})`,
    });
  return findings;
}

/** The #mktg-bot post: broken forms first, then the decline, then yesterday's growth line. */
export function listGrowthMessage(findings: readonly ListGrowthFinding[], growth: readonly KlaviyoGrowthDay[]): string {
  const lines = findings.map((finding) =>
    finding.kind === 'form_broken' ? `• 🛑 form broken **${finding.form}**: ${finding.detail}` : `• 📉 list declining: ${finding.detail}`,
  );
  const last = growth[growth.length - 1];
  const net30 = growth.slice(-30).reduce((sum, day) => sum + day.subscribed - day.unsubscribed, 0);
  if (last !== undefined)
    lines.push(`Yesterday ${last.day}: +${last.subscribed} subscribed, −${last.unsubscribed} unsubscribed; net ${net30 >= 0 ? '+' : ''}${net30} over 30 days.`);
  return lines.join('\n');
}

/** Run the check once: one form series and the growth metrics, the post on change, `klaviyo_issue` form_broken per form and day, a digest note on a decline. */
export async function runListGrowth(
  context: BotContext & JobRunInfo,
  settings = listGrowthSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; findings: ListGrowthFinding[]; signals: number }> {
  const window = { end: now, days: Math.max(30, settings.KLAVIYO_FORM_MEDIAN_DAYS + 1) };
  const [forms, growth] = await Promise.all([context.connectors.klaviyo.formReports(window), context.connectors.klaviyo.subscriberGrowth(window)]);
  const findings = judgeListGrowth(forms, growth, settings);
  const outcome = await reportFindings(context, {
    findings,
    noun: 'list growth issue',
    message: (found) => ({
      title: `Klaviyo list growth: ${found.filter((finding) => finding.kind === 'form_broken').length} sign-up form(s) broken${found.some((finding) => finding.kind === 'list_decline') ? ', list declining' : ''}`,
      text: listGrowthMessage(found, growth),
      kind: 'note',
    }),
    nothingLine: `Every live sign-up form converts at ≥ ${settings.KLAVIYO_FORM_BROKEN_SHARE_PCT}% of its ${settings.KLAVIYO_FORM_MEDIAN_DAYS}-day median and the list grew. ${listGrowthMessage([], growth)}`,
  });
  let signals = 0;
  for (const finding of findings) {
    const emitted =
      finding.kind === 'form_broken'
        ? await context.signals.emit(
            'klaviyo_issue',
            {
              kind: 'form_broken',
              object_id: finding.form_id,
              name: finding.form,
              metric: 'submit_rate',
              value: finding.submit_rate,
              benchmark: finding.median_rate,
              detail: finding.detail,
            },
            { severity: 'warning', dedupeKey: `form_broken:${finding.form_id}:${finding.day}`, dedupeWindowMs: DAY_MS },
          )
        : await context.signals.emit(
            'bot_note',
            { text: `Klaviyo list declining: ${finding.detail}`, detail: { kind: 'list_decline', days: finding.days } },
            { severity: 'info', dedupeKey: `list_decline:${finding.days[finding.days.length - 1]?.day ?? ''}`, dedupeWindowMs: DAY_MS },
          );
    if (!emitted.deduplicated) signals += 1;
  }
  context.log.info({ forms: forms.length, findings: findings.length, signals }, `klaviyo list growth: ${findings.length} finding(s)`);
  return { outcome, findings, signals };
}

/** mktgbot's klaviyo-list-growth: daily 08:30 (fleet time zone). */
export const klaviyoListGrowth = defineJob({
  id: 'klaviyo-list-growth',
  schedule: '30 8 * * *',
  description: 'Sign-up form submit rates and net list growth → klaviyo_issue form_broken (warning); a declining list as a digest note',
  timeoutMs: 180_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: listGrowthSettings,
  async run(context) {
    const { outcome, signals } = await runListGrowth(context, context.config);
    return jobOutcome(`${outcome.outcome}${signals === 0 ? '' : `; ${signals} signal(s) raised`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals },
    });
  },
});
