import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { SearchAnalyticsRow } from '@jbot/connectors';
import { addDays, plural } from '../company-day.js';
import { seoRegression } from '../signals.js';

/** The job's settings (catalogue defaults). */
export const seoRankWatchSettings = envSettings({
  SEO_REGRESSION_CLICK_DROP: envNumber(0.3, 0.01),
  SEO_REGRESSION_MIN_BASELINE_CLICKS: envInteger(100, 1, 10_000_000),
  SEO_REGRESSION_POSITION_DROP: envNumber(2, 0),
  SEO_STRIKING_MIN_POSITION: envNumber(8, 1),
  SEO_STRIKING_MAX_POSITION: envNumber(20, 1),
  SEO_STRIKING_MIN_IMPRESSIONS: envInteger(200, 1, 10_000_000),
  SEO_STRIKING_MAX_CTR: envNumber(0.02, 0),
});

/** The parsed settings. */
export type SeoRankWatchConfig = SettingsOf<typeof seoRankWatchSettings>;

/** A page losing clicks and position week over week. */
export interface PageRegression {
  url: string;
  clicks: number;
  previousClicks: number;
  position: number;
  previousPosition: number;
  queries: Array<{ query: string; clicks_7d: number; clicks_prev_7d: number; position: number }>;
}

/** A query ranking just off page one that a content update could lift (queued for product-copy-gaps). */
export interface StrikingQuery {
  url: string;
  query: string;
  position: number;
  impressions: number;
  ctr: number;
}

interface PageTotals {
  clicks: number;
  impressions: number;
  weightedPosition: number;
}

function totalsByPage(rows: readonly SearchAnalyticsRow[]): Map<string, PageTotals> {
  const totals = new Map<string, PageTotals>();
  for (const row of rows) {
    const total = totals.get(row.page) ?? { clicks: 0, impressions: 0, weightedPosition: 0 };
    total.clicks += row.clicks;
    total.impressions += row.impressions;
    total.weightedPosition += row.position * row.impressions;
    totals.set(row.page, total);
  }
  return totals;
}

const position = (total: PageTotals | undefined) => (total === undefined || total.impressions === 0 ? 0 : total.weightedPosition / total.impressions);
const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * The rules, pure: a page whose clicks fell by the drop share from a baseline of at least the
 * minimum, with its position worse by at least the position drop → regression; a page-query at
 * positions 8–20 with enough impressions and a low CTR → striking distance.
 */
export function findSearchMovement(current: readonly SearchAnalyticsRow[], previous: readonly SearchAnalyticsRow[], config: SeoRankWatchConfig) {
  const now = totalsByPage(current);
  const before = totalsByPage(previous);
  const regressions: PageRegression[] = [];
  for (const [url, baseline] of before) {
    const latest = now.get(url) ?? { clicks: 0, impressions: 0, weightedPosition: 0 };
    if (baseline.clicks < config.SEO_REGRESSION_MIN_BASELINE_CLICKS) continue;
    const drop = 1 - latest.clicks / baseline.clicks;
    const positionChange = position(latest) - position(baseline);
    if (drop < config.SEO_REGRESSION_CLICK_DROP || positionChange < config.SEO_REGRESSION_POSITION_DROP) continue;
    const queries = current
      .filter((row) => row.page === url)
      .map((row) => ({
        query: row.query,
        clicks_7d: row.clicks,
        clicks_prev_7d: previous.find((old) => old.page === url && old.query === row.query)?.clicks ?? 0,
        position: round(row.position),
      }))
      .sort((left, right) => left.clicks_7d - left.clicks_prev_7d - (right.clicks_7d - right.clicks_prev_7d));
    regressions.push({
      url,
      clicks: latest.clicks,
      previousClicks: baseline.clicks,
      position: round(position(latest)),
      previousPosition: round(position(baseline)),
      queries,
    });
  }
  const striking: StrikingQuery[] = current
    .filter(
      (row) =>
        row.position >= config.SEO_STRIKING_MIN_POSITION &&
        row.position <= config.SEO_STRIKING_MAX_POSITION &&
        row.impressions >= config.SEO_STRIKING_MIN_IMPRESSIONS &&
        row.ctr < config.SEO_STRIKING_MAX_CTR,
    )
    .map((row) => ({ url: row.page, query: row.query, position: round(row.position), impressions: row.impressions, ctr: row.ctr }))
    .sort((left, right) => right.impressions - left.impressions);
  return { regressions: regressions.sort((left, right) => left.url.localeCompare(right.url)), striking };
}

