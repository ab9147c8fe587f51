import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { FunnelHour } from '@jbot/connectors';
import { localClock, localDay, localHour } from '../search/local-time.js';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

/** The job's settings, with the catalogue's thresholds as defaults. */
export const siteConversionSettings = envSettings({
  FLEET_TZ: timeZone('UTC'),
  /** The hours judged on each run (the job runs every 2 hours). */
  SITE_CONVERSION_WINDOW_HOURS: envInteger(2, 1, 12),
  /** Checkout→purchase below this share of the same hours last week is a drop (catalogue: 60%). */
  SITE_CONVERSION_RATE_SHARE_PCT: envInteger(60, 1, 99),
  /** …judged only with at least this many sessions on the device in the window (catalogue: 200). */
  SITE_CONVERSION_MIN_SESSIONS: envInteger(200, 1, 1_000_000),
  /** 0 orders in the window when the same hours last week had at least this many → alert (catalogue: 8). */
  SITE_NO_ORDERS_BASELINE_MIN: envInteger(8, 1, 10_000),
  /** 0 orders for this many daytime hours (with the same baseline) → critical (catalogue: 4). */
  SITE_NO_ORDERS_CRITICAL_HOURS: envInteger(4, 1, 24),
  /** Local daytime for the critical rule: [start, end) hours. */
  SITE_DAYTIME_START_HOUR: envInteger(8, 0, 23),
  SITE_DAYTIME_END_HOUR: envInteger(22, 1, 24),
});

type SiteConversionSettings = ReturnType<typeof siteConversionSettings.load>;

/** A drop the job raises. */
export interface ConversionFinding {
  device: string;
  rule: 'checkout_rate' | 'no_orders' | 'no_orders_daytime';
  severity: 'alert' | 'critical';
  window: string;
  rate: number;
  baseline_rate: number;
  sessions: number;
  orders: number;
  detail: string;
}

const sum = (hours: readonly FunnelHour[], key: 'sessions' | 'checkouts' | 'purchases') => hours.reduce((total, hour) => total + hour[key], 0);
const round = (value: number) => Math.round(value * 1000) / 1000;
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/**
 * The checkout rule per device: purchases ÷ checkouts in the window below the share of the same
 * hours a week earlier, with enough sessions to mean something.
 */
export function judgeCheckoutRates(
  current: readonly FunnelHour[],
  baseline: readonly FunnelHour[],
  window: string,
  settings: Pick<SiteConversionSettings, 'SITE_CONVERSION_RATE_SHARE_PCT' | 'SITE_CONVERSION_MIN_SESSIONS'>,
): ConversionFinding[] {
  const devices = [...new Set(current.map((hour) => hour.device))].sort();
  const findings: ConversionFinding[] = [];
  for (const device of devices) {
    const now = current.filter((hour) => hour.device === device);
    const before = baseline.filter((hour) => hour.device === device);
    const sessions = sum(now, 'sessions');
    const checkouts = sum(now, 'checkouts');
    const baseCheckouts = sum(before, 'checkouts');
    if (sessions < settings.SITE_CONVERSION_MIN_SESSIONS || checkouts === 0 || baseCheckouts === 0) continue;
    const rate = sum(now, 'purchases') / checkouts;
    const baselineRate = sum(before, 'purchases') / baseCheckouts;
    if (rate >= (baselineRate * settings.SITE_CONVERSION_RATE_SHARE_PCT) / 100) continue;
    findings.push({
      device,
      rule: 'checkout_rate',
      severity: 'alert',
      window,
      rate: round(rate),
      baseline_rate: round(baselineRate),
      sessions,
      orders: sum(now, 'purchases'),
      detail: `${device} checkout→purchase ${pct(rate)} (${sum(now, 'purchases')} of ${checkouts} checkouts, ${sessions} sessions) vs ${pct(baselineRate)} the same hours last week: test a ${device} checkout now (payment buttons, checkout extensions, the last theme/app change)`,
    });
  }
  return findings;
}

/** The order-count rules: none in the window when last week's same hours had enough → alert; none for the daytime span → critical. */
export function judgeOrderGap(orderTimes: readonly Date[], windowEnd: Date, settings: SiteConversionSettings): ConversionFinding[] {
  const count = (from: number, to: number) => orderTimes.filter((time) => time.getTime() >= from && time.getTime() < to).length;
  const end = windowEnd.getTime();
  const zone = settings.FLEET_TZ;
  const label = (hours: number) =>
    `${localDay(new Date(end - hours * HOUR_MS), zone)} ${localClock(new Date(end - hours * HOUR_MS), zone)}–${localClock(windowEnd, zone)}`;
  const criticalHours = settings.SITE_NO_ORDERS_CRITICAL_HOURS;
  const daytime = Array.from({ length: criticalHours }, (_, index) => localHour(new Date(end - (index + 1) * HOUR_MS), zone)).every(
    (hour) => hour >= settings.SITE_DAYTIME_START_HOUR && hour < settings.SITE_DAYTIME_END_HOUR,
  );
  const longNow = count(end - criticalHours * HOUR_MS, end);
  const longBefore = count(end - criticalHours * HOUR_MS - WEEK_MS, end - WEEK_MS);
  if (daytime && longNow === 0 && longBefore >= settings.SITE_NO_ORDERS_BASELINE_MIN)
    return [
      {
        device: 'all',
        rule: 'no_orders_daytime',
        severity: 'critical',
        window: label(criticalHours),
        rate: 0,
        baseline_rate: longBefore,
        sessions: 0,
        orders: 0,
        detail: `no orders for ${criticalHours} daytime hours (${longBefore} in the same hours last week): the store or checkout is down — check it from a phone and a desktop now`,
      },
    ];
  const hours = settings.SITE_CONVERSION_WINDOW_HOURS;
  const shortNow = count(end - hours * HOUR_MS, end);
  const shortBefore = count(end - hours * HOUR_MS - WEEK_MS, end - WEEK_MS);
  if (shortNow === 0 && shortBefore >= settings.SITE_NO_ORDERS_BASELINE_MIN)
    return [
      {
        device: 'all',
        rule: 'no_orders',
        severity: 'alert',
        window: label(hours),
        rate: 0,
        baseline_rate: shortBefore,
        sessions: 0,
        orders: 0,
        detail: `no orders in ${hours} h (${shortBefore} in the same hours last week)`,
      },
    ];
  return [];
}

