/** One post of a creator, as Instagram's business_discovery returns it. */
export interface CreatorMedia {
  id: string;
  caption: string;
  likeCount: number;
  commentsCount: number;
  /** ISO instant. */
  timestamp: string;
  permalink: string | null;
}

/** A creator's public profile with their latest posts (newest first). */
export interface CreatorProfile {
  username: string;
  biography: string;
  followersCount: number;
  mediaCount: number;
  /** Followers a week ago when the source knows it (the sample does; the Graph API does not: the job keeps its own history). */
  followers7dAgo: number | null;
  media: CreatorMedia[];
}

/** Media that tags or mentions one of our brands' accounts. */
export interface TaggedMedia {
  id: string;
  username: string;
  /** Our brand id (KC, SM, DW, TH): whose account was tagged. */
  brand: string;
  source: 'tags' | 'mentions';
  mediaType: string;
  /** Untrusted text written by the poster. */
  caption: string;
  permalink: string;
  likeCount: number;
  commentsCount: number;
  timestamp: string;
  isPublic: boolean;
  /** SKUs tagged on the media (shopping tags); the job also matches product names in the caption. */
  products: string[];
  /** The poster's median engagement per post when the source knows it; null → the job looks the poster up. */
  posterMedianEngagement: number | null;
}

/** A creator's post, found through business_discovery, by username. */
export interface CreatorPost extends CreatorMedia {
  username: string;
}

/** A licensor's answer on a post we asked rights for. */
export interface RightsReply {
  mediaId: string;
  username: string;
  /** Untrusted text. */
  text: string;
  timestamp: string;
}

/** What a collaboration drove: orders on the creator's code and sessions on their UTM link. */
export interface CreatorAttribution {
  collabId: string;
  code: string;
  orders: number;
  newCustomers: number;
  revenueUsd: number;
  utmSessions: number;
}

/** One place a rights-held asset is used. */
export interface AssetUse {
  assetId: string;
  kind: 'meta_ad' | 'product_media' | 'scheduled_post';
  refId: string;
  /** live / scheduled count as in use; paused does not. */
  status: string;
}

/** A message to a creator: a DM, or a reply under the post that mentions us (rights requests). */
export interface CreatorMessageInput {
  recipient: string;
  channel: 'dm' | 'comment_reply';
  /** outreach / reminder / fix_request / rights_request / renewal_request */
  kind: string;
  mediaId?: string;
  /** The Instagram-scoped id of an open conversation (live DMs need one). */
  recipientId?: string;
  body: string;
  /** Exactly one message per key, however often the call is retried. */
  idempotencyKey: string;
}

/** What a send did; `created` is false when the key had been used (nothing sent again). */
export interface CreatorMessageResult {
  messageId: string;
  created: boolean;
}

/** Creators and UGC on Instagram: discovery, tagged media, creators' posts, messages; attribution and asset usage. */
export interface CreatorsConnector {
  readonly source: 'sample' | 'meta';
  /** Usernames worth looking at this week: people who tagged us plus the configured watchlist. */
  listCreatorLeads(): Promise<string[]>;
  /** business_discovery for each username (unknown or private accounts are left out). */
  lookupCreators(usernames: readonly string[]): Promise<CreatorProfile[]>;
  /** Media tagging or mentioning our brands since a moment. */
  listTaggedMedia(options: { since: Date }): Promise<TaggedMedia[]>;
  /** Collaborating creators' own posts since a moment. */
  listCreatorPosts(options: { usernames: readonly string[]; since: Date }): Promise<CreatorPost[]>;
  /** Replies by the poster on media we asked rights for. */
  listRightsReplies(mediaIds: readonly string[]): Promise<RightsReply[]>;
  /** Orders and sessions attributed to each collaboration. */
  listAttribution(): Promise<CreatorAttribution[]>;
  /** Where the given assets are used (ads, product media, scheduled posts). */
  listAssetUsage(assetIds: readonly string[]): Promise<AssetUse[]>;
  /** Pause every live use of an asset, once per key. */
  pauseAssetUsage(input: { assetId: string; idempotencyKey: string }): Promise<{ paused: AssetUse[] }>;
  /** Send one message to a creator, once per key. */
  sendMessage(input: CreatorMessageInput): Promise<CreatorMessageResult>;
}
