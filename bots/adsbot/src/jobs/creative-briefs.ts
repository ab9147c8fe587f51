import { z } from 'zod';
import { defineJob, envInteger, envSettings, jobOutcome, listApprovals, type BotContext, type JobRunInfo } from '@jbot/core';
import type { AdSet, CreativeAd } from '@jbot/connectors';
import { createAdDrafts, type CreateAdDraftsDraft } from '../actions/create-ad-drafts.js';
import { structuredOrTemplate, unlessModelInputUnchanged } from '../model-input.js';
import { creativeFatigueSettings, findFatiguedAds } from './creative-fatigue.js';

/** Thresholds: how few healthy creatives make an ad set thin, and how many briefs a day at most. */
export const creativeBriefsSettings = envSettings({
  ...creativeFatigueSettings.shape,
  ADS_BRIEFS_MIN_HEALTHY_CREATIVES: envInteger(3, 1, 20),
  ADS_BRIEFS_MAX_PER_DAY: envInteger(2, 1, 10),
  /** A launch this many days out or nearer without ads gets a brief. */
  ADS_BRIEFS_LAUNCH_DAYS: envInteger(14, 1, 90),
});

/** The parsed settings. */
export type CreativeBriefsSettings = ReturnType<typeof creativeBriefsSettings.load>;

/** Why an ad set needs new creative. */
export interface BriefSubject {
  ad_set_id: string;
  ad_set: string;
  brand: string | null;
  sku: string | null;
  reasons: string[];
  trigger_ids: number[];
  healthy_creatives: number;
  /** Rights-cleared UGC for the brand, newest first (the chain's replacement content). */
  ugc: Array<{ asset_id: string; permalink: string | null }>;
  library: Array<{ asset_id: string; format: string; name: string }>;
}

interface TriggerRow {
  [column: string]: unknown;
  trigger_id: number;
  kind: 'fatigue' | 'launch';
  ref: string;
  brand: string | null;
  ad_set_id: string | null;
  detail: Record<string, unknown>;
}

const briefSchema = z.object({
  briefs: z.array(
    z.object({
      ad_set_id: z.string(),
      angle: z.string().min(1),
      hook: z.string().min(1),
      format: z.string().min(1),
      variants: z
        .array(z.object({ title: z.string().min(1), body: z.string().min(1) }))
        .min(1)
        .max(3),
    }),
  ),
});

const SYSTEM = [
  'You are the creative strategist of a consumer-goods company (Driftwood candles, Saltmarsh skincare, Kettle & Crumb granola, Trailhead coffee).',
  'For each ad set given, write one creative brief: an angle, a hook, a format, and up to 3 copy variants (title ≤ 40 characters, body ≤ 125 characters).',
  'Build on the hooks and formats that won tests; stay in the brand voice; make no medical, efficacy or price claims.',
  'Answer JSON {"briefs":[{"ad_set_id","angle","hook","format","variants":[{"title","body"}]}]}.',
].join('\n');

/**
 * Which ad sets need creative, deterministically: open triggers (new fatigue, a launch without
 * ads) and active ad sets under 3 non-fatigued active creatives; fatigue first, at most 2 a day.
 */
