import { rpcOne, type Db } from '@jbot/core';

// studiobot's own brain tables (creator_collaborations, ugc_rights): read and changed only
// through their SQL functions (supabase/migrations/20261202140000_studiobot_creators.sql).

/** One creator collaboration. */
export interface Collaboration {
  collabId: string;
  creator: string;
  brand: string;
  platform: string;
  deliverable: string;
  feeUsd: number;
  contractSigned: boolean;
  discountCode: string | null;
  utmLink: string | null;
  requiredTags: string[];
  trackingCode: string | null;
  carrier: string | null;
  startedAt: string;
  /** YYYY-MM-DD */
  postDue: string | null;
  postedMediaId: string | null;
  postedUrl: string | null;
  postedAt: string | null;
  status: string;
}

/** One asset of the rights register. */
export interface RightsAsset {
  assetId: string;
  brand: string;
  licensor: string;
  platform: string;
  sourceMediaId: string;
  permalink: string;
  mediaType: string | null;
  channels: string[];
  status: 'requested' | 'granted' | 'declined';
  requestKey: string | null;
  requestedAt: string | null;
  grantedAt: string | null;
  expiresAt: string | null;
  renewalRequestedAt: string | null;
}

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(String(value)).toISOString());
const texts = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean)
      : [];
const dateOnly = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const raw = String(value);
  return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : new Date(raw).toISOString().slice(0, 10);
};

/** Every collaboration. */
export async function listCollaborations(db: Db): Promise<Collaboration[]> {
  const rows = await db.rpc('creator_collabs_list', {});
  return rows.map((row) => ({
    collabId: String(row['collab_id']),
    creator: String(row['creator']),
    brand: String(row['brand']),
    platform: String(row['platform']),
    deliverable: String(row['deliverable']),
    feeUsd: Number(row['fee_usd']),
    contractSigned: row['contract_signed'] === true,
    discountCode: row['discount_code'] === null ? null : String(row['discount_code']),
    utmLink: row['utm_link'] === null ? null : String(row['utm_link']),
    requiredTags: texts(row['required_tags']),
    trackingCode: row['tracking_code'] === null ? null : String(row['tracking_code']),
    carrier: row['carrier'] === null ? null : String(row['carrier']),
    startedAt: iso(row['started_at']) ?? new Date(0).toISOString(),
    postDue: dateOnly(row['post_due']),
    postedMediaId: row['posted_media_id'] === null ? null : String(row['posted_media_id']),
    postedUrl: row['posted_url'] === null ? null : String(row['posted_url']),
    postedAt: iso(row['posted_at']),
    status: String(row['status']),
  }));
}

/** Record the live post of a collaboration (once; a later find does not move it). */
export async function recordCollaborationPost(db: Db, input: { collabId: string; mediaId: string; url: string; postedAt: string }): Promise<boolean> {
  const row = await rpcOne(db, 'creator_collab_record_post', {
    p_collab_id: input.collabId,
    p_media_id: input.mediaId,
    p_url: input.url,
    p_posted_at: input.postedAt,
  });
  return row['recorded'] === true;
}

/** Give a collaboration a new discount code; returns the previous one. */
export async function setCollaborationCode(db: Db, collabId: string, code: string): Promise<string | null> {
  const row = await rpcOne(db, 'creator_collab_set_code', { p_collab_id: collabId, p_code: code });
  return row['previous_code'] === null ? null : String(row['previous_code']);
}

/** The rights register. */
export async function listRights(db: Db): Promise<RightsAsset[]> {
  const rows = await db.rpc('ugc_rights_list', {});
  return rows.map((row) => ({
    assetId: String(row['asset_id']),
    brand: String(row['brand']),
    licensor: String(row['licensor']),
    platform: String(row['platform']),
    sourceMediaId: String(row['source_media_id']),
    permalink: String(row['permalink']),
    mediaType: row['media_type'] === null ? null : String(row['media_type']),
    channels: texts(row['channels']),
    status: String(row['status']) as RightsAsset['status'],
    requestKey: row['request_key'] === null ? null : String(row['request_key']),
    requestedAt: iso(row['requested_at']),
    grantedAt: iso(row['granted_at']),
    expiresAt: iso(row['expires_at']),
    renewalRequestedAt: iso(row['renewal_requested_at']),
  }));
}

/** Record that a rights request went out for a post (once per post). */
export async function recordRightsRequest(
  db: Db,
  input: {
    sourceMediaId: string;
    brand: string;
    licensor: string;
    platform: string;
    permalink: string;
    mediaType: string;
    channels: string[];
    requestKey: string;
  },
): Promise<{ assetId: string; created: boolean }> {
  const row = await rpcOne(db, 'ugc_rights_record_request', {
    p_source_media_id: input.sourceMediaId,
    p_brand: input.brand,
    p_licensor: input.licensor,
    p_platform: input.platform,
    p_permalink: input.permalink,
    p_media_type: input.mediaType,
    p_channels: input.channels,
    p_request_key: input.requestKey,
  });
  return { assetId: String(row['asset_id']), created: row['created'] === true };
}

/** A licensor said yes: the requested asset is granted for `termDays`. */
export async function grantRights(
  db: Db,
  input: { assetId: string; grantedAt: string; termDays: number },
): Promise<{ granted: boolean; expiresAt: string | null }> {
  const row = await rpcOne(db, 'ugc_rights_grant', { p_asset_id: input.assetId, p_granted_at: input.grantedAt, p_term_days: input.termDays });
  return { granted: row['granted'] === true, expiresAt: iso(row['expires_at']) };
}

/** Stamp that a renewal was asked for. */
export async function recordRenewalRequest(db: Db, assetId: string): Promise<void> {
  await db.rpc('ugc_rights_record_renewal', { p_asset_id: assetId });
}
