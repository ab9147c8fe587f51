/** The organic platforms socialbot plans and posts for. */
export type SocialPlatform = 'instagram' | 'facebook' | 'tiktok' | 'pinterest';

/** Every organic platform, in the calendar's order. */
export const SOCIAL_PLATFORMS: readonly SocialPlatform[] = ['instagram', 'tiktok', 'pinterest', 'facebook'];

/** A published organic post with its metrics (IG media insights, FB post insights, TikTok video, Pinterest pin analytics). */
export interface SocialPost {
  id: string;
  platform: SocialPlatform;
  brand: string | null;
  /** reel, carousel, image, video, pin … */
  format: string;
  pillar: string | null;
  hook: string | null;
  publishedAt: string;
  caption: string;
  permalink: string | null;
  reach: number;
  /** Likes + comments + saves + shares (IG total_interactions). */
  interactions: number;
  saves: number;
  shares: number;
  views: number;
}

/** A comment on one of our posts or ads, or a DM: untrusted text from the public. */
export interface SocialInboxItem {
  id: string;
  kind: 'comment' | 'dm';
  platform: SocialPlatform;
  postId: string | null;
  author: string;
  /** The platform's id of the author (a DM reply is addressed to it). */
  authorId: string | null;
  text: string;
  createdAt: string;
  hidden: boolean;
  replied: boolean;
}

/** A launch or push week from the marketing plan. */
export interface SocialLaunch {
  id: string;
  name: string;
  brand: string | null;
  startsOn: string;
  endsOn: string;
}

/** A content pillar (what a post is about). */
export interface ContentPillar {
  id: string;
  description: string;
}

/** Publish one post at its slot (only ever called to execute an approval). */
export interface PublishPostInput {
  platform: SocialPlatform;
  brand: string;
  caption: string;
  altText: string;
  /** ISO instant of the slot. */
  publishAt: string;
  sku?: string;
  /** A public image URL (Instagram's content publishing needs one). */
  mediaUrl?: string;
  idempotencyKey: string;
}

/** What publishing did; `published` is false when the key had already published it. */
export interface PublishPostResult {
  postId: string;
  published: boolean;
}

/** Reply to a comment or DM, once per key. */
export interface SocialReplyInput {
  item: Pick<SocialInboxItem, 'id' | 'kind' | 'platform' | 'authorId'>;
  text: string;
  idempotencyKey: string;
}

/** What replying did; `sent` is false when the key had already sent it. */
export interface SocialReplyResult {
  itemId: string;
  replyId: string;
  sent: boolean;
}

/** Hide (never delete) a comment, once per key. */
export interface HideCommentInput {
  item: Pick<SocialInboxItem, 'id' | 'platform'>;
  idempotencyKey: string;
}

/** What hiding did; `changed` is false when it was hidden already or the key was used. */
export interface HideCommentResult {
  itemId: string;
  hidden: boolean;
  changed: boolean;
}

/** Organic social: Instagram and Facebook (Meta Graph), TikTok and Pinterest. */
export interface SocialConnector {
  /** Where Instagram and Facebook come from: the sample company or the live Graph API. */
  readonly source: 'sample' | 'meta';
  /** Published posts since the given instant (default: last 30 days), oldest first. */
  listPosts(options?: { since?: Date }): Promise<SocialPost[]>;
  /** Comments and DMs since the given instant (default: last 3 days), oldest first. */
  listInbox(options?: { since?: Date }): Promise<SocialInboxItem[]>;
  /** Launches and push weeks of the marketing plan. */
  listLaunches(): Promise<SocialLaunch[]>;
  listContentPillars(): Promise<ContentPillar[]>;
  publishPost(input: PublishPostInput): Promise<PublishPostResult>;
  reply(input: SocialReplyInput): Promise<SocialReplyResult>;
  hideComment(input: HideCommentInput): Promise<HideCommentResult>;
}
