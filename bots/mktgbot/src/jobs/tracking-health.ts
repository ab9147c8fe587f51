import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { addDays, localDay, median, startOfLocalDay } from '../search/local-time.js';
import { openTrackingBreaks, TRACKING_RESTORED_KIND } from '../search/tracking-hold.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's thresholds as defaults. */
export const trackingHealthSettings = envSettings({
  FLEET_TZ: timeZone('UTC'),
  /** Yesterday's purchases ÷ Shopify orders this far below its median ratio is a broken tag (catalogue: 40%). */
  TRACKING_DROP_PCT: envInteger(40, 1, 99),
  /** Days before yesterday the median ratio is taken over (catalogue: 14). */
  TRACKING_MEDIAN_DAYS: envInteger(14, 3, 60),
  /** A platform with fewer days of history than this is not judged. */
  TRACKING_MIN_HISTORY_DAYS: envInteger(5, 2, 60),
  /** …and only while Shopify's orders are within this band of their median (catalogue: ±20%), so a slow day is not a broken tag. */
  TRACKING_SHOPIFY_BAND_PCT: envInteger(20, 1, 100),
  /** Paid-sourced orders carrying UTM tags below this share is a UTM gap (catalogue: 80%). */
  TRACKING_UTM_MIN_PCT: envInteger(80, 1, 100),
  /** …judged only with at least this many paid orders in the day. */
  TRACKING_UTM_MIN_ORDERS: envInteger(5, 1, 10_000),
});

type TrackingHealthSettings = ReturnType<typeof trackingHealthSettings.load>;

/** One day's purchases as a source reports them. */
export type DailyCounts = ReadonlyMap<string, number>;

/** A source whose tracking looks broken, or the UTM gap. */
export interface TrackingFinding {
  platform: string;
  day: string;
  ratio_now: number;
  ratio_median: number;
  shopify_orders: number;
  platform_purchases: number;
  detail: string;
}

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;
const pct = (value: number) => `${Math.round(value * 100)}%`;

/**
 * The broken-tag rule for one source: yesterday's purchases ÷ Shopify orders more than the drop
 * percentage below its median over the days before, while Shopify's own orders are within the
 * band of theirs (a quiet day drops both). Null when healthy or without enough history.
 */
export function judgeTracking(
  platform: string,
  shopify: DailyCounts,
  reported: DailyCounts,
  day: string,
  settings: Pick<TrackingHealthSettings, 'TRACKING_DROP_PCT' | 'TRACKING_MEDIAN_DAYS' | 'TRACKING_MIN_HISTORY_DAYS' | 'TRACKING_SHOPIFY_BAND_PCT'>,
): TrackingFinding | null {
  const ordersNow = shopify.get(day);
  const purchasesNow = reported.get(day);
  if (ordersNow === undefined || ordersNow === 0 || purchasesNow === undefined) return null;
  const ratios: number[] = [];
  const orders: number[] = [];
  for (let back = 1; back <= settings.TRACKING_MEDIAN_DAYS; back += 1) {
    const earlier = addDays(day, -back);
    const shop = shopify.get(earlier);
    const platformCount = reported.get(earlier);
    if (shop === undefined || shop === 0 || platformCount === undefined) continue;
    ratios.push(platformCount / shop);
    orders.push(shop);
  }
  if (ratios.length < settings.TRACKING_MIN_HISTORY_DAYS) return null;
  const ratioMedian = median(ratios);
  const ordersMedian = median(orders);
  const ratioNow = purchasesNow / ordersNow;
  const withinBand = Math.abs(ordersNow - ordersMedian) <= (ordersMedian * settings.TRACKING_SHOPIFY_BAND_PCT) / 100;
  if (!withinBand || ratioMedian === 0 || ratioNow >= ratioMedian * (1 - settings.TRACKING_DROP_PCT / 100)) return null;
  return {
    platform,
    day,
    ratio_now: round(ratioNow),
    ratio_median: round(ratioMedian),
    shopify_orders: ordersNow,
    platform_purchases: round(purchasesNow, 2),
    detail: `${platform} counted ${round(purchasesNow, 1)} purchases for ${ordersNow} Shopify orders on ${day} (ratio ${round(ratioNow, 2)} vs its ${ratios.length}-day median ${round(ratioMedian, 2)}, ${pct(1 - ratioNow / ratioMedian)} down) while Shopify orders were normal (median ${ordersMedian}): check the tag/pixel on the theme and checkout`,
  };
}

