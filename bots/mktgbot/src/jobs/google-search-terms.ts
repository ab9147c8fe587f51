import {
  defineJob,
  envInteger,
  envList,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  type BotContext,
  type JobRunInfo,
} from '@jbot/core';
import type { GoogleAdsCampaign, GoogleAdsKeyword, GoogleAdsSearchTerm } from '@jbot/connectors';
import { applyNegativeKeywords, type ApplyNegativeKeywordsDraft } from '../search/apply-negative-keywords.js';

/** The job's settings, with the catalogue's thresholds as defaults. */
export const searchTermsSettings = envSettings({
  /** A term that cost at least this in 14 days… (catalogue: $50) */
  GOOGLE_NEGATIVE_MIN_COST: envNumber(50, 0),
  /** …with at least this many clicks and no conversion becomes a negative (catalogue: 20). */
  GOOGLE_NEGATIVE_MIN_CLICKS: envInteger(20, 1, 1_000_000),
  /** A term with at least this many conversions… (catalogue: 3) */
  GOOGLE_ADD_MIN_CONVERSIONS: envNumber(3, 0.1),
  /** …at a CPA no higher than the target, not yet a keyword, is proposed as one. */
  GOOGLE_ADS_TARGET_CPA: envNumber(40, 0.01),
  /** Brand words: a term containing one is never a negative (defaults: the sample company's four brands). */
  GOOGLE_ADS_BRAND_TERMS: envList.default(['kettle & crumb', 'kettle and crumb', 'saltmarsh', 'driftwood candle', 'trailhead coffee']),
});

type SearchTermsSettings = ReturnType<typeof searchTermsSettings.load>;

/** One proposed change. */
export interface SearchTermProposal {
  kind: 'negative' | 'add';
  campaign_id: string;
  ad_group_id: string;
  campaign: string;
  term: string;
  cost: number;
  clicks: number;
  conversions: number;
}

const normal = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The catalogue's rules over 14 days of search terms: cost ≥ the minimum, no conversions and
 * enough clicks → negative exact (never a brand term, never one already negative); enough
 * conversions at a CPA within target and not already a keyword of the campaign → add.
 */
export function judgeSearchTerms(
  terms: readonly GoogleAdsSearchTerm[],
  keywords: readonly GoogleAdsKeyword[],
  campaigns: readonly GoogleAdsCampaign[],
  settings: SearchTermsSettings,
): SearchTermProposal[] {
  const brand = settings.GOOGLE_ADS_BRAND_TERMS.map(normal).filter((word) => word.length > 0);
  const names = new Map(campaigns.map((campaign) => [campaign.id, campaign.name]));
  const has = (campaignId: string, text: string, negative: boolean) =>
    keywords.some((keyword) => keyword.campaignId === campaignId && keyword.negative === negative && normal(keyword.text) === normal(text));
  const proposals: SearchTermProposal[] = [];
  for (const term of terms) {
    const base = {
      campaign_id: term.campaignId,
      ad_group_id: term.adGroupId,
      campaign: names.get(term.campaignId) ?? term.campaignId,
      term: normal(term.term),
      cost: Math.round(term.cost * 100) / 100,
      clicks: term.clicks,
      conversions: term.conversions,
    };
    const isBrand = brand.some((word) => normal(term.term).includes(word));
    if (
      term.cost >= settings.GOOGLE_NEGATIVE_MIN_COST &&
      term.conversions === 0 &&
      term.clicks >= settings.GOOGLE_NEGATIVE_MIN_CLICKS &&
      !isBrand &&
      !has(term.campaignId, term.term, true)
    )
      proposals.push({ kind: 'negative', ...base });
    else if (
      term.conversions >= settings.GOOGLE_ADD_MIN_CONVERSIONS &&
      term.cost / term.conversions <= settings.GOOGLE_ADS_TARGET_CPA &&
      !has(term.campaignId, term.term, false)
    )
      proposals.push({ kind: 'add', ...base });
  }
  return proposals.sort((left, right) => left.kind.localeCompare(right.kind) || right.cost - left.cost || left.term.localeCompare(right.term));
}

