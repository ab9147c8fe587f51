import { z } from 'zod';
import { defineAction } from '@jbot/core';

const scheduleDraft = z.object({
  posts: z
    .array(
      z.object({
        platform: z.enum(['instagram', 'facebook', 'tiktok', 'pinterest']),
        brand: z.string().min(1),
        /** The slot (ISO instant). */
        publish_at: z.iso.datetime({ offset: true }),
        day: z.iso.date(),
        title: z.string().min(1),
        caption: z.string().min(1),
        hashtags: z.array(z.string()),
        alt_text: z.string().min(1),
        sku: z.string().nullable(),
        pillar: z.string().nullable(),
        /** Rights-cleared UGC the post uses, when any (its public URL is the media). */
        ugc_asset_id: z.string().nullable(),
        media_url: z.string().nullable(),
      }),
    )
    .min(1),
});

/** The approval draft: each post exactly as it will go out. */
export type ScheduleSocialPostsDraft = z.input<typeof scheduleDraft>;

/**
 * `schedule_social_posts`: hand each post to its platform for its slot (IG media container +
 * publish, a scheduled Page post, Pinterest/TikTok on their connector) and put it on the content
 * calendar. Both are keyed by the approval and the post, so nothing goes out twice.
 */
export const scheduleSocialPosts = defineAction({
  name: 'schedule_social_posts',
  draft: scheduleDraft,
  async execute({ posts }, context) {
    const results = [];
    for (const [index, post] of posts.entries()) {
      const key = `${context.idempotencyKey}:post:${index}`;
      const caption = [post.caption, post.hashtags.join(' ')].filter((part) => part !== '').join('\n\n');
      const published = await context.connectors.social.publishPost({
        platform: post.platform,
        brand: post.brand,
        caption,
        altText: post.alt_text,
        publishAt: post.publish_at,
        ...(post.sku === null ? {} : { sku: post.sku }),
        ...(post.media_url === null ? {} : { mediaUrl: post.media_url }),
        idempotencyKey: key,
      });
      await context.db.rpc('content_calendar_add', {
        p_idempotency_key: key,
        p_title: post.title,
        p_brand: post.brand,
        p_platform: post.platform,
        p_scheduled_for: post.day,
        p_caption: caption,
        p_sku: post.sku,
        p_pillar: post.pillar,
      });
      if (post.ugc_asset_id !== null) await context.db.rpc('mark_ugc_asset_used', { p_bot: context.bot, p_asset_id: post.ugc_asset_id });
      results.push({ post_id: published.postId, published: published.published, platform: post.platform });
    }
    const fresh = results.filter((result) => result.published).length;
    return { summary: `${fresh} post${fresh === 1 ? '' : 's'} scheduled`, posts: results };
  },
});