/**
 * Run the watch once: the last complete hours (GA4 funnel by device) against the same hours a
 * week earlier, and Shopify's DTC orders for the no-order rules. Posts on change; one
 * `conversion_drop` per device and rule per day (alert, or critical for the daytime outage).
 */
export async function runSiteConversionWatch(
  context: BotContext & JobRunInfo,
  settings = siteConversionSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; findings: ConversionFinding[]; signals: number }> {
  const windowEnd = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const windowStart = new Date(windowEnd.getTime() - settings.SITE_CONVERSION_WINDOW_HOURS * HOUR_MS);
  const zone = settings.FLEET_TZ;
  const longest = Math.max(settings.SITE_CONVERSION_WINDOW_HOURS, settings.SITE_NO_ORDERS_CRITICAL_HOURS);
  const [funnel, orders] = await Promise.all([
    context.connectors.analytics.hourlyFunnel({ from: new Date(windowStart.getTime() - WEEK_MS), to: windowEnd }),
    context.connectors.commerce.listOrders({ since: new Date(windowEnd.getTime() - WEEK_MS - longest * HOUR_MS) }),
  ]);
  const inRange = (hour: FunnelHour, from: number, to: number) => Date.parse(hour.hour) >= from && Date.parse(hour.hour) < to;
  const current = funnel.filter((hour) => inRange(hour, windowStart.getTime(), windowEnd.getTime()));
  const baseline = funnel.filter((hour) => inRange(hour, windowStart.getTime() - WEEK_MS, windowEnd.getTime() - WEEK_MS));
  const window = `${localDay(windowStart, zone)} ${localClock(windowStart, zone)}–${localClock(windowEnd, zone)}`;
  const findings = [
    ...judgeCheckoutRates(current, baseline, window, settings),
    ...judgeOrderGap(
      orders.filter((order) => order.channel === 'dtc').map((order) => new Date(order.createdAt)),
      windowEnd,
      settings,
    ),
  ];
  const outcome = await reportFindings(context, {
    // The window moves every run; the finding set is the devices and rules.
    findings: findings.map((finding) => ({ device: finding.device, rule: finding.rule, severity: finding.severity, day: localDay(windowEnd, zone) })),
    noun: 'conversion drop',
    message: () => ({
      title: `Site conversion ${window}: ${findings.map((finding) => `${finding.device} ${finding.rule.replace(/_/g, ' ')}`).join(', ')}`,
      text: findings.map((finding) => `• ${finding.severity === 'critical' ? '🚨' : '🛑'} ${finding.detail}`).join('\n'),
      kind: 'note',
    }),
    nothingLine: `${window}: checkout conversion on every device with ≥ ${settings.SITE_CONVERSION_MIN_SESSIONS} sessions is within ${settings.SITE_CONVERSION_RATE_SHARE_PCT}% of last week's same hours, and orders are coming in.`,
  });
  let signals = 0;
  for (const finding of findings) {
    const emitted = await context.signals.emit(
      'conversion_drop',
      {
        device: finding.device,
        window: finding.window,
        rate: finding.rate,
        baseline_rate: finding.baseline_rate,
        sessions: finding.sessions,
        orders: finding.orders,
        rule: finding.rule,
      },
      { severity: finding.severity, dedupeKey: `conversion_drop:${finding.device}:${finding.rule}:${localDay(windowEnd, zone)}`, dedupeWindowMs: 24 * HOUR_MS },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  context.log.info({ window, findings: findings.length, signals }, `site conversion watch: ${findings.length} drop(s)`);
  return { outcome, findings, signals };
}

/** mktgbot's site-conversion-watch: every 2 hours 08:10–22:10 (fleet time zone). */
export const siteConversionWatch = defineJob({
  id: 'site-conversion-watch',
  schedule: '10 8-22/2 * * *',
  description: 'Checkout→purchase by device vs the same hours last week, and hours without orders → conversion_drop (alert / critical)',
  timeoutMs: 120_000,
  // An intraday watch: a missed tick is stale by the next one.
  missed: 'skip',
  settings: siteConversionSettings,
  async run(context) {
    // The tick's own time: a catch-up run judges the day (or hours) it was scheduled for.
    const { outcome, signals } = await runSiteConversionWatch(context, context.config, context.scheduledFor);
    return jobOutcome(`${outcome.outcome}${signals === 0 ? '' : `; ${signals} conversion_drop raised`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals },
    });
  },
});