/** The #mktg-bot post: negatives with the money they wasted, additions with their CPA. */
export function searchTermsMessage(proposals: readonly SearchTermProposal[]): string {
  const negatives = proposals.filter((proposal) => proposal.kind === 'negative');
  const additions = proposals.filter((proposal) => proposal.kind === 'add');
  const lines: string[] = [];
  if (negatives.length > 0) {
    lines.push(`**Negatives** ($${negatives.reduce((total, item) => total + item.cost, 0).toFixed(2)} spent, 0 conversions in 14 days):`);
    for (const item of negatives) lines.push(`• "${item.term}" — ${item.campaign}: $${item.cost.toFixed(2)}, ${item.clicks} clicks`);
  }
  if (additions.length > 0) {
    lines.push(`**New keywords** (converting, not yet keywords):`);
    for (const item of additions)
      lines.push(`• "${item.term}" — ${item.campaign}: ${item.conversions} conversions at $${(item.cost / item.conversions).toFixed(2)} CPA`);
  }
  lines.push('', 'Approve apply_negative_keywords to add them in Google Ads.');
  return lines.join('\n');
}

/**
 * Run the review once: post the proposals on change and ask `apply_negative_keywords` for the
 * set (keyed by its fingerprint, so a rerun on the same terms asks nothing new).
 */
export async function runGoogleSearchTerms(
  context: BotContext & JobRunInfo,
  settings = searchTermsSettings.load({}),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; proposals: SearchTermProposal[]; approval: { id: string; created: boolean } | null }> {
  const { googleAds } = context.connectors;
  const [terms, keywords, campaigns] = await Promise.all([googleAds.searchTerms(), googleAds.listKeywords(), googleAds.listCampaigns()]);
  const proposals = judgeSearchTerms(terms, keywords, campaigns, settings);
  const outcome = await reportFindings(context, {
    findings: proposals,
    noun: 'keyword change',
    message: (found) => ({
      title: `Google search terms: ${found.filter((item) => item.kind === 'negative').length} negatives, ${found.filter((item) => item.kind === 'add').length} new keywords`,
      text: searchTermsMessage(found),
      kind: 'note',
    }),
    nothingLine: `${terms.length} search terms over 14 days: none wasted ≥ $${settings.GOOGLE_NEGATIVE_MIN_COST} without converting, no converting term left out.`,
  });
  if (proposals.length === 0) return { outcome, proposals, approval: null };
  const draft: ApplyNegativeKeywordsDraft = {
    negatives: proposals
      .filter((item) => item.kind === 'negative')
      .map((item) => ({
        campaign_id: item.campaign_id,
        campaign: item.campaign,
        term: item.term,
        cost: item.cost,
        clicks: item.clicks,
        conversions: item.conversions,
      })),
    additions: proposals
      .filter((item) => item.kind === 'add')
      .map((item) => ({
        campaign_id: item.campaign_id,
        ad_group_id: item.ad_group_id,
        campaign: item.campaign,
        term: item.term,
        conversions: item.conversions,
        cpa: Math.round((item.cost / item.conversions) * 100) / 100,
      })),
    note: 'Negatives are campaign-level negative exact; additions are exact keywords in the ad group the term came from.',
  };
  const wasted = draft.negatives.reduce((total, item) => total + item.cost, 0);
  const { approval, created } = await context.approvals.request({
    action: applyNegativeKeywords,
    title: `Google Ads: ${draft.negatives.length} negative keyword(s) ($${wasted.toFixed(0)} wasted in 14 d) and ${draft.additions.length} new keyword(s)`,
    draft,
    requestKey: `google-search-terms:${fingerprintOf(proposals.map((item) => [item.kind, item.campaign_id, item.term]))}`,
  });
  return { outcome, proposals, approval: { id: approval.id, created } };
}

/** mktgbot's google-search-terms: weekdays 07:40 (fleet time zone). */
export const googleSearchTerms = defineJob({
  id: 'google-search-terms',
  schedule: '40 7 * * 1-5',
  description: 'Search terms that spent without converting → negatives; converting terms not yet keywords → additions (approval apply_negative_keywords)',
  timeoutMs: 180_000,
  // A daily review: a missed morning catches up once.
  missed: 'once',
  settings: searchTermsSettings,
  async run(context) {
    const { outcome, approval } = await runGoogleSearchTerms(context, context.config);
    const asked = approval === null ? '' : `; apply_negative_keywords ${approval.created ? 'asked' : 'already asked'} (${approval.id})`;
    return jobOutcome(`${outcome.outcome}${asked}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approval },
    });
  },
});
