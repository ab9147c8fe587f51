import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { day, instant, text } from '../sample/row-values.js';
import type { SocialConnector, SocialInboxItem, SocialPlatform, SocialPost } from './social-connector.js';

const DAY_MS = 86_400_000;

/** Organic social over the sample company: posts, comments and DMs read from its tables; posts, replies and hides written once per key. */
export function createSampleSocialConnector(db: Db): SocialConnector {
  return {
    source: 'sample',
    async listPosts(options = {}) {
      const since = options.since ?? new Date(Date.now() - 30 * DAY_MS);
      return (await db.rpc('sample_social_posts', { p_since: since.toISOString() })).map((row): SocialPost => ({
        id: String(row['post_id']),
        platform: String(row['platform']) as SocialPlatform,
        brand: text(row['brand']),
        format: String(row['format']),
        pillar: text(row['pillar']),
        hook: text(row['hook']),
        publishedAt: instant(row['published_at']) ?? '',
        caption: String(row['caption']),
        permalink: text(row['permalink']),
        reach: Number(row['reach']),
        interactions: Number(row['interactions']),
        saves: Number(row['saves']),
        shares: Number(row['shares']),
        views: Number(row['views']),
      }));
    },
    async listInbox(options = {}) {
      const since = options.since ?? new Date(Date.now() - 3 * DAY_MS);
      return (await db.rpc('sample_social_comments', { p_since: since.toISOString() })).map((row): SocialInboxItem => ({
        id: String(row['item_id']),
        kind: row['kind'] === 'dm' ? 'dm' : 'comment',
        platform: String(row['platform']) as SocialPlatform,
        postId: text(row['post_id']),
        author: String(row['author']),
        authorId: String(row['author']),
        text: String(row['text']),
        createdAt: instant(row['created_at']) ?? '',
        hidden: row['hidden'] === true,
        replied: row['reply_text'] !== null && row['reply_text'] !== undefined,
      }));
    },
    async listLaunches() {
      return (await db.rpc('sample_social_launches')).map((row) => ({
        id: String(row['launch_id']),
        name: String(row['name']),
        brand: text(row['brand']),
        startsOn: day(row['starts_on']),
        endsOn: day(row['ends_on']),
      }));
    },
    async listContentPillars() {
      return (await db.rpc('sample_content_pillars')).map((row) => ({ id: String(row['pillar_id']), description: String(row['description']) }));
    },
    async publishPost(input) {
      const row = await rpcOne(db, 'sample_social_publish', {
        p_idempotency_key: input.idempotencyKey,
        p_platform: input.platform,
        p_brand: input.brand,
        p_caption: input.caption,
        p_publish_at: input.publishAt,
        p_alt_text: input.altText,
        p_sku: input.sku,
      });
      return { postId: String(row['post_id']), published: row['published'] === true };
    },
    async reply(input) {
      const row = await rpcOne(db, 'sample_social_reply', { p_idempotency_key: input.idempotencyKey, p_item_id: input.item.id, p_text: input.text });
      return { itemId: String(row['item_id']), replyId: String(row['reply_id']), sent: row['sent'] === true };
    },
    async hideComment(input) {
      const row = await rpcOne(db, 'sample_social_hide_comment', { p_idempotency_key: input.idempotencyKey, p_item_id: input.item.id });
      return { itemId: String(row['item_id']), hidden: row['hidden'] === true, changed: row['changed'] === true };
    },
  };
}

/**
 * Instagram and Facebook from one connector, TikTok and Pinterest from another: until their live
 * adapters exist (catalogue §10), TikTok and Pinterest stay on the sample company even when Meta
 * is live. Reads merge both; each write goes to the platform's own connector.
 */
export function routeSocialByPlatform(meta: SocialConnector, others: SocialConnector): SocialConnector {
  const isMeta = (platform: SocialPlatform) => platform === 'instagram' || platform === 'facebook';
  const byTime = <Item extends { publishedAt?: string; createdAt?: string }>(left: Item, right: Item) =>
    (left.publishedAt ?? left.createdAt ?? '').localeCompare(right.publishedAt ?? right.createdAt ?? '');
  return {
    source: meta.source,
    async listPosts(options) {
      const [ours, theirs] = await Promise.all([meta.listPosts(options), others.listPosts(options)]);
      return [...ours.filter((post) => isMeta(post.platform)), ...theirs.filter((post) => !isMeta(post.platform))].sort(byTime);
    },
    async listInbox(options) {
      const [ours, theirs] = await Promise.all([meta.listInbox(options), others.listInbox(options)]);
      return [...ours.filter((item) => isMeta(item.platform)), ...theirs.filter((item) => !isMeta(item.platform))].sort(byTime);
    },
    listLaunches: () => others.listLaunches(),
    listContentPillars: () => others.listContentPillars(),
    publishPost: (input) => (isMeta(input.platform) ? meta : others).publishPost(input),
    reply: (input) => (isMeta(input.item.platform) ? meta : others).reply(input),
    hideComment: (input) => (isMeta(input.item.platform) ? meta : others).hideComment(input),
  };
}