/** The UTM-gap rule: paid-sourced orders carrying UTM tags below the minimum share. */
export function judgeUtmCoverage(
  visits: ReadonlyArray<{ sourceType: string; utm: { source: string | null; medium: string | null } | null }>,
  day: string,
  settings: Pick<TrackingHealthSettings, 'TRACKING_UTM_MIN_PCT' | 'TRACKING_UTM_MIN_ORDERS'>,
): TrackingFinding | null {
  const paid = visits.filter((visit) => visit.sourceType === 'paid');
  if (paid.length < settings.TRACKING_UTM_MIN_ORDERS) return null;
  const tagged = paid.filter((visit) => visit.utm !== null && visit.utm.source !== null && visit.utm.medium !== null).length;
  const share = tagged / paid.length;
  if (share >= settings.TRACKING_UTM_MIN_PCT / 100) return null;
  return {
    platform: 'utm',
    day,
    ratio_now: round(share),
    ratio_median: settings.TRACKING_UTM_MIN_PCT / 100,
    shopify_orders: paid.length,
    platform_purchases: tagged,
    detail: `only ${tagged} of ${paid.length} paid-sourced orders on ${day} carried utm_source/utm_medium (${pct(share)}, minimum ${settings.TRACKING_UTM_MIN_PCT}%): check the ads' URL parameters (Meta url_tags, Google tracking template)`,
  };
}

/** Sum rows into day → count. */
function byDay<Row>(rows: readonly Row[], dayOf: (row: Row) => string, countOf: (row: Row) => number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(dayOf(row), (totals.get(dayOf(row)) ?? 0) + countOf(row));
  return totals;
}

/** What a run found and did. */
export interface TrackingHealthResult {
  findings: TrackingFinding[];
  signals: number;
  restored: string[];
  sources: string[];
}

/**
 * Run the check once for yesterday (FLEET_TZ): Shopify's DTC orders per day (the commerce
 * connector, live on Shopify when configured) against GA4's
 * purchases, Meta's reported purchases and Google Ads conversions, and the UTM coverage of
 * yesterday's paid orders. Posts on change, raises one `tracking_broken` alert per source per
 * day, and clears an open break (a `tracking_restored` note) when its source is healthy again.
 */
