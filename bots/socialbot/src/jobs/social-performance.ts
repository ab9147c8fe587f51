import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { SocialPost } from '@jbot/connectors';
import { addDays, localDay } from '../calendar.js';

/** The catalogue's comparison window and the sample size before a tag becomes a learning. */
export const socialPerformanceSettings = envSettings({
  SOCIAL_PERFORMANCE_TRAILING_POSTS: envInteger(30, 3, 500),
  SOCIAL_LEARNING_MIN_POSTS: envInteger(5, 2, 500),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type SocialPerformanceSettings = ReturnType<typeof socialPerformanceSettings.load>;

/** One of yesterday's posts against its platform's recent median. */
export interface PostPerformance {
  post_id: string;
  platform: string;
  brand: string | null;
  format: string;
  engagement_rate_pct: number;
  median_pct: number;
  /** Ratio to the median. */
  index: number;
  decile: 'top' | 'bottom' | null;
}

/** A tag that beats (or trails) the platform median over enough posts. */
export interface TagLearning {
  tag_kind: 'format' | 'pillar' | 'hook' | 'hour';
  tag_value: string;
  platform: string;
  verdict: 'above' | 'below';
  median_pct: number;
  n: number;
}

const rate = (post: SocialPost) => (post.reach === 0 ? 0 : (post.interactions / post.reach) * 100);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (position - low);
}

/**
 * Yesterday's posts (company zone) vs the median engagement rate (interactions ÷ reach) of the
 * platform's previous 30 posts, top and bottom decile marked; tags (format, pillar, hook, hour)
 * with ≥ 5 posts in that window become learnings when their median is above or below the platform's.
 */
export async function measureSocialPerformance(context: Pick<BotContext, 'connectors'>, settings: SocialPerformanceSettings, now = new Date()) {
  const yesterday = addDays(localDay(now, settings.FLEET_TZ), -1);
  const posts = await context.connectors.social.listPosts({ since: new Date(now.getTime() - 90 * 86_400_000) });
  const dayOf = (post: SocialPost) => localDay(new Date(post.publishedAt), settings.FLEET_TZ);
  const hourOf = (post: SocialPost) =>
    Number(new Intl.DateTimeFormat('en-US', { timeZone: settings.FLEET_TZ, hour: 'numeric', hourCycle: 'h23' }).format(new Date(post.publishedAt)));
  const performance: PostPerformance[] = [];
  const learnings: TagLearning[] = [];
  for (const platform of [...new Set(posts.map((post) => post.platform))].sort()) {
    const trailing = posts.filter((post) => post.platform === platform && dayOf(post) < yesterday).slice(-settings.SOCIAL_PERFORMANCE_TRAILING_POSTS);
    if (trailing.length === 0) continue;
    const rates = trailing.map(rate);
    const median = quantile(rates, 0.5);
    const top = quantile(rates, 0.9);
    const bottom = quantile(rates, 0.1);
    for (const post of posts.filter((candidate) => candidate.platform === platform && dayOf(candidate) === yesterday)) {
      const value = rate(post);
      performance.push({
        post_id: post.id,
        platform,
        brand: post.brand,
        format: post.format,
        engagement_rate_pct: round(value),
        median_pct: round(median),
        index: median === 0 ? 0 : round(value / median),
        decile: value >= top ? 'top' : value <= bottom ? 'bottom' : null,
      });
    }
    const tagged: Array<[TagLearning['tag_kind'], (post: SocialPost) => string | null]> = [
      ['format', (post) => post.format],
      ['pillar', (post) => post.pillar],
      ['hook', (post) => post.hook],
      ['hour', (post) => String(hourOf(post))],
    ];
    for (const [kind, valueOf] of tagged) {
      const groups = new Map<string, number[]>();
      for (const post of trailing) {
        const value = valueOf(post);
        if (value !== null) groups.set(value, [...(groups.get(value) ?? []), rate(post)]);
      }
      for (const [value, groupRates] of groups) {
        if (groupRates.length < settings.SOCIAL_LEARNING_MIN_POSTS) continue;
        const groupMedian = quantile(groupRates, 0.5);
        // Within ±10% of the platform median teaches nothing.
        if (Math.abs(groupMedian - median) < median * 0.1) continue;
        learnings.push({
          tag_kind: kind,
          tag_value: value,
          platform,
          verdict: groupMedian > median ? 'above' : 'below',
          median_pct: round(groupMedian),
          n: groupRates.length,
        });
      }
    }
  }
  performance.sort((left, right) => right.index - left.index || left.post_id.localeCompare(right.post_id));
  return { yesterday, performance, learnings };
}

/** Run social-performance once: post, record learnings, one bot_note for the digest. */
export async function runSocialPerformance(context: BotContext & JobRunInfo, settings: SocialPerformanceSettings, now = new Date()) {
  const { yesterday, performance, learnings } = await measureSocialPerformance(context, settings, now);
  const outcome = await reportFindings(context, {
    findings: performance,
    noun: 'post',
    message: (findings) => ({
      title: `Social performance ${yesterday}: ${findings.length} post${findings.length === 1 ? '' : 's'}`,
      text: [
        ...findings.map(
          (post) =>
            `• ${post.decile === 'top' ? '🏆 ' : post.decile === 'bottom' ? '⚠️ ' : ''}${post.platform} ${post.post_id} (${post.brand ?? '—'}, ${post.format}): ${post.engagement_rate_pct}% vs median ${post.median_pct}% (×${post.index})`,
        ),
        '',
        learnings.length === 0
          ? 'No tag with 5+ posts stands out yet.'
          : `What winners share: ${
              learnings
                .filter((learning) => learning.verdict === 'above')
                .map((learning) => `${learning.platform} ${learning.tag_kind} ${learning.tag_value} (${learning.median_pct}%, n=${learning.n})`)
                .join('; ') || 'nothing above the median yet'
            }.`,
      ].join('\n'),
      kind: 'note',
    }),
    nothingLine: `No organic posts went out on ${yesterday}.`,
  });
  for (const learning of learnings)
    await context.db.rpc('record_creative_learning', {
      p_bot: context.bot,
      p_source: learning.platform,
      p_tag_kind: learning.tag_kind,
      p_tag_value: learning.tag_value,
      p_verdict: learning.verdict,
      p_metric: 'engagement_rate_pct',
      p_value: learning.median_pct,
      p_n: learning.n,
    });
  if (performance.length > 0) {
    const best = performance[0];
    const worst = performance.at(-1);
    await context.signals.emit(
      'bot_note',
      {
        text: `Organic ${yesterday}: ${performance.length} posts; best ${best?.platform} ${best?.post_id} ×${best?.index}, weakest ${worst?.platform} ${worst?.post_id} ×${worst?.index} of median`,
        detail: {
          kind: 'social_performance',
          day: yesterday,
          posts: performance.length,
          top: performance.filter((post) => post.decile === 'top').map((post) => post.post_id),
          bottom: performance.filter((post) => post.decile === 'bottom').map((post) => post.post_id),
        },
      },
      { dedupeKey: `social_performance:${yesterday}`, dedupeWindowMs: 86_400_000 },
    );
  }
  return { outcome, performance, learnings };
}

/** socialbot's social-performance: daily 09:00 (fleet time zone). */
export const socialPerformance = defineJob({
  id: 'social-performance',
  schedule: '0 9 * * *',
  description:
    "Yesterday's organic posts vs each platform's trailing-30-post median engagement rate, top/bottom decile, tag learnings (n ≥ 5) → bot_note social_performance",
  timeoutMs: 120_000,
  missed: 'once',
  settings: socialPerformanceSettings,
  async run(context) {
    const { outcome, learnings } = await runSocialPerformance(context, context.config);
    return jobOutcome(outcome.outcome, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, learnings: learnings.length },
    });
  },
});
