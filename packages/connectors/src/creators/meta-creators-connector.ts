import { probeFailure, type Db, type ServiceProbe } from '@jbot/core';
import { loadGraphApi, type GraphApi } from '../ads/meta-ads-connector.js';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { CreatorMedia, CreatorMessageResult, CreatorPost, CreatorProfile, CreatorsConnector, TaggedMedia } from './creators-connector.js';

/** Options for the brands' Instagram business accounts (META_ACCESS_TOKEN + META_IG_ACCOUNTS). */
export interface MetaCreatorsOptions {
  accessToken: string;
  /** Our brands' Instagram business account ids by brand id: { DW: '1784…' }. */
  igAccounts: Record<string, string>;
  /** Creators to look at besides the people who tag us (META_CREATOR_WATCHLIST). */
  watchlist?: readonly string[];
  apiBase?: string;
  db: Db;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

const MEDIA_FIELDS = 'id,caption,like_count,comments_count,timestamp,permalink';
// Graph error 110 / subcode 2207013: business_discovery does not know the username (or it is not a business/creator account).
const graphErrorOf = (error: unknown): { code?: number; error_subcode?: number } | undefined => {
  const body = (error as { response?: { error?: { code?: number; error_subcode?: number }; code?: number; error_subcode?: number } }).response;
  return body?.error ?? body;
};
const isUnknownAccount = (error: unknown): boolean => graphErrorOf(error)?.code === 110 || graphErrorOf(error)?.error_subcode === 2207013;
// Graph error 100 on mentioned_media: the media no longer mentions us (caption edited, post deleted): no reply to read.
const isNotMentioned = (error: unknown): boolean => graphErrorOf(error)?.code === 100;

function mediaOf(row: Record<string, unknown>): CreatorMedia {
  return {
    id: String(row['id']),
    caption: String(row['caption'] ?? ''),
    likeCount: Number(row['like_count'] ?? 0),
    commentsCount: Number(row['comments_count'] ?? 0),
    timestamp: String(row['timestamp'] ?? new Date(0).toISOString()),
    permalink: row['permalink'] === undefined ? null : String(row['permalink']),
  };
}

/** Whether the token reads each brand's Instagram account (`fleet doctor`). */
export async function probeMetaCreators(options: Pick<MetaCreatorsOptions, 'accessToken' | 'igAccounts' | 'apiBase'>): Promise<ServiceProbe> {
  try {
    const graph = await loadGraphApi(options);
    const names: string[] = [];
    for (const [brand, id] of Object.entries(options.igAccounts)) {
      const answer = await callVendor('Instagram', 'account probe', { timeoutMs: DEFAULT_VENDOR_TIMEOUT_MS }, () =>
        graph.call('GET', [id], { fields: 'username' }),
      );
      names.push(`${brand} @${String(answer['username'] ?? id)}`);
    }
    return { ok: true, detail: `Instagram accounts ${names.join(', ')}` };
  } catch (error) {
    return probeFailure(error);
  }
}

/**
 * Creators and UGC through the Instagram Graph API on facebook-nodejs-business-sdk (loaded on
 * first use): the `/tags` edge of each brand account, `business_discovery` for creators'
 * profiles and posts, `mentioned_media` comments for rights replies, `POST /{ig-user-id}/mentions`
 * for a rights request under the post and `POST /{ig-user-id}/messages` for DMs — both through the
 * side-effect ledger. Attribution and asset usage live in the store and the ad account, not here.
 */
export function createMetaCreatorsConnector(options: MetaCreatorsOptions): CreatorsConnector {
  const ledger = createSideEffectLedger(options.db, options.abortSignal === undefined ? {} : { signal: options.abortSignal });
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  let apiPromise: Promise<GraphApi> | undefined;
  const api = (): Promise<GraphApi> => (apiPromise ??= loadGraphApi(options));
  const call = async (method: string, path: string[], params: Record<string, unknown>, operation: string) => {
    try {
      const graph = await api();
      return await callVendor('Instagram', operation, limits, () => graph.call(method, path, params));
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      throw new ConnectorError('instagram_request_failed', `Instagram ${operation} failed: ${error instanceof Error ? error.message : String(error)}`, {
        facts: { operation },
        cause: error,
      });
    }
  };
  const accounts = Object.entries(options.igAccounts);
  const anyAccount = () => {
    const first = accounts[0];
    if (first === undefined) throw new ConnectorError('instagram_not_configured', 'META_IG_ACCOUNTS is empty: set it to BRAND=ig-user-id pairs');
    return first[1];
  };
  const accountOf = (brand: string | undefined) => (brand === undefined ? undefined : options.igAccounts[brand]) ?? anyAccount();

  async function tagged(brand: string, account: string, since: Date): Promise<TaggedMedia[]> {
    const found: TaggedMedia[] = [];
    let after: string | undefined;
    // Newest first; stop at the first page that reaches past `since` (at most 5 pages a run).
    for (let page = 0; page < 5; page += 1) {
      const answer = await call(
        'GET',
        [account, 'tags'],
        { fields: `${MEDIA_FIELDS},username,media_type`, limit: 50, ...(after === undefined ? {} : { after }) },
        'tags list',
      );
      const rows = (answer['data'] ?? []) as Array<Record<string, unknown>>;
      for (const row of rows) {
        const media = mediaOf(row);
        if (new Date(media.timestamp) < since) continue;
        found.push({
          ...media,
          username: String(row['username'] ?? ''),
          brand,
          source: 'tags',
          mediaType: String(row['media_type'] ?? 'IMAGE'),
          permalink: media.permalink ?? '',
          // The tags edge returns public media only.
          isPublic: true,
          products: [],
          posterMedianEngagement: null,
        });
      }
      const oldest = rows.at(-1);
      after = (answer['paging'] as { cursors?: { after?: string } } | undefined)?.cursors?.after ?? undefined;
      if (after === undefined || oldest === undefined || new Date(String(oldest['timestamp'])) < since) break;
    }
    return found;
  }

  async function discover(username: string, mediaLimit: number): Promise<(CreatorProfile & { media: CreatorMedia[] }) | null> {
    try {
      const answer = await call(
        'GET',
        [anyAccount()],
        { fields: `business_discovery.username(${username}){username,biography,followers_count,media_count,media.limit(${mediaLimit}){${MEDIA_FIELDS}}}` },
        'business discovery',
      );
      const found = answer['business_discovery'] as Record<string, unknown> | undefined;
      if (found === undefined) return null;
      const media = ((found['media'] as { data?: Array<Record<string, unknown>> } | undefined)?.data ?? []).map(mediaOf);
      return {
        username: String(found['username'] ?? username),
        biography: String(found['biography'] ?? ''),
        followersCount: Number(found['followers_count'] ?? 0),
        mediaCount: Number(found['media_count'] ?? 0),
        followers7dAgo: null,
        media,
      };
    } catch (error) {
      if (error instanceof ConnectorError && isUnknownAccount(error.cause)) return null;
      throw error;
    }
  }

  return {
    source: 'meta',
    async listCreatorLeads() {
      const since = new Date(Date.now() - 28 * 86_400_000);
      const taggers = (await Promise.all(accounts.map(([brand, account]) => tagged(brand, account, since)))).flat().map((media) => media.username);
      return [...new Set([...(options.watchlist ?? []), ...taggers].filter((name) => name.length > 0))].sort();
    },
    async lookupCreators(usernames) {
      const profiles: CreatorProfile[] = [];
      for (const username of usernames) {
        const profile = await discover(username, 12);
        if (profile !== null) profiles.push(profile);
      }
      return profiles;
    },
    async listTaggedMedia({ since }) {
      return (await Promise.all(accounts.map(([brand, account]) => tagged(brand, account, since)))).flat();
    },
    async listCreatorPosts({ usernames, since }) {
      const posts: CreatorPost[] = [];
      for (const username of usernames) {
        const profile = await discover(username, 25);
        for (const media of profile?.media ?? []) if (new Date(media.timestamp) >= since) posts.push({ ...media, username });
      }
      return posts;
    },
    async listRightsReplies(mediaIds) {
      const replies = [];
      for (const mediaId of mediaIds) {
        let answer: Record<string, unknown>;
        try {
          answer = await call(
            'GET',
            [anyAccount()],
            { fields: `mentioned_media.media_id(${mediaId}){username,comments{username,text,timestamp}}` },
            'mentioned media comments',
          );
        } catch (error) {
          if (error instanceof ConnectorError && isNotMentioned(error.cause)) continue;
          throw error;
        }
        const media = answer['mentioned_media'] as { username?: string; comments?: { data?: Array<Record<string, unknown>> } } | undefined;
        // Only the poster's own answer counts as a licence.
        for (const comment of media?.comments?.data ?? [])
          if (comment['username'] === media?.username)
            replies.push({
              mediaId,
              username: String(comment['username']),
              text: String(comment['text'] ?? ''),
              timestamp: String(comment['timestamp'] ?? ''),
            });
      }
      return replies;
    },
    async listAttribution() {
      throw new ConnectorError(
        'creators_attribution_not_live',
        'creator attribution (orders by creator code, UTM sessions) is read from the store and GA4, which the live Instagram connector does not reach yet: run creator-roi on the sample company',
      );
    },
    async listAssetUsage() {
      throw new ConnectorError(
        'creators_asset_usage_not_live',
        'where rights-held assets run (ads by image_hash / video_id, product media, scheduled posts) is not read from Meta and Shopify yet: run ugc-rights-expiry on the sample company',
      );
    },
    async pauseAssetUsage() {
      throw new ConnectorError('creators_asset_usage_not_live', 'pausing an asset where it runs is not wired to Meta and Shopify yet: pause it by hand');
    },
    async sendMessage(input) {
      const account = accountOf(undefined);
      const { result, performed } = await ledger.run<CreatorMessageResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'instagram',
        action: input.channel === 'dm' ? 'message.send' : 'mention.reply',
        request: { recipient: input.recipient, kind: input.kind, ...(input.mediaId === undefined ? {} : { mediaId: input.mediaId }) },
        // Neither endpoint takes a key or can be searched by one: a retry after an uncertain attempt sends again.
        lookup: async () => null,
        perform: async () => {
          if (input.channel === 'comment_reply') {
            if (input.mediaId === undefined)
              throw new ConnectorError('instagram_reply_needs_media', `a rights request to @${input.recipient} needs the media id`);
            const answer = await call('POST', [account, 'mentions'], { media_id: input.mediaId, message: input.body }, 'mention reply');
            return { messageId: String(answer['id']), created: true };
          }
          if (input.recipientId === undefined)
            throw new ConnectorError(
              'instagram_dm_needs_conversation',
              `@${input.recipient} has no open Instagram conversation (the Messaging API only answers people who wrote first): message them from the brand's inbox`,
            );
          const answer = await call('POST', [account, 'messages'], { recipient: { id: input.recipientId }, message: { text: input.body } }, 'message send');
          return { messageId: String(answer['message_id'] ?? answer['id']), created: true };
        },
      });
      return { ...result, created: performed };
    },
  };
}
