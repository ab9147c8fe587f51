import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { CompetitiveSummary, SellerAccount } from '@jbot/connectors';
import { plural } from '../company-day.js';
import { readMasterCopy, type MasterCopy } from '../master-copy.js';
import { buyBoxLost } from '../signals.js';

/** The job's settings: how many consecutive checks make a loss (catalogue default 2). */
export const amazonOfferWatchSettings = envSettings({
  AMAZON_BUY_BOX_LOST_CHECKS: envInteger(2, 1, 48),
});

/** The parsed settings. */
export type AmazonOfferWatchConfig = SettingsOf<typeof amazonOfferWatchSettings>;

/** One ASIN whose featured offer is not ours. */
export interface OfferFinding {
  asin: string;
  sku: string;
  kind: 'lost' | 'no_featured_offer';
  winnerSellerId: string | null;
  winnerPrice: number | null;
  ourPrice: number | null;
  mapPrice: number | null;
  belowMap: boolean;
  wholesaleAccount: SellerAccount | null;
  competitivePrice: number | null;
  consecutiveChecks: number;
}

/**
 * The rules, pure: the featured offer not ours on `lostChecks` consecutive checks → lost (a MAP
 * case when the winner is one of our wholesale accounts below MAP); no featured offer at all on
 * as many checks → suppressed (usually our price above the Competitive Price).
 */
export function findOfferProblems(input: {
  summaries: readonly CompetitiveSummary[];
  streaks: ReadonlyMap<string, number>;
  skuOf: ReadonlyMap<string, string>;
  master: ReadonlyMap<string, MasterCopy>;
  ourPrice: ReadonlyMap<string, number | null>;
  accounts: readonly SellerAccount[];
  sellerId: string;
  lostChecks: number;
}): OfferFinding[] {
  const findings: OfferFinding[] = [];
  for (const summary of input.summaries) {
    const featured = summary.featuredOffer;
    if (featured !== null && featured.sellerId === input.sellerId) continue;
    const streak = input.streaks.get(summary.asin) ?? 0;
    if (streak < input.lostChecks) continue;
    const sku = input.skuOf.get(summary.asin) ?? summary.asin;
    const mapPrice = input.master.get(sku)?.mapPrice ?? null;
    const account = featured === null ? null : (input.accounts.find((candidate) => candidate.sellerId === featured.sellerId) ?? null);
    findings.push({
      asin: summary.asin,
      sku,
      kind: featured === null ? 'no_featured_offer' : 'lost',
      winnerSellerId: featured?.sellerId ?? null,
      winnerPrice: featured?.price ?? null,
      ourPrice: input.ourPrice.get(summary.asin) ?? null,
      mapPrice,
      belowMap: featured !== null && mapPrice !== null && featured.price < mapPrice,
      wholesaleAccount: account,
      competitivePrice: summary.competitivePrice,
      consecutiveChecks: streak,
    });
  }
  return findings.sort((left, right) => left.sku.localeCompare(right.sku));
}

const money = (value: number | null) => (value === null ? '?' : `$${value.toFixed(2)}`);

function findingLine(finding: OfferFinding): string {
  if (finding.kind === 'no_featured_offer')
    return `• ${finding.sku} (${finding.asin}): no featured offer for ${finding.consecutiveChecks} checks — our ${money(finding.ourPrice)} vs Competitive Price ${money(finding.competitivePrice)}`;
  const who =
    finding.wholesaleAccount === null
      ? `seller ${finding.winnerSellerId}`
      : `our wholesale account **${finding.wholesaleAccount.accountName}** (${finding.winnerSellerId})`;
  const map = finding.belowMap ? ` — **below MAP ${money(finding.mapPrice)}**` : '';
  return `• ${finding.sku} (${finding.asin}): Buy Box held by ${who} at ${money(finding.winnerPrice)} vs our ${money(finding.ourPrice)}${map} (${finding.consecutiveChecks} checks)`;
}

/**
 * Run amazon-offer-watch once: read every buyable ASIN's competitive summary, record the check,
 * find losses, signal each (one signal per ASIN and winner a day), post on change. No model.
 */
