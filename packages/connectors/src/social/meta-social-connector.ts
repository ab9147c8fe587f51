import { probeFailure, type Db, type ServiceProbe } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import { createSampleSocialConnector } from './sample-social-connector.js';
import type { HideCommentResult, PublishPostResult, SocialConnector, SocialInboxItem, SocialPost, SocialReplyResult } from './social-connector.js';

/** Options for the live Instagram + Facebook organic connector. */
export interface MetaSocialOptions {
  accessToken: string;
  /** The Instagram professional account (IG user id). */
  igUserId?: string;
  /** The Facebook Page. */
  pageId?: string;
  /** https://graph.facebook.com unless overridden (META_SOCIAL_API_BASE): this client's own base. */
  apiBase?: string;
  /** Where launches, pillars and the sample fallbacks live. */
  db: Db;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
  /** Rows per list page (Graph `limit`). */
  pageSize?: number;
}

/** The slice of facebook-nodejs-business-sdk's FacebookAdsApi used here (the SDK ships no types). */
interface GraphApi {
  call(
    method: string,
    path: string[],
    params?: Record<string, unknown>,
    files?: Record<string, unknown>,
    multipart?: boolean,
    urlOverride?: string,
  ): Promise<Record<string, unknown>>;
}

type GraphRow = Record<string, unknown>;
const DAY_MS = 86_400_000;
const numberOf = (value: unknown): number => Number(value ?? 0) || 0;

/** A client of its own (not the SDK's process-wide default), so its base URL is its own. */
async function loadGraphApi(accessToken: string): Promise<GraphApi> {
  const module = await import('facebook-nodejs-business-sdk');
  const sdk = (module as { default?: unknown }).default ?? module;
  const { FacebookAdsApi } = sdk as { FacebookAdsApi: new (token: string, locale?: string, crashLog?: boolean) => GraphApi };
  // crash_log false: the SDK would otherwise install process-wide crash handlers.
  return new FacebookAdsApi(accessToken, 'en_US', false);
}

/** Whether the token can read the Instagram account or the Page (`fleet doctor`). */
export async function probeMetaSocial(options: Pick<MetaSocialOptions, 'accessToken' | 'igUserId' | 'pageId' | 'apiBase'>): Promise<ServiceProbe> {
  const target = options.igUserId ?? options.pageId;
  if (target === undefined) return { ok: false, unreachable: 'META_IG_USER_ID and META_PAGE_ID are unset' };
  try {
    const api = await loadGraphApi(options.accessToken);
    const answer = await callVendor('Meta', 'organic probe', { timeoutMs: DEFAULT_VENDOR_TIMEOUT_MS }, () =>
      api.call('GET', [target], { fields: options.igUserId === undefined ? 'name' : 'username' }, {}, false, options.apiBase ?? ''),
    );
    return { ok: true, detail: `account ${String(answer['username'] ?? answer['name'] ?? target)}` };
  } catch (error) {
    return probeFailure(error);
  }
}

/**
 * Instagram and Facebook organic through the official facebook-nodejs-business-sdk (loaded on
 * first use): media and posts with insights, comments and DMs, replies, hides and publishing.
 * Every write goes through the side-effect ledger under the approval's key, and looks at the
 * platform before repeating an attempt whose outcome is unknown.
 */
