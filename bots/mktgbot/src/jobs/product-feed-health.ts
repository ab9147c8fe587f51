import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { FeedItem, ProductFeed } from '@jbot/connectors';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's thresholds as defaults. */
export const productFeedSettings = envSettings({
  /** A feed price further than this from Shopify's is out of sync (catalogue: 1%). */
  FEED_PRICE_TOLERANCE_PCT: envNumber(1, 0),
  /** More than this share of a feed in error raises feed_item_issue (catalogue: 5%). */
  FEED_ERROR_SHARE_PCT: envNumber(5, 0),
  /** Price and availability mismatches count only on SKUs with at least this much ad spend in 7 days. */
  FEED_MIN_AD_SPEND: envInteger(1, 0, 1_000_000),
});

type ProductFeedSettings = ReturnType<typeof productFeedSettings.load>;

/** One feed item that needs fixing. */
export interface FeedItemProblem {
  feed: ProductFeed;
  sku: string;
  issue: string;
  detail: string;
}

/** One feed's state. */
export interface FeedVerdict {
  feed: ProductFeed;
  items: number;
  problems: FeedItemProblem[];
  errorShare: number;
  /** Above the error share: the feed raises feed_item_issue. */
  raise: boolean;
}

/**
 * The catalogue's rules per item: disapproved (with the platform's issue codes), price off
 * Shopify's by more than the tolerance, or availability not matching Shopify's stock — the last
 * two only on SKUs with ad spend; then each feed's error share against the threshold.
 */
export function judgeFeeds(
  items: readonly FeedItem[],
  store: { prices: ReadonlyMap<string, number>; onHand: ReadonlyMap<string, number> },
  settings: ProductFeedSettings,
): FeedVerdict[] {
  const feeds = [...new Set(items.map((item) => item.feed))].sort();
  return feeds.map((feed) => {
    const feedItems = items.filter((item) => item.feed === feed);
    const problems: FeedItemProblem[] = [];
    const erroring = new Set<string>();
    for (const item of feedItems) {
      const add = (issue: string, detail: string) => {
        problems.push({ feed, sku: item.sku, issue, detail });
        erroring.add(item.sku);
      };
      if (item.status === 'disapproved') {
        const codes = item.issues.length === 0 ? [{ code: 'disapproved', detail: 'disapproved without an item-level issue' }] : item.issues;
        for (const issue of codes) add(issue.code, issue.detail);
      }
      // Unknown spend (Merchant Center) counts as advertised.
      const spends = item.adSpend7d === null || item.adSpend7d >= settings.FEED_MIN_AD_SPEND;
      const price = store.prices.get(item.sku);
      if (spends && price !== undefined && price > 0 && (Math.abs(item.price - price) / price) * 100 > settings.FEED_PRICE_TOLERANCE_PCT)
        add('price_mismatch', `feed $${item.price.toFixed(2)} vs Shopify $${price.toFixed(2)}`);
      const units = store.onHand.get(item.sku);
      if (spends && units !== undefined) {
        const feedInStock = item.availability === 'in_stock';
        if (feedInStock !== units > 0) add('availability_mismatch', `feed says ${item.availability.replace('_', ' ')}, Shopify has ${units} on hand`);
      }
    }
    const errorShare = feedItems.length === 0 ? 0 : erroring.size / feedItems.length;
    return { feed, items: feedItems.length, problems, errorShare, raise: errorShare * 100 > settings.FEED_ERROR_SHARE_PCT };
  });
}

/** The #mktg-bot post: per feed its error share and items. */
export function feedHealthMessage(verdicts: readonly FeedVerdict[]): string {
  const lines: string[] = [];
  for (const verdict of verdicts.filter((candidate) => candidate.problems.length > 0)) {
    lines.push(
      `**${verdict.feed}** — ${verdict.problems.length} issue(s), ${(verdict.errorShare * 100).toFixed(1)}% of ${verdict.items} items${verdict.raise ? ' ⚠️' : ''}`,
    );
    for (const problem of verdict.problems) lines.push(`• ${problem.sku} ${problem.issue.replace(/_/g, ' ')}: ${problem.detail}`);
  }
  return lines.join('\n');
}

/**
 * Run the check once: every feed item against Shopify's prices and stock; post on change, one
 * `feed_item_issue` warning per feed over the error share per day (contentbot fixes GTINs and
 * titles through its copy queue).
 */
export async function runProductFeedHealth(
  context: BotContext & JobRunInfo,
  settings = productFeedSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; verdicts: FeedVerdict[]; signals: number }> {
  const [items, prices, inventory] = await Promise.all([
    context.connectors.feeds.listItems(),
    context.connectors.commerce.listPrices(),
    context.connectors.commerce.listInventory(),
  ]);
  const onHand = new Map<string, number>();
  for (const level of inventory) onHand.set(level.sku, (onHand.get(level.sku) ?? 0) + level.onHand);
  const verdicts = judgeFeeds(items, { prices: new Map(prices.map((price) => [price.sku, price.price])), onHand }, settings);
  const problems = verdicts.flatMap((verdict) => verdict.problems);
  const outcome = await reportFindings(context, {
    findings: problems,
    noun: 'feed item issue',
    message: () => ({
      title: `Product feeds: ${verdicts.map((verdict) => `${verdict.feed} ${verdict.problems.length}`).join(' · ')}`,
      text: feedHealthMessage(verdicts),
      kind: 'note',
    }),
    nothingLine: `All ${items.length} items in ${verdicts.length} feeds are approved and match Shopify's prices and stock.`,
  });
  const day = now.toISOString().slice(0, 10);
  let signals = 0;
  for (const verdict of verdicts.filter((candidate) => candidate.raise)) {
    const emitted = await context.signals.emit(
      'feed_item_issue',
      {
        feed: verdict.feed,
        items: verdict.problems.map((problem) => ({ sku: problem.sku, issue: problem.issue, detail: problem.detail })),
        error_share: Math.round(verdict.errorShare * 1000) / 1000,
      },
      { severity: 'warning', dedupeKey: `feed_item_issue:${verdict.feed}:${day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  context.log.info({ items: items.length, problems: problems.length, signals }, `product feed health: ${problems.length} issue(s)`);
  return { outcome, verdicts, signals };
}

/** mktgbot's product-feed-health: daily 06:15 (fleet time zone). */
export const productFeedHealth = defineJob({
  id: 'product-feed-health',
  schedule: '15 6 * * *',
  description: 'Shopping and catalog feeds: disapproved items, price or availability out of sync with Shopify → feed_item_issue (warning) above 5% of a feed',
  timeoutMs: 180_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: productFeedSettings,
  async run(context) {
    // The tick's own time: a catch-up run judges the day (or hours) it was scheduled for.
    const { outcome, signals } = await runProductFeedHealth(context, context.config, context.scheduledFor);
    return jobOutcome(`${outcome.outcome}${signals === 0 ? '' : `; ${signals} feed_item_issue raised`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals },
    });
  },
});
