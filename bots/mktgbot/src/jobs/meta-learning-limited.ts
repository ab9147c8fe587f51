import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { AdSetLearning } from '@jbot/connectors';
import { consolidateAdsets } from '../paid-media/consolidate-adsets.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's thresholds as defaults. */
export const learningLimitedSettings = envSettings({
  /** Learning Limited for at least this many days (counted from the last significant edit). */
  META_LEARNING_LIMITED_DAYS: envInteger(7, 1, 90),
  /** The weekly optimisation events Meta's learning phase needs (~50). */
  META_LEARNING_EVENTS_PER_WEEK: envInteger(50, 1, 10_000),
});

type LearningLimitedSettings = ReturnType<typeof learningLimitedSettings.load>;

/** A campaign whose Learning-Limited ad sets together would exit learning. */
export interface ConsolidationProposal {
  campaign_id: string;
  campaign: string;
  keep: AdSetLearning;
  pause: AdSetLearning[];
  combined_events_7d: number;
}

/** Ad sets Learning Limited for the window, grouped by campaign; ≥ 2 in one campaign with combined events ≥ the weekly need → merge into the one with most events. Pure. */
export function findConsolidations(
  adSets: readonly AdSetLearning[],
  settings: LearningLimitedSettings,
  now: Date,
): { limited: AdSetLearning[]; proposals: ConsolidationProposal[] } {
  const limited = adSets.filter(
    (adSet) =>
      adSet.status === 'ACTIVE' &&
      adSet.learningStatus === 'FAIL' &&
      adSet.lastSignificantEditAt !== null &&
      now.getTime() - Date.parse(adSet.lastSignificantEditAt) >= settings.META_LEARNING_LIMITED_DAYS * DAY_MS,
  );
  const byCampaign = new Map<string, AdSetLearning[]>();
  for (const adSet of limited) byCampaign.set(adSet.campaignId, [...(byCampaign.get(adSet.campaignId) ?? []), adSet]);
  const proposals: ConsolidationProposal[] = [];
  for (const [campaignId, sets] of byCampaign) {
    const combined = sets.reduce((sum, adSet) => sum + adSet.events7d, 0);
    if (sets.length < 2 || combined < settings.META_LEARNING_EVENTS_PER_WEEK) continue;
    // Keep the strongest (most events, then the larger budget); the rest pause.
    const [keep, ...pause] = [...sets].sort((left, right) => right.events7d - left.events7d || right.dailyBudget - left.dailyBudget);
    if (keep === undefined) continue;
    proposals.push({ campaign_id: campaignId, campaign: campaignId, keep, pause, combined_events_7d: combined });
  }
  return { limited, proposals };
}

