import { z } from 'zod';
import { defineJob, envInteger, envSettings, jobOutcome, listApprovals, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { SocialPlatform } from '@jbot/connectors';
import { scheduleSocialPosts, type ScheduleSocialPostsDraft } from '../actions/schedule-social-posts.js';
import { addDays, cadenceShape, coverBySku, localDay, readCalendar, type CadenceSettings, type CalendarEntry } from '../calendar.js';
import { structuredOrTemplate, unlessModelInputUnchanged } from '../model-input.js';
import { calendarGaps } from './calendar-gaps.js';

/** post-drafts' settings: the cadence, the drafting window (T+3..T+7) and the posting hour. */
export const postDraftsSettings = envSettings({
  ...cadenceShape,
  FLEET_TZ: timeZone('UTC'),
  SOCIAL_DRAFT_FROM_DAYS: envInteger(3, 0, 30),
  SOCIAL_DRAFT_TO_DAYS: envInteger(7, 0, 30),
  /** The hour (company zone) drafted posts are slotted at. */
  SOCIAL_POST_HOUR: envInteger(11, 0, 23),
});

/** The parsed settings. */
export type PostDraftsSettings = CadenceSettings & { FLEET_TZ: string; SOCIAL_DRAFT_FROM_DAYS: number; SOCIAL_DRAFT_TO_DAYS: number; SOCIAL_POST_HOUR: number };

/** One slot to fill. */
export interface PostSlot {
  brand: string;
  platform: SocialPlatform;
  day: string;
  sku: string | null;
  pillar: string;
  ugc: { asset_id: string; permalink: string | null } | null;
}

const captionsSchema = z.object({
  posts: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      title: z.string().min(1),
      caption: z.string().min(1),
      hashtags: z.array(z.string()).max(10),
      alt_text: z.string().min(1),
    }),
  ),
});

const SYSTEM = [
  'You write organic social posts for four brands: Kettle & Crumb (granola), Saltmarsh Apothecary (skincare), Driftwood Candle Co. (candles), Trailhead Coffee Roasters.',
  'For each numbered slot write a title (≤ 60 characters), a caption in the brand voice for the platform, up to 6 hashtags, and alt text that describes the image for a screen reader.',
  'No medical or efficacy claims, no prices, no discount codes. Answer JSON {"posts":[{"index","title","caption","hashtags","alt_text"}]}.',
].join('\n');

/** An offset of the company's zone at a day, so a slot's local hour becomes an instant. */
function slotInstant(day: string, hour: number, zone: string): string {
  const guess = new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  const local = new Date(guess.toLocaleString('en-US', { timeZone: zone }));
  const utc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(guess.getTime() + (utc.getTime() - local.getTime())).toISOString();
}

/**
 * The slots to fill, deterministically: each brand × platform week under cadence that overlaps
 * T+3..T+7 gets its missing posts on the least-planned days of the overlap, each on one of the
 * brand's SKUs with enough cover (never one under stockout_risk), with cleared UGC when there is.
 */
export async function findPostSlots(
  context: Pick<BotContext, 'db' | 'connectors' | 'bot'>,
  settings: PostDraftsSettings,
  now = new Date(),
): Promise<PostSlot[]> {
  const today = localDay(now, settings.FLEET_TZ);
  const [calendar, launches, stock, pillars, ugcRows, pending] = await Promise.all([
    readCalendar(context, today, addDays(today, 13)),
    context.connectors.social.listLaunches(),
    coverBySku(context),
    context.connectors.social.listContentPillars(),
    context.db.rpc('list_ugc_assets', { p_bot: context.bot, p_at: now.toISOString() }),
    listApprovals(context.db, { bot: context.bot, status: 'pending', limit: 200 }),
  ]);
  // Posts drafted and waiting for a decision count as planned: the same gap is not drafted twice.
  const waiting: CalendarEntry[] = pending
    .filter((approval) => approval.action === scheduleSocialPosts.name)
    .flatMap((approval) =>
      ((approval.draft as ScheduleSocialPostsDraft).posts ?? []).map((post, index) => ({
        id: `${approval.id}:${index}`,
        title: post.title,
        brand: post.brand,
        platform: post.platform,
        day: post.day,
        owner: 'socialbot',
        status: 'pending_approval',
        sku: post.sku,
        pillar: post.pillar,
      })),
    );
  const entries = [...calendar, ...waiting];
  const from = addDays(today, settings.SOCIAL_DRAFT_FROM_DAYS);
  const to = addDays(today, settings.SOCIAL_DRAFT_TO_DAYS);
  const ugc = ugcRows.filter((row) => row['used_at'] === null);
  const slots: PostSlot[] = [];
  for (const gap of calendarGaps(entries, launches, settings, today)) {
    const weekEnd = addDays(gap.week, 6);
    const start = gap.week > from ? gap.week : from;
    const end = weekEnd < to ? weekEnd : to;
    if (start > end) continue;
    const days: string[] = [];
    for (let day = start; day <= end; day = addDays(day, 1)) days.push(day);
    const planned = (day: string) => entries.filter((entry) => entry.brand === gap.brand && entry.platform === gap.platform && entry.day === day).length;
    const skus = [...stock.cover.entries()]
      .filter(([sku, cover]) => sku.startsWith(`${gap.brand}-`) && cover >= settings.SOCIAL_MIN_COVER_DAYS && !stock.held.has(sku))
      .sort(([leftSku, left], [rightSku, right]) => right - left || leftSku.localeCompare(rightSku))
      .map(([sku]) => sku);
    for (let index = 0; index < gap.target - gap.scheduled; index += 1) {
      const day = [...days].sort((left, right) => planned(left) - planned(right) || left.localeCompare(right))[index % days.length] ?? start;
      const asset = ugc.find((row) => row['brand'] === gap.brand && !slots.some((slot) => slot.ugc?.asset_id === row['asset_id']));
      slots.push({
        brand: gap.brand,
        platform: gap.platform,
        day,
        sku: skus[index % Math.max(1, skus.length)] ?? null,
        pillar: pillars[(slots.length + index) % Math.max(1, pillars.length)]?.id ?? 'product',
        ugc: asset === undefined ? null : { asset_id: String(asset['asset_id']), permalink: asset['permalink'] === null ? null : String(asset['permalink']) },
      });
    }
  }
  return slots;
}