export function createMetaSocialConnector(options: MetaSocialOptions): SocialConnector {
  const ledger = createSideEffectLedger(options.db, options.abortSignal === undefined ? {} : { signal: options.abortSignal });
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const limit = options.pageSize ?? 100;
  const sample = createSampleSocialConnector(options.db);
  let apiPromise: Promise<GraphApi> | undefined;
  const call = async (method: string, path: string[], params: Record<string, unknown>, operation: string): Promise<GraphRow> => {
    try {
      const graph = await (apiPromise ??= loadGraphApi(options.accessToken));
      return await callVendor('Meta', operation, limits, () => graph.call(method, path, params, {}, false, options.apiBase ?? ''));
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      throw new ConnectorError('meta_request_failed', `Meta ${operation} failed: ${error instanceof Error ? error.message : String(error)}`, {
        facts: { operation },
        cause: error,
      });
    }
  };
  const list = async (path: string[], params: Record<string, unknown>, operation: string): Promise<GraphRow[]> => {
    const rows: GraphRow[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const response = await call('GET', path, { ...params, limit, ...(after === undefined ? {} : { after }) }, operation);
      rows.push(...((response['data'] ?? []) as GraphRow[]));
      const paging = response['paging'] as { next?: string; cursors?: { after?: string } } | undefined;
      if (paging?.next === undefined || paging.cursors?.after === undefined) break;
      after = paging.cursors.after;
    }
    return rows;
  };
  const unix = (date: Date) => Math.floor(date.getTime() / 1000);
  const igMedia = (since: Date) =>
    options.igUserId === undefined
      ? Promise.resolve([])
      : list([options.igUserId, 'media'], { fields: 'id,caption,media_type,media_product_type,permalink,timestamp', since: unix(since) }, 'IG media list');
  const pagePosts = (since: Date) =>
    options.pageId === undefined
      ? Promise.resolve([])
      : list([options.pageId, 'posts'], { fields: 'id,message,created_time,permalink_url', since: unix(since) }, 'Page posts list');

  const insightValue = (response: GraphRow, name: string) =>
    numberOf(
      ((response['data'] ?? []) as Array<{ name: string; values?: Array<{ value: unknown }> }>).find((metric) => metric.name === name)?.values?.[0]?.value,
    );

  return {
    source: 'meta',
    async listPosts(query = {}) {
      const since = query.since ?? new Date(Date.now() - 30 * DAY_MS);
      const posts: SocialPost[] = [];
      for (const media of await igMedia(since)) {
        const insights = await call('GET', [String(media['id']), 'insights'], { metric: 'reach,saved,shares,total_interactions,views' }, 'IG media insights');
        const product = String(media['media_product_type'] ?? 'FEED');
        posts.push({
          id: String(media['id']),
          platform: 'instagram',
          brand: null,
          format: product === 'REELS' ? 'reel' : String(media['media_type'] ?? 'IMAGE') === 'CAROUSEL_ALBUM' ? 'carousel' : 'image',
          pillar: null,
          hook: null,
          publishedAt: new Date(String(media['timestamp'])).toISOString(),
          caption: String(media['caption'] ?? ''),
          permalink: media['permalink'] === undefined ? null : String(media['permalink']),
          reach: insightValue(insights, 'reach'),
          interactions: insightValue(insights, 'total_interactions'),
          saves: insightValue(insights, 'saved'),
          shares: insightValue(insights, 'shares'),
          views: insightValue(insights, 'views'),
        });
      }
      for (const post of await pagePosts(since)) {
        const insights = await call(
          'GET',
          [String(post['id']), 'insights'],
          { metric: 'post_impressions_unique,post_impressions,post_reactions_by_type_total,post_clicks' },
          'Page post insights',
        );
        const reactions = ((insights['data'] ?? []) as Array<{ name: string; values?: Array<{ value: unknown }> }>).find(
          (metric) => metric.name === 'post_reactions_by_type_total',
        )?.values?.[0]?.value;
        const reactionCount =
          typeof reactions === 'object' && reactions !== null ? Object.values(reactions).reduce<number>((sum, value) => sum + numberOf(value), 0) : 0;
        posts.push({
          id: String(post['id']),
          platform: 'facebook',
          brand: null,
          format: 'post',
          pillar: null,
          hook: null,
          publishedAt: new Date(String(post['created_time'])).toISOString(),
          caption: String(post['message'] ?? ''),
          permalink: post['permalink_url'] === undefined ? null : String(post['permalink_url']),
          reach: insightValue(insights, 'post_impressions_unique'),
          interactions: reactionCount + insightValue(insights, 'post_clicks'),
          saves: 0,
          shares: 0,
          views: insightValue(insights, 'post_impressions'),
        });
      }
      return posts.sort((left, right) => left.publishedAt.localeCompare(right.publishedAt));
    },
    async listInbox(query = {}) {
      const since = query.since ?? new Date(Date.now() - 3 * DAY_MS);
      const items: SocialInboxItem[] = [];
      // Comments arrive on recent posts, not only on posts made since: look back a week of media.
      const mediaSince = new Date(Math.min(since.getTime(), Date.now() - 7 * DAY_MS));
      for (const media of await igMedia(mediaSince)) {
        for (const comment of await list([String(media['id']), 'comments'], { fields: 'id,text,timestamp,username,hidden,from,replies{id}' }, 'IG comments')) {
          const at = new Date(String(comment['timestamp']));
          if (at < since) continue;
          items.push({
            id: String(comment['id']),
            kind: 'comment',
            platform: 'instagram',
            postId: String(media['id']),
            author: String(comment['username'] ?? ''),
            authorId: (comment['from'] as { id?: string } | undefined)?.id ?? null,
            text: String(comment['text'] ?? ''),
            createdAt: at.toISOString(),
            hidden: comment['hidden'] === true,
            replied: (((comment['replies'] as { data?: unknown[] } | undefined)?.data ?? []).length ?? 0) > 0,
          });
        }
      }
      for (const post of await pagePosts(mediaSince)) {
        for (const comment of await list(
          [String(post['id']), 'comments'],
          { fields: 'id,message,created_time,from,is_hidden,comment_count' },
          'Page comments',
        )) {
          const at = new Date(String(comment['created_time']));
          if (at < since) continue;
          const from = (comment['from'] ?? {}) as { id?: string; name?: string };
          items.push({
            id: String(comment['id']),
            kind: 'comment',
            platform: 'facebook',
            postId: String(post['id']),
            author: from.name ?? '',
            authorId: from.id ?? null,
            text: String(comment['message'] ?? ''),
            createdAt: at.toISOString(),
            hidden: comment['is_hidden'] === true,
            replied: numberOf(comment['comment_count']) > 0,
          });
        }
      }
      if (options.pageId !== undefined) {
        for (const platform of ['instagram', 'messenger'] as const) {
          const conversations = await list(
            [options.pageId, 'conversations'],
            { platform, fields: 'id,updated_time,messages.limit(5){id,message,created_time,from}' },
            `${platform} conversations`,
          );
          for (const conversation of conversations) {
            const messages = ((conversation['messages'] as { data?: GraphRow[] } | undefined)?.data ?? []) as GraphRow[];
            // The newest message from someone other than the Page is what waits for an answer.
            const waiting = messages.find((message) => (message['from'] as { id?: string } | undefined)?.id !== options.pageId);
            if (waiting === undefined || new Date(String(waiting['created_time'])) < since) continue;
            const from = (waiting['from'] ?? {}) as { id?: string; name?: string; username?: string };
            items.push({
              id: String(waiting['id']),
              kind: 'dm',
              platform: platform === 'instagram' ? 'instagram' : 'facebook',
              postId: null,
              author: from.username ?? from.name ?? '',
              authorId: from.id ?? null,
              text: String(waiting['message'] ?? ''),
              createdAt: new Date(String(waiting['created_time'])).toISOString(),
              hidden: false,
              replied: messages[0] !== waiting,
            });
          }
        }
      }
      return items.sort((left, right) => left.createdAt.localeCompare(right.createdAt));
    },
    listLaunches: () => sample.listLaunches(),
    listContentPillars: () => sample.listContentPillars(),
    async publishPost(input) {
      const { result, performed } = await ledger.run<PublishPostResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: `${input.platform}.publish`,
        request: { platform: input.platform, brand: input.brand, publishAt: input.publishAt },
        lookup: async () => null,
        perform: async () => {
          if (input.platform === 'instagram') {
            if (options.igUserId === undefined) throw new ConnectorError('meta_not_configured', 'Instagram publishing needs META_IG_USER_ID', { facts: {} });
            if (input.mediaUrl === undefined)
              throw new ConnectorError('meta_media_missing', 'Instagram content publishing needs a public image URL for the post (mediaUrl)', { facts: {} });
            const container = await call(
              'POST',
              [options.igUserId, 'media'],
              { image_url: input.mediaUrl, caption: input.caption, alt_text: input.altText },
              'IG media container',
            );
            const media = await call('POST', [options.igUserId, 'media_publish'], { creation_id: String(container['id']) }, 'IG media publish');
            return { postId: String(media['id']), published: true };
          }
          if (options.pageId === undefined) throw new ConnectorError('meta_not_configured', 'Facebook publishing needs META_PAGE_ID', { facts: {} });
          const at = new Date(input.publishAt);
          // The Page schedules it itself when the slot is at least 10 minutes away (Graph's minimum).
          const later = at.getTime() - Date.now() > 10 * 60_000;
          const post = await call(
            'POST',
            [options.pageId, 'feed'],
            { message: input.caption, ...(later ? { published: false, scheduled_publish_time: unix(at) } : {}) },
            'Page post',
          );
          return { postId: String(post['id']), published: true };
        },
      });
      return { ...result, published: performed };
    },
    async reply(input) {
      const { item } = input;
      const { result, performed } = await ledger.run<SocialReplyResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: `${item.platform}.${item.kind}.reply`,
        request: { itemId: item.id },
        // After an uncertain attempt, a reply with the same text already under the comment is ours.
        lookup: async () => {
          if (item.kind === 'dm') return null;
          const edge = item.platform === 'instagram' ? 'replies' : 'comments';
          const replies = await list([item.id, edge], { fields: item.platform === 'instagram' ? 'id,text' : 'id,message' }, 'reply lookup');
          const mine = replies.find((reply) => String(reply['text'] ?? reply['message'] ?? '') === input.text);
          return mine === undefined ? null : { itemId: item.id, replyId: String(mine['id']), sent: true };
        },
        perform: async () => {
          if (item.kind === 'dm') {
            if (options.pageId === undefined || item.authorId === null)
              throw new ConnectorError('meta_not_configured', 'A DM reply needs META_PAGE_ID and the sender id', { facts: { itemId: item.id } });
            const sent = await call(
              'POST',
              [options.pageId, 'messages'],
              { recipient: { id: item.authorId }, message: { text: input.text }, messaging_type: 'RESPONSE' },
              'DM reply',
            );
            return { itemId: item.id, replyId: String(sent['message_id'] ?? sent['id']), sent: true };
          }
          const reply = await call('POST', [item.id, item.platform === 'instagram' ? 'replies' : 'comments'], { message: input.text }, 'comment reply');
          return { itemId: item.id, replyId: String(reply['id']), sent: true };
        },
      });
      return { ...result, sent: performed };
    },
    async hideComment(input) {
      const { item } = input;
      const { result, performed } = await ledger.run<HideCommentResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: `${item.platform}.comment.hide`,
        request: { itemId: item.id },
        lookup: async () => null, // hiding again is harmless
        perform: async () => {
          await call('POST', [item.id], item.platform === 'instagram' ? { hide: true } : { is_hidden: true }, 'comment hide');
          return { itemId: item.id, hidden: true, changed: true };
        },
      });
      return { ...result, changed: performed };
    },
  };
}