/** Run once: the ad sets' learning stage, the post on change, consolidate_adsets per campaign that can exit learning. */
export async function runLearningLimited(
  context: BotContext & JobRunInfo,
  settings = learningLimitedSettings.load({}),
  now = new Date(),
): Promise<{
  outcome: Awaited<ReturnType<typeof reportFindings>>;
  limited: AdSetLearning[];
  proposals: ConsolidationProposal[];
  approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }>;
}> {
  const { paidMedia } = context.connectors;
  const [adSets, campaigns] = await Promise.all([paidMedia.adSetLearning(), paidMedia.listCampaigns()]);
  const names = new Map(campaigns.map((campaign) => [`${campaign.platform}:${campaign.id}`, campaign.name]));
  const { limited, proposals } = findConsolidations(adSets, settings, now);
  for (const proposal of proposals) proposal.campaign = names.get(`meta:${proposal.campaign_id}`) ?? proposal.campaign_id;
  const merged = new Set(proposals.flatMap((proposal) => [proposal.keep.adSetId, ...proposal.pause.map((adSet) => adSet.adSetId)]));
  const outcome = await reportFindings(context, {
    findings: limited.map((adSet) => ({ ad_set_id: adSet.adSetId, campaign_id: adSet.campaignId, merge: merged.has(adSet.adSetId) })),
    noun: 'Learning-Limited ad set',
    message: () => ({
      title: `Meta Learning Limited: ${limited.length} ad set${limited.length === 1 ? '' : 's'}, ${proposals.length} consolidation${proposals.length === 1 ? '' : 's'} proposed`,
      text: [
        ...proposals.map(
          (proposal) =>
            `• **${proposal.campaign}**: ${proposal.pause.length + 1} ad sets in Learning Limited with ${proposal.combined_events_7d} purchases/week together → keep "${proposal.keep.name}", pause ${proposal.pause.map((adSet) => `"${adSet.name}"`).join(', ')}`,
        ),
        ...limited
          .filter((adSet) => !merged.has(adSet.adSetId))
          .map(
            (adSet) =>
              `• "${adSet.name}": ${adSet.events7d} purchases/week alone (no sibling to merge with: broaden the audience or optimise for an earlier event)`,
          ),
      ].join('\n'),
      kind: 'note',
    }),
    nothingLine: `No Meta ad set has been Learning Limited for ${settings.META_LEARNING_LIMITED_DAYS} days.`,
  });
  const approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }> = [];
  for (const proposal of proposals) {
    const newBudget = Math.round((proposal.keep.dailyBudget + proposal.pause.reduce((sum, adSet) => sum + adSet.dailyBudget, 0)) * 100) / 100;
    const { approval, created } = await context.approvals.request({
      action: consolidateAdsets,
      title: `Merge ${proposal.pause.length + 1} Learning-Limited ad sets of "${proposal.campaign}" into "${proposal.keep.name}" ($${newBudget.toFixed(0)}/day)`,
      draft: {
        campaign_id: proposal.campaign_id,
        campaign: proposal.campaign,
        keep: { ad_set_id: proposal.keep.adSetId, name: proposal.keep.name, daily_budget: proposal.keep.dailyBudget, new_daily_budget: newBudget },
        pause: proposal.pause.map((adSet) => ({ ad_set_id: adSet.adSetId, name: adSet.name, daily_budget: adSet.dailyBudget })),
        combined_events_7d: proposal.combined_events_7d,
        reason: `${proposal.pause.length + 1} ad sets Learning Limited for ≥ ${settings.META_LEARNING_LIMITED_DAYS} days; together ${proposal.combined_events_7d} purchases/week (≥ ${settings.META_LEARNING_EVENTS_PER_WEEK} exits learning)`,
      },
      // One proposal per campaign and ad-set set, however many mornings it stays limited.
      requestKey: `meta-learning-limited:${proposal.campaign_id}:${[proposal.keep.adSetId, ...proposal.pause.map((adSet) => adSet.adSetId)].sort().join(',')}`,
    });
    approvals.push({ campaign_id: proposal.campaign_id, approval_id: approval.id, created });
  }
  context.log.info({ limited: limited.length, proposals: proposals.length }, 'meta learning limited');
  return { outcome, limited, proposals, approvals };
}

/** mktgbot's meta-learning-limited: daily 08:45 (fleet time zone). */
export const metaLearningLimited = defineJob({
  id: 'meta-learning-limited',
  schedule: '45 8 * * *',
  description:
    'Meta ad sets stuck in Learning Limited ≥ 7 days, ≥ 2 in one campaign with ≥ 50 events/week together → consolidate_adsets (pause the weaker, move budget to the kept one)',
  timeoutMs: 180_000,
  // Daily: a missed morning catches up once.
  missed: 'once',
  settings: learningLimitedSettings,
  async run(context) {
    const { outcome, approvals } = await runLearningLimited(context, context.config);
    const fresh = approvals.filter((approval) => approval.created).length;
    return jobOutcome(
      `${outcome.outcome}${approvals.length === 0 ? '' : `; consolidate_adsets asked for ${fresh} (${approvals.length - fresh} already asked)`}`,
      {
        ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
        detail: { ...outcome.detail, approvals },
      },
    );
  },
});