/**
 * Run seo-rank-watch once: the last 7 complete days against the 7 before (Search Console lags
 * ~3 days), a seo_regression per regressed page, striking-distance queries kept in the run's
 * result for product-copy-gaps, posted on change.
 */
export async function runSeoRankWatch(context: BotContext & JobRunInfo, config: SeoRankWatchConfig) {
  const { search } = context.connectors;
  const last = await search.lastCompleteDay();
  if (last === null) {
    const outcome = await reportFindings(context, {
      findings: [],
      noun: 'search change',
      message: () => '',
      nothingLine: 'Search Console has no data for the site yet.',
    });
    return { outcome, regressions: [] as PageRegression[], striking: [] as StrikingQuery[], window: null };
  }
  const window = { startDate: addDays(last, -6), endDate: last };
  const [current, previous] = await Promise.all([
    search.searchAnalytics(window),
    search.searchAnalytics({ startDate: addDays(last, -13), endDate: addDays(last, -7) }),
  ]);
  const { regressions, striking } = findSearchMovement(current, previous, config);
  for (const regression of regressions) {
    await context.signals.emit(
      seoRegression.type,
      {
        url: regression.url,
        clicks_7d: regression.clicks,
        clicks_prev_7d: regression.previousClicks,
        position_change: round(regression.position - regression.previousPosition),
        queries: regression.queries.slice(0, 5),
      },
      // One signal per page and reporting week.
      { severity: 'warning', dedupeKey: `seo_regression:${regression.url}:${window.endDate}`, dedupeWindowMs: 7 * 86_400_000 },
    );
  }
  const outcome = await reportFindings(context, {
    findings: [...regressions.map((regression) => ['regression', regression.url]), ...striking.map((item) => ['striking', item.url, item.query])],
    noun: 'search change',
    message: () => ({
      kind: 'report',
      severity: regressions.length > 0 ? 'warning' : 'info',
      title: `Organic search ${window.startDate} – ${window.endDate}: ${plural(regressions.length, 'page')} losing clicks, ${plural(striking.length, 'striking-distance query')}`,
      text: [
        ...regressions.map(
          (regression) =>
            `• **${regression.url}** clicks ${regression.previousClicks} → ${regression.clicks} (${Math.round((regression.clicks / regression.previousClicks - 1) * 100)}%), position ${regression.previousPosition} → ${regression.position}; worst query "${regression.queries[0]?.query ?? '?'}"`,
        ),
        ...striking.map(
          (item) =>
            `• striking distance: "${item.query}" on ${item.url} at position ${item.position}, ${item.impressions} impressions, CTR ${(item.ctr * 100).toFixed(1)}% → queued for product-copy-gaps`,
        ),
      ].join('\n'),
    }),
    nothingLine: `No page lost ≥ ${Math.round(config.SEO_REGRESSION_CLICK_DROP * 100)}% of its clicks in ${window.startDate} – ${window.endDate}, and no query sits at positions ${config.SEO_STRIKING_MIN_POSITION}–${config.SEO_STRIKING_MAX_POSITION} with a low CTR.`,
  });
  return { outcome, regressions, striking, window };
}

/** contentbot's seo-rank-watch: daily 06:00 (fleet time zone). */
export const seoRankWatch = defineJob({
  id: 'seo-rank-watch',
  schedule: '0 6 * * *',
  description:
    'Search Console week over week: pages losing ≥ 30% of clicks and ≥ 2 positions → seo_regression; striking-distance queries for product-copy-gaps',
  timeoutMs: 300_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: seoRankWatchSettings,
  async run(context) {
    const { outcome, regressions, striking, window } = await runSeoRankWatch(context, context.config);
    return jobOutcome(outcome.outcome, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      // product-copy-gaps reads the striking-distance queue from this run's result.
      detail: { ...outcome.detail, window, regressions: regressions.map((regression) => regression.url), striking },
    });
  },
});
