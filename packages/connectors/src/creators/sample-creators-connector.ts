import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { instant, jsonArray, numberOrNull } from '../sample/row-values.js';
import type { AssetUse, CreatorMedia, CreatorProfile, CreatorsConnector, TaggedMedia } from './creators-connector.js';

const iso = (value: unknown): string => instant(value) ?? new Date(0).toISOString();
const texts = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean)
      : [];

function assetUse(row: Record<string, unknown>): AssetUse {
  return { assetId: String(row['asset_id']), kind: String(row['kind']) as AssetUse['kind'], refId: String(row['ref_id']), status: String(row['status']) };
}

/**
 * The sample company's creator world (sample_ig_candidates, sample_ugc_posts, …): what the
 * Graph API would answer, over the brain. Messages and pauses write through SQL functions once
 * per idempotency key, so an approved action visibly changes the data.
 */
export function createSampleCreatorsConnector(db: Db): CreatorsConnector {
  return {
    source: 'sample',
    async listCreatorLeads() {
      return (await db.rpc('sample_creators_candidates', {})).map((row) => String(row['username']));
    },
    async lookupCreators(usernames) {
      const rows = await db.rpc('sample_creators_candidates', { p_usernames: [...usernames] });
      return rows.map((row): CreatorProfile => ({
        username: String(row['username']),
        biography: String(row['biography']),
        followersCount: Number(row['followers_count']),
        mediaCount: Number(row['media_count']),
        followers7dAgo: numberOrNull(row['followers_7d_ago']),
        media: jsonArray<Record<string, unknown>>(row['posts']).map((post, index): CreatorMedia => ({
          id: `${String(row['username'])}-${index}`,
          caption: String(post['caption'] ?? ''),
          likeCount: Number(post['like_count'] ?? 0),
          commentsCount: Number(post['comments_count'] ?? 0),
          timestamp: iso(post['timestamp']),
          permalink: null,
        })),
      }));
    },
    async listTaggedMedia({ since }) {
      const rows = await db.rpc('sample_creators_ugc_posts', { p_since: since.toISOString() });
      return rows.map((row): TaggedMedia => ({
        id: String(row['media_id']),
        username: String(row['username']),
        brand: String(row['brand']),
        source: String(row['source']) === 'mentions' ? 'mentions' : 'tags',
        mediaType: String(row['media_type']),
        caption: String(row['caption']),
        permalink: String(row['permalink']),
        likeCount: Number(row['like_count']),
        commentsCount: Number(row['comments_count']),
        timestamp: iso(row['posted_at']),
        isPublic: row['is_public'] === true,
        products: texts(row['products']),
        posterMedianEngagement: numberOrNull(row['poster_median_engagement']),
      }));
    },
    async listCreatorPosts({ usernames, since }) {
      const rows = await db.rpc('sample_creators_media', { p_usernames: [...usernames], p_since: since.toISOString() });
      return rows.map((row) => ({
        id: String(row['media_id']),
        username: String(row['username']),
        caption: String(row['caption']),
        likeCount: Number(row['like_count']),
        commentsCount: Number(row['comments_count']),
        timestamp: iso(row['posted_at']),
        permalink: String(row['permalink']),
      }));
    },
    async listRightsReplies(mediaIds) {
      const rows = await db.rpc('sample_creators_rights_replies', { p_media_ids: [...mediaIds] });
      return rows.map((row) => ({
        mediaId: String(row['media_id']),
        username: String(row['username']),
        text: String(row['text']),
        timestamp: iso(row['replied_at']),
      }));
    },
    async listAttribution() {
      const rows = await db.rpc('sample_creators_attribution', {});
      return rows.map((row) => ({
        collabId: String(row['collab_id']),
        code: String(row['code']),
        orders: Number(row['orders']),
        newCustomers: Number(row['new_customers']),
        revenueUsd: numberOrNull(row['revenue_usd']) ?? 0,
        utmSessions: Number(row['utm_sessions']),
      }));
    },
    async listAssetUsage(assetIds) {
      return (await db.rpc('sample_assets_usage', { p_asset_ids: [...assetIds] })).map(assetUse);
    },
    async pauseAssetUsage({ assetId, idempotencyKey }) {
      const rows = await db.rpc('sample_assets_pause', { p_idempotency_key: idempotencyKey, p_asset_id: assetId });
      return { paused: rows.map((row) => ({ assetId, kind: String(row['kind']) as AssetUse['kind'], refId: String(row['ref_id']), status: 'paused' })) };
    },
    async sendMessage(input) {
      const row = await rpcOne(db, 'sample_creators_send_message', {
        p_idempotency_key: input.idempotencyKey,
        p_recipient: input.recipient,
        p_channel: input.channel,
        p_kind: input.kind,
        p_media_id: input.mediaId ?? null,
        p_body: input.body,
      });
      return { messageId: String(row['message_id']), created: row['created'] === true };
    },
  };
}
