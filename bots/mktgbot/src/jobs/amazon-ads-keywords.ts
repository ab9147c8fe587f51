import { defineJob, envInteger, envNumber, envSettings, fingerprintOf, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { SpKeyword, SpSearchTermRow, SpTargetingRow } from '@jbot/connectors';
import { applyAmazonBidChanges, type ApplyAmazonBidChangesDraft } from '../search/apply-amazon-bid-changes.js';

/** The job's settings, with the catalogue's thresholds as defaults. */
export const amazonKeywordsSettings = envSettings({
  /** Target ACOS, percent (catalogue: 35%). */
  AMAZON_ADS_TARGET_ACOS_PCT: envNumber(35, 1),
  /** A keyword over target needs at least this spend in the period for a bid cut (catalogue: $30). */
  AMAZON_BID_DOWN_MIN_SPEND: envNumber(30, 0),
  AMAZON_BID_DOWN_PCT: envInteger(15, 1, 90),
  /** A keyword under this share of the target ACOS gets a bid raise (catalogue: 50%). */
  AMAZON_BID_UP_ACOS_SHARE_PCT: envInteger(50, 1, 100),
  AMAZON_BID_UP_PCT: envInteger(10, 1, 100),
  /** A search term with this spend, no orders and this many clicks becomes a negative exact (catalogue: $25, 15). */
  AMAZON_NEGATIVE_MIN_SPEND: envNumber(25, 0),
  AMAZON_NEGATIVE_MIN_CLICKS: envInteger(15, 1, 1_000_000),
  /** The report period, days (catalogue: 14). */
  AMAZON_ADS_REPORT_DAYS: envInteger(14, 1, 60),
});

type AmazonKeywordsSettings = ReturnType<typeof amazonKeywordsSettings.load>;

/** The changes one run proposes. */
export interface AmazonKeywordProposals {
  bids: ApplyAmazonBidChangesDraft['bids'];
  negatives: ApplyAmazonBidChangesDraft['negatives'];
}

const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * The catalogue's rules: ACOS over target with enough spend → bid −15%; ACOS under half the
 * target → bid +10% (both on the keyword's current bid, never under Amazon's $0.02 floor); a
 * search term that spent enough with enough clicks and no order → negative exact (unless it is
 * already a keyword of ours).
 */
export function judgeAmazonKeywords(
  keywords: readonly SpKeyword[],
  targeting: readonly SpTargetingRow[],
  searchTerms: readonly SpSearchTermRow[],
  settings: AmazonKeywordsSettings,
  negated: ReadonlyArray<{ campaignId: string; keywordText: string }> = [],
): AmazonKeywordProposals {
  const target = settings.AMAZON_ADS_TARGET_ACOS_PCT / 100;
  const byId = new Map(keywords.map((keyword) => [keyword.keywordId, keyword]));
  const bids: AmazonKeywordProposals['bids'] = [];
  for (const row of targeting) {
    const keyword = byId.get(row.keywordId);
    if (keyword === undefined || keyword.state !== 'ENABLED' || keyword.bid <= 0) continue;
    const acos = row.sales > 0 ? row.cost / row.sales : null;
    const over = row.cost >= settings.AMAZON_BID_DOWN_MIN_SPEND && (acos === null || acos > target);
    const efficient = acos !== null && acos < (target * settings.AMAZON_BID_UP_ACOS_SHARE_PCT) / 100;
    if (!over && !efficient) continue;
    const factor = over ? 1 - settings.AMAZON_BID_DOWN_PCT / 100 : 1 + settings.AMAZON_BID_UP_PCT / 100;
    bids.push({
      keyword_id: row.keywordId,
      keyword: `${row.keywordText} (${row.matchType.toLowerCase()})`,
      campaign_id: row.campaignId,
      current_bid: keyword.bid,
      new_bid: Math.max(0.02, cents(keyword.bid * factor)),
      reason: over ? 'bid_down' : 'bid_up',
      acos: acos === null ? null : Math.round(acos * 1000) / 1000,
      cost: cents(row.cost),
    });
  }
  // Our own keywords and terms already negated are never proposed as negatives.
  const ours = new Set([...keywords, ...negated].map((keyword) => `${keyword.campaignId}:${keyword.keywordText.toLowerCase()}`));
  const negatives = searchTerms
    .filter(
      (row) =>
        row.cost >= settings.AMAZON_NEGATIVE_MIN_SPEND &&
        row.purchases === 0 &&
        row.clicks >= settings.AMAZON_NEGATIVE_MIN_CLICKS &&
        !ours.has(`${row.campaignId}:${row.searchTerm.toLowerCase()}`),
    )
    .map((row) => ({
      campaign_id: row.campaignId,
      ad_group_id: row.adGroupId,
      search_term: row.searchTerm.toLowerCase(),
      cost: cents(row.cost),
      clicks: row.clicks,
    }));
  return {
    bids: bids.sort((left, right) => left.reason.localeCompare(right.reason) || right.cost - left.cost),
    negatives: negatives.sort((left, right) => right.cost - left.cost),
  };
}

/** The #mktg-bot post. */
export function amazonKeywordsMessage(proposals: AmazonKeywordProposals, targetPct: number): string {
  const lines: string[] = [];
  const acos = (value: number | null) => (value === null ? 'no sales' : `ACOS ${(value * 100).toFixed(0)}%`);
  for (const bid of proposals.bids)
    lines.push(
      `• ${bid.reason === 'bid_down' ? '⬇️' : '⬆️'} ${bid.keyword}: ${acos(bid.acos)} on $${bid.cost.toFixed(2)} (target ${targetPct}%) → bid $${bid.current_bid.toFixed(2)} → $${bid.new_bid.toFixed(2)}`,
    );
  for (const negative of proposals.negatives)
    lines.push(`• 🚫 "${negative.search_term}": $${negative.cost.toFixed(2)}, ${negative.clicks} clicks, 0 orders → negative exact`);
  lines.push('', 'Approve apply_amazon_bid_changes to apply them in Amazon Ads.');
  return lines.join('\n');
}

/** Run the review once: the two reports, the proposals posted on change, one approval per proposal set. */
export async function runAmazonAdsKeywords(
  context: BotContext & JobRunInfo,
  settings = amazonKeywordsSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; proposals: AmazonKeywordProposals; approval: { id: string; created: boolean } | null }> {
  const { amazonAds } = context.connectors;
  const range = { days: settings.AMAZON_ADS_REPORT_DAYS, end: now };
  const [keywords, negated, targeting, searchTerms] = await Promise.all([
    amazonAds.listKeywords(),
    amazonAds.listNegativeKeywords(),
    amazonAds.targetingReport(range),
    amazonAds.searchTermReport(range),
  ]);
  const proposals = judgeAmazonKeywords(keywords, targeting, searchTerms, settings, negated);
  const findings = [
    ...proposals.bids.map((bid) => ['bid', bid.keyword_id, bid.new_bid]),
    ...proposals.negatives.map((negative) => ['negative', negative.campaign_id, negative.search_term]),
  ];
  const outcome = await reportFindings(context, {
    findings,
    noun: 'SP change',
    message: () => ({
      title: `Amazon SP keywords: ${proposals.bids.filter((bid) => bid.reason === 'bid_down').length} bids down, ${proposals.bids.filter((bid) => bid.reason === 'bid_up').length} up, ${proposals.negatives.length} negatives`,
      text: amazonKeywordsMessage(proposals, settings.AMAZON_ADS_TARGET_ACOS_PCT),
      kind: 'note',
    }),
    nothingLine: `${targeting.length} keywords and ${searchTerms.length} search terms over ${settings.AMAZON_ADS_REPORT_DAYS} days: every bid fits the ${settings.AMAZON_ADS_TARGET_ACOS_PCT}% ACOS target and no term wastes spend.`,
  });
  if (findings.length === 0) return { outcome, proposals, approval: null };
  const draft: ApplyAmazonBidChangesDraft = {
    ...proposals,
    note: 'Bids are set on the keywords; negatives are negative exact in the ad group the term came from.',
  };
  const { approval, created } = await context.approvals.request({
    action: applyAmazonBidChanges,
    title: `Amazon Ads: ${proposals.bids.length} bid change(s), ${proposals.negatives.length} negative keyword(s)`,
    draft,
    requestKey: `amazon-ads-keywords:${fingerprintOf(findings)}`,
  });
  return { outcome, proposals, approval: { id: approval.id, created } };
}

/** mktgbot's amazon-ads-keywords: daily 07:50 (fleet time zone). */
export const amazonAdsKeywords = defineJob({
  id: 'amazon-ads-keywords',
  schedule: '50 7 * * *',
  description: 'Amazon SP: bids down over target ACOS, up when efficient, negatives on terms that spend without sales (approval apply_amazon_bid_changes)',
  // The v3 reports are asynchronous (create → poll → download): allow for Amazon's queue.
  timeoutMs: 600_000,
  // A daily review: a missed morning catches up once.
  missed: 'once',
  settings: amazonKeywordsSettings,
  async run(context) {
    // The tick's own time: a catch-up run judges the day (or hours) it was scheduled for.
    const { outcome, approval } = await runAmazonAdsKeywords(context, context.config, context.scheduledFor);
    const asked = approval === null ? '' : `; apply_amazon_bid_changes ${approval.created ? 'asked' : 'already asked'} (${approval.id})`;
    return jobOutcome(`${outcome.outcome}${asked}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approval },
    });
  },
});