/** What performed (socialbot's learnings), for the model's context. */
async function performanceNotes(context: BotContext): Promise<string[]> {
  const learnings = await context.db.rpc('list_creative_learnings', { p_bot: context.bot });
  return learnings.filter((row) => row['verdict'] === 'above').map((row) => `${String(row['tag_kind'])} ${String(row['tag_value'])}`);
}

/** Run post-drafts once: slots → one batched fast call (⟳) → one schedule_social_posts approval. */
export async function runPostDrafts(context: BotContext & JobRunInfo, settings: PostDraftsSettings, now = new Date()) {
  const slots = await findPostSlots(context, settings, now);
  if (slots.length === 0) {
    if (context.manual)
      await context.channel.post({ title: `${context.job}: nothing to report`, text: 'The calendar is at cadence for T+3..T+7.', kind: 'note' });
    return { slots, approvalId: null as string | null, modelSkipped: false, modelInput: null as string | null };
  }
  const notes = await performanceNotes(context);
  const drafted = await unlessModelInputUnchanged(context, { slots, notes }, () =>
    structuredOrTemplate(context, {
      tier: 'fast',
      system: SYSTEM,
      prompt: [
        `What performed lately: ${notes.length === 0 ? 'no learnings yet' : notes.join(', ')}.`,
        ...slots.map(
          (slot, index) =>
            `${index}. ${slot.brand} ${slot.platform} on ${slot.day}, pillar ${slot.pillar}, product ${slot.sku ?? 'brand-level'}${slot.ugc === null ? '' : ', featuring a customer photo (UGC)'}`,
        ),
      ].join('\n'),
      schema: captionsSchema,
      maxTokens: 200 + slots.length * 120,
      offline: () => ({
        posts: slots.map((slot, index) => ({
          index,
          title: `${slot.brand} ${slot.pillar} ${slot.platform} post`,
          caption: `${slot.pillar === 'community' ? 'From our community' : 'Made in small batches'}: ${slot.sku ?? 'our range'}.`,
          hashtags: [`#${slot.brand.toLowerCase()}`, '#smallbatch'],
          alt_text: `Product photo of ${slot.sku ?? 'the range'}`,
        })),
      }),
    }),
  );
  if (drafted.skipped)
    return { slots, approvalId: (drafted.earlier['approvalId'] ?? null) as string | null, modelSkipped: true, modelInput: drafted.modelInput };
  const draft: ScheduleSocialPostsDraft = {
    posts: slots.map((slot, index) => {
      const text = drafted.value.value.posts.find((post) => post.index === index);
      return {
        platform: slot.platform,
        brand: slot.brand,
        publish_at: slotInstant(slot.day, settings.SOCIAL_POST_HOUR, settings.FLEET_TZ),
        day: slot.day,
        title: text?.title ?? `${slot.brand} ${slot.platform} post`,
        caption: text?.caption ?? `${slot.brand}: ${slot.sku ?? 'our range'}`,
        hashtags: text?.hashtags ?? [],
        alt_text: text?.alt_text ?? `Photo for ${slot.brand}`,
        sku: slot.sku,
        pillar: slot.pillar,
        ugc_asset_id: slot.ugc?.asset_id ?? null,
        media_url: slot.ugc?.permalink ?? null,
      };
    }),
  };
  const { approval } = await context.approvals.request({
    action: scheduleSocialPosts,
    title: `Schedule ${slots.length} social post${slots.length === 1 ? '' : 's'} for ${[...new Set(slots.map((slot) => slot.day))].sort().join(', ')}${drafted.value.offline ? ' (offline drafts)' : ''}`,
    draft,
    requestKey: `post-drafts:${drafted.modelInput}`,
  });
  return { slots, approvalId: approval.id, modelSkipped: false, modelInput: drafted.modelInput };
}

/** socialbot's post-drafts: weekdays 10:00 (fleet time zone). */
export const postDrafts = defineJob({
  id: 'post-drafts',
  schedule: '0 10 * * 1-5',
  description:
    'Captions, hashtags and alt text for calendar gaps T+3..T+7 on SKUs with cover and cleared UGC (one batched fast call, ⟳) → schedule_social_posts',
  timeoutMs: 180_000,
  missed: 'once',
  settings: postDraftsSettings,
  async run(context) {
    const result = await runPostDrafts(context, context.config as PostDraftsSettings);
    const outcome =
      result.slots.length === 0
        ? 'nothing to report'
        : result.modelSkipped
          ? `${result.slots.length} slot(s), unchanged since the last run (model skipped)`
          : `${result.slots.length} post(s) drafted; schedule_social_posts asked`;
    return jobOutcome(outcome, { detail: { slots: result.slots.length, approvalId: result.approvalId, modelInput: result.modelInput } });
  },
});