export async function runAmazonOfferWatch(context: BotContext & JobRunInfo, config: AmazonOfferWatchConfig) {
  const { marketplace, crm } = context.connectors;
  const listings = await marketplace.listListings();
  // A listing that is not buyable has no offer to win: amazon-listing-health owns it.
  const buyable = listings.filter((listing) => listing.statuses.includes('BUYABLE'));
  const summaries = await marketplace.getCompetitiveSummaries(buyable.map((listing) => listing.asin));
  const checks = summaries.map((summary) => ({
    asin: summary.asin,
    featured_seller_id: summary.featuredOffer?.sellerId ?? null,
    featured_price: summary.featuredOffer?.price ?? null,
    ours: summary.featuredOffer?.sellerId === marketplace.sellerId,
  }));
  const recorded = await context.db.rpc('record_featured_offer_checks', { p_checks: checks, p_checked_at: context.scheduledFor.toISOString() });
  const streaks = new Map(recorded.map((row) => [String(row['asin']), Number(row['consecutive_not_ours'])]));
  const winners = [
    ...new Set(
      summaries.flatMap((summary) =>
        summary.featuredOffer === null || summary.featuredOffer.sellerId === marketplace.sellerId ? [] : [summary.featuredOffer.sellerId],
      ),
    ),
  ];
  const [master, accounts] = await Promise.all([readMasterCopy(context.db), crm.findAccountsBySellerId(winners)]);
  const findings = findOfferProblems({
    summaries,
    streaks,
    skuOf: new Map(listings.map((listing) => [listing.asin, listing.sku])),
    master,
    ourPrice: new Map(listings.map((listing) => [listing.asin, listing.price])),
    accounts,
    sellerId: marketplace.sellerId,
    lostChecks: config.AMAZON_BUY_BOX_LOST_CHECKS,
  });
  for (const finding of findings) {
    await context.signals.emit(
      buyBoxLost.type,
      {
        asin: finding.asin,
        sku: finding.sku,
        winner_seller_id: finding.winnerSellerId,
        winner_price: finding.winnerPrice,
        our_price: finding.ourPrice,
        map_price: finding.mapPrice,
        below_map: finding.belowMap,
        wholesale_account_id: finding.wholesaleAccount?.accountId ?? null,
        wholesale_account: finding.wholesaleAccount?.accountName ?? null,
        suppressed: finding.kind === 'no_featured_offer',
        competitive_price: finding.competitivePrice,
        checks: finding.consecutiveChecks,
      },
      // A loss that persists all day is one signal, not twenty-four.
      { severity: 'warning', dedupeKey: `buy_box_lost:${finding.asin}:${finding.winnerSellerId ?? 'none'}`, dedupeWindowMs: 86_400_000 },
    );
  }
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => [finding.asin, finding.kind, finding.winnerSellerId, finding.belowMap]),
    noun: 'Buy Box problem',
    message: () => ({
      kind: 'report',
      severity: 'warning',
      title: `Buy Box: ${plural(findings.length, 'ASIN')} not ours`,
      text: findings.map(findingLine).join('\n'),
    }),
    nothingLine: `We hold the featured offer on all ${summaries.length} buyable ASINs.`,
  });
  return { ...outcome, fingerprint: fingerprintOf(findings.map((finding) => [finding.asin, finding.kind, finding.winnerSellerId, finding.belowMap])) };
}

/** contentbot's amazon-offer-watch: hourly at :10. */
export const amazonOfferWatch = defineJob({
  id: 'amazon-offer-watch',
  schedule: '10 * * * *',
  description: 'Who holds the Buy Box on each of our ASINs; lost on 2 checks, none at all, or a wholesale account below MAP → buy_box_lost',
  timeoutMs: 300_000,
  // Hourly: the next tick covers a missed one.
  overlap: 'skip',
  missed: 'skip',
  settings: amazonOfferWatchSettings,
  async run(context) {
    const outcome = await runAmazonOfferWatch(context, context.config);
    return jobOutcome(outcome.outcome, { fingerprint: outcome.fingerprint, ...(outcome.detail === undefined ? {} : { detail: outcome.detail }) });
  },
});