export async function runTrackingHealth(
  context: BotContext & JobRunInfo,
  settings = trackingHealthSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: TrackingHealthResult }> {
  const zone = settings.FLEET_TZ;
  const today = localDay(now, zone);
  const day = addDays(today, -1);
  const from = addDays(day, -settings.TRACKING_MEDIAN_DAYS);
  const { connectors } = context;
  // Shopify's own orders (the store's DTC orders, grouped by local day) are the truth the platforms are held to.
  const [orders, ga4, meta, google, visits] = await Promise.all([
    connectors.commerce.listOrders({ since: startOfLocalDay(from, zone) }),
    connectors.analytics.dailyPurchases({ from, to: day }),
    connectors.ads.listInsights({ since: startOfLocalDay(from, zone) }),
    connectors.googleAds.campaignMetrics({ from, to: day }),
    connectors.orderAttribution.listOrderVisits({ from: startOfLocalDay(day, zone), to: startOfLocalDay(today, zone) }),
  ]);
  const shopify = byDay(
    orders.filter((order) => order.channel === 'dtc' && order.financialStatus !== 'voided' && localDay(new Date(order.createdAt), zone) <= day),
    (order) => localDay(new Date(order.createdAt), zone),
    () => 1,
  );
  const sources: Array<[string, Map<string, number>]> = [
    [
      'ga4',
      byDay(
        ga4,
        (row) => row.day,
        (row) => row.purchases,
      ),
    ],
    [
      'meta',
      byDay(
        meta,
        (row) => row.day,
        (row) => row.purchases,
      ),
    ],
    [
      'google_ads',
      byDay(
        google,
        (row) => row.day,
        (row) => row.conversions,
      ),
    ],
  ];
  const findings: TrackingFinding[] = [];
  for (const [platform, counts] of sources) {
    const finding = judgeTracking(platform, shopify, counts, day, settings);
    if (finding !== null) findings.push(finding);
  }
  const utm = judgeUtmCoverage(visits, day, settings);
  if (utm !== null) findings.push(utm);

  const outcome = await reportFindings(context, {
    findings,
    noun: 'tracking problem',
    message: (found) => ({
      title: `Tracking health ${day}: ${found.map((finding) => finding.platform).join(', ')} broken`,
      text: [
        ...found.map((finding) => `• 🛑 **${finding.platform}**: ${finding.detail}`),
        '',
        'mktgbot proposes no budget increases while tracking is broken (reply "fixed" to my alert once it is repaired).',
      ].join('\n'),
      kind: 'note',
    }),
    nothingLine: `${day}: GA4, Meta and Google Ads purchases track Shopify's ${shopify.get(day) ?? 0} orders; paid orders carry their UTM tags.`,
  });

  let signals = 0;
  for (const finding of findings) {
    const emitted = await context.signals.emit(
      'tracking_broken',
      {
        platform: finding.platform,
        ratio_now: finding.ratio_now,
        ratio_median: finding.ratio_median,
        shopify_orders: finding.shopify_orders,
        platform_purchases: finding.platform_purchases,
        day: finding.day,
        detail: finding.detail,
      },
      { severity: 'alert', dedupeKey: `tracking_broken:${finding.platform}:${finding.day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  // A source judged healthy today clears its open break, so budget proposals resume.
  const broken = new Set(findings.map((finding) => finding.platform));
  const restored: string[] = [];
  for (const open of await openTrackingBreaks(context.db, now)) {
    // A catch-up run for an earlier day says nothing about a break found on a later one.
    if (broken.has(open.platform) || (open.day !== null && open.day > day)) continue;
    const judged = open.platform === 'utm' || sources.some(([platform, counts]) => platform === open.platform && counts.has(day));
    if (!judged) continue;
    await context.signals.emit(
      'bot_note',
      {
        text: `Tracking on ${open.platform} is healthy again (${day}); budget proposals resume`,
        detail: { kind: TRACKING_RESTORED_KIND, platform: open.platform, day },
      },
      { dedupeKey: `tracking_restored:${open.platform}:${day}`, dedupeWindowMs: DAY_MS },
    );
    restored.push(open.platform);
  }
  context.log.info({ day, findings: findings.length, signals, restored }, `tracking health: ${findings.length} problem(s)`);
  return { outcome, result: { findings, signals, restored, sources: sources.filter(([, counts]) => counts.size > 0).map(([platform]) => platform) } };
}

/** mktgbot's tracking-health: daily 09:00 (fleet time zone), yesterday's tracking against Shopify's orders. */
export const trackingHealth = defineJob({
  id: 'tracking-health',
  schedule: '0 9 * * *',
  description: "Platform and GA4 purchases vs Shopify's orders, and paid orders' UTM coverage → tracking_broken (alert); budget increases held while open",
  timeoutMs: 180_000,
  // A daily report on yesterday: a missed morning catches up once.
  missed: 'once',
  settings: trackingHealthSettings,
  async run(context) {
    // The tick's own time: a catch-up run judges the day (or hours) it was scheduled for.
    const { outcome, result } = await runTrackingHealth(context, context.config, context.scheduledFor);
    const extra = [
      result.signals === 0 ? '' : `${result.signals} tracking_broken raised`,
      result.restored.length === 0 ? '' : `restored: ${result.restored.join(', ')}`,
    ]
      .filter((part) => part !== '')
      .join('; ');
    return jobOutcome(`${outcome.outcome}${extra === '' ? '' : `; ${extra}`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals: result.signals, restored: result.restored },
    });
  },
});