export async function findBriefSubjects(context: BotContext, settings: CreativeBriefsSettings, now = new Date()): Promise<BriefSubject[]> {
  const [adSets, ads, fatigue, triggers, ugc, library] = await Promise.all([
    context.connectors.ads.listAdSets(),
    context.connectors.ads.listAds(),
    findFatiguedAds(context.connectors, settings, now),
    context.db.rpc<TriggerRow>('list_open_ad_brief_triggers'),
    context.db.rpc('list_ugc_assets', { p_bot: context.bot, p_at: now.toISOString() }),
    context.connectors.ads.listCreativeAssets(),
  ]);
  const fatigued = new Set(fatigue.fatigued.map((ad) => ad.ad_id));
  const subjects = new Map<string, BriefSubject>();
  const subjectOf = (adSet: AdSet, adsOfSet: CreativeAd[]): BriefSubject => {
    const existing = subjects.get(adSet.id);
    if (existing !== undefined) return existing;
    const healthy = adsOfSet.filter((ad) => ad.status === 'ACTIVE' && !fatigued.has(ad.id)).length;
    const subject: BriefSubject = {
      ad_set_id: adSet.id,
      ad_set: adSet.name,
      brand: adSet.brand,
      sku: adsOfSet.find((ad) => ad.sku !== null)?.sku ?? null,
      reasons: [],
      trigger_ids: [],
      healthy_creatives: healthy,
      ugc: ugc
        .filter((asset) => asset['brand'] === adSet.brand && asset['used_at'] === null)
        .map((asset) => ({ asset_id: String(asset['asset_id']), permalink: asset['permalink'] === null ? null : String(asset['permalink']) })),
      library: library
        .filter((asset) => asset.brand === adSet.brand)
        .slice(0, 4)
        .map((asset) => ({ asset_id: asset.id, format: asset.format, name: asset.name })),
    };
    subjects.set(adSet.id, subject);
    return subject;
  };
  const adsOf = (adSetId: string) => ads.filter((ad) => ad.adSetId === adSetId);
  for (const trigger of triggers) {
    if (trigger.kind === 'fatigue') {
      const adSet = adSets.find((candidate) => candidate.id === trigger.ad_set_id);
      if (adSet === undefined) continue;
      const subject = subjectOf(adSet, adsOf(adSet.id));
      subject.reasons.push(`fatigue on ${String(trigger.detail['ad_name'] ?? trigger.ref)}`);
      subject.trigger_ids.push(Number(trigger.trigger_id));
    } else {
      const launchDay = String(trigger.detail['date'] ?? '');
      const daysOut = (new Date(`${launchDay}T00:00:00Z`).getTime() - now.getTime()) / 86_400_000;
      if (!(daysOut <= settings.ADS_BRIEFS_LAUNCH_DAYS)) continue;
      const adSet = adSets.find((candidate) => candidate.brand === trigger.brand && candidate.status === 'ACTIVE' && !/creative test/i.test(candidate.name));
      if (adSet === undefined) continue;
      const subject = subjectOf(adSet, adsOf(adSet.id));
      subject.reasons.push(`launch ${String(trigger.detail['launch'] ?? trigger.ref)} on ${launchDay} has no ads`);
      subject.trigger_ids.push(Number(trigger.trigger_id));
    }
  }
  for (const adSet of adSets) {
    if (adSet.status !== 'ACTIVE') continue;
    const adsOfSet = adsOf(adSet.id);
    const healthy = adsOfSet.filter((ad) => ad.status === 'ACTIVE' && !fatigued.has(ad.id)).length;
    if (healthy >= settings.ADS_BRIEFS_MIN_HEALTHY_CREATIVES) continue;
    subjectOf(adSet, adsOfSet).reasons.push(
      `${healthy} healthy active creative${healthy === 1 ? '' : 's'} (under ${settings.ADS_BRIEFS_MIN_HEALTHY_CREATIVES})`,
    );
  }
  // An ad set whose drafts wait for a decision is briefed already: no second brief until it is decided.
  const waiting = new Set(
    (await listApprovals(context.db, { bot: context.bot, status: 'pending', limit: 200 }))
      .filter((approval) => approval.action === createAdDrafts.name)
      .map((approval) => String((approval.draft as { ad_set_id?: unknown }).ad_set_id)),
  );
  const rank = (subject: BriefSubject) =>
    subject.reasons.some((reason) => reason.startsWith('fatigue')) ? 0 : subject.reasons.some((reason) => reason.startsWith('launch')) ? 1 : 2;
  return [...subjects.values()]
    .filter((subject) => subject.reasons.length > 0 && !waiting.has(subject.ad_set_id))
    .sort((left, right) => rank(left) - rank(right) || left.healthy_creatives - right.healthy_creatives || left.ad_set_id.localeCompare(right.ad_set_id))
    .slice(0, settings.ADS_BRIEFS_MAX_PER_DAY);
}

/** The winning hooks and formats of past tests, as the model's context. */
async function winningTags(context: BotContext): Promise<string[]> {
  const learnings = await context.db.rpc('list_creative_learnings', { p_bot: context.bot });
  return learnings.filter((row) => row['verdict'] === 'won').map((row) => `${String(row['tag_kind'])}: ${String(row['tag_value'])}`);
}

function offlineBriefs(subjects: readonly BriefSubject[], winners: readonly string[]): z.output<typeof briefSchema> {
  const hook = winners.find((tag) => tag.startsWith('hook: '))?.slice(6) ?? 'social-proof';
  return {
    briefs: subjects.map((subject) => ({
      ad_set_id: subject.ad_set_id,
      angle: `Fresh creative for ${subject.ad_set} (${subject.reasons.join('; ')})`,
      hook,
      format: subject.ugc.length > 0 ? 'ugc_video' : 'video',
      variants: [
        { title: 'Made by hand, made to last', body: 'Small-batch and made in Portland. See why customers keep coming back.' },
        { title: 'Loved by our customers', body: 'Real customers, real homes. Find your favourite.' },
      ],
    })),
  };
}

/** Run creative-briefs once: find subjects; draft briefs (smart tier, ⟳); ask create_ad_drafts per brief. */
export async function runCreativeBriefs(context: BotContext & JobRunInfo, settings: CreativeBriefsSettings, now = new Date()) {
  const subjects = await findBriefSubjects(context, settings, now);
  if (subjects.length === 0) {
    if (context.manual)
      await context.channel.post({
        title: `${context.job}: nothing to report`,
        text: 'Every ad set has 3 healthy creatives and no open trigger.',
        kind: 'note',
      });
    return { subjects, approvals: [] as string[], modelSkipped: false, modelInput: null as string | null, offline: false };
  }
  const winners = await winningTags(context);
  const guidelines = await context.connectors.ads.listBrandGuidelines();
  const input = { subjects, winners, guidelines };
  const drafted = await unlessModelInputUnchanged(context, input, () =>
    structuredOrTemplate(context, {
      tier: 'smart',
      system: SYSTEM,
      prompt: [
        `Winning tags from tests: ${winners.length === 0 ? 'none yet' : winners.join(', ')}.`,
        ...guidelines.map((guideline) => `Brand ${guideline.brand} voice: ${guideline.voice}`),
        ...subjects.map(
          (subject) =>
            `Ad set ${subject.ad_set_id} "${subject.ad_set}" (brand ${subject.brand ?? '?'}, SKU ${subject.sku ?? '?'}): ${subject.reasons.join('; ')}. ${subject.ugc.length} rights-cleared UGC asset(s), library: ${subject.library.map((asset) => asset.format).join(', ')}.`,
        ),
      ].join('\n'),
      schema: briefSchema,
      maxTokens: 1500,
      offline: () => offlineBriefs(subjects, winners),
    }),
  );
  if (drafted.skipped)
    return { subjects, approvals: (drafted.earlier['approvals'] ?? []) as string[], modelSkipped: true, modelInput: drafted.modelInput, offline: false };
  const approvals: string[] = [];
  const lines: string[] = [];
  for (const brief of drafted.value.value.briefs) {
    const subject = subjects.find((candidate) => candidate.ad_set_id === brief.ad_set_id);
    if (subject === undefined) continue;
    const asset = subject.ugc[0] ?? null;
    const draft: CreateAdDraftsDraft = {
      ad_set_id: subject.ad_set_id,
      brief: `${brief.angle} — hook: ${brief.hook}; format: ${brief.format}`,
      ads: brief.variants.map((variant, index) => ({
        name: `${subject.ad_set.split('|').slice(0, 1).join('').trim()} | ${brief.hook} ${index + 1}${asset === null ? '' : ' (UGC)'}`,
        title: variant.title,
        body: variant.body,
        format: asset === null ? brief.format : 'ugc_video',
        hook: brief.hook,
        asset_id: asset?.asset_id ?? subject.library[index % Math.max(1, subject.library.length)]?.asset_id ?? null,
        ugc: asset !== null,
        sku: subject.sku,
      })),
    };
    const { approval } = await context.approvals.request({
      action: createAdDrafts,
      title: `Create ${draft.ads.length} ad draft${draft.ads.length === 1 ? '' : 's'} for ${subject.ad_set}`,
      draft,
      requestKey: `creative-briefs:${subject.ad_set_id}:${drafted.modelInput}`,
    });
    approvals.push(approval.id);
    await context.db.rpc('mark_ad_brief_triggers_briefed', { p_trigger_ids: subject.trigger_ids });
    lines.push(
      `**${subject.ad_set}** — ${subject.reasons.join('; ')}`,
      `Angle: ${brief.angle}`,
      `Hook: ${brief.hook} · format: ${brief.format}${asset === null ? '' : ` · UGC ${asset.asset_id}`}`,
      ...brief.variants.map((variant) => `  • "${variant.title}": ${variant.body}`),
      '',
    );
  }
  await context.channel.post({
    title: `Creative briefs: ${approvals.length}${drafted.value.offline ? ' (offline template drafts)' : ''}`,
    text: [...lines, 'Approve create_ad_drafts to create these ads PAUSED on Meta.'].join('\n'),
    kind: 'note',
  });
  return { subjects, approvals, modelSkipped: false, modelInput: drafted.modelInput, offline: drafted.value.offline };
}

/** adsbot's creative-briefs: weekdays 10:00 (fleet time zone). */
export const creativeBriefs = defineJob({
  id: 'creative-briefs',
  schedule: '0 10 * * 1-5',
  description:
    'Briefs where the pipeline is thin (new fatigue, ad sets under 3 healthy creatives, launches ≤ 14 days without ads), ≤ 2 a day, smart tier ⟳ → create_ad_drafts',
  timeoutMs: 300_000,
  missed: 'once',
  settings: creativeBriefsSettings,
  async run(context) {
    const result = await runCreativeBriefs(context, context.config);
    const outcome =
      result.subjects.length === 0
        ? 'nothing to report'
        : result.modelSkipped
          ? `${result.subjects.length} ad set(s) need creative, unchanged since the last run (model skipped)`
          : `${result.approvals.length} brief(s) posted; create_ad_drafts asked`;
    return jobOutcome(outcome, {
      detail: { subjects: result.subjects.map((subject) => subject.ad_set_id), approvals: result.approvals, modelInput: result.modelInput },
    });
  },
});
