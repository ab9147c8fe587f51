import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types studiobot introduces (catalogue §4). Pure declarations (zod only): every bot
// process registers them through the fleet roster; consumers get the payload types from the
// SignalPayloads augmentation below.

/** A UGC asset whose usage rights are cleared: adsbot adds it to the creative library, socialbot to post-drafts. */
export const ugcAvailable = defineSignalType({
  type: 'ugc_available',
  description: 'Rights-cleared customer content, ready for ads and posts',
  defaultSeverity: 'info',
  schema: z.object({
    asset_id: z.string().min(1),
    brand: z.string().min(1),
    platform: z.string().min(1),
    permalink: z.string().min(1),
    /** Where it may be used: meta_ads, organic, site. */
    rights_scope: z.array(z.string().min(1)).min(1),
    expires_at: z.iso.datetime({ offset: true }),
    licensor: z.string().optional(),
    media_type: z.string().optional(),
    /** The fatigued ad this asset was shortlisted to replace, when it answers ad_fatigue. */
    replaces_ad_id: z.string().optional(),
  }),
});

/** A creator collaboration past its dates (warning when the fee is $1k or more). */
export const creatorDeliverableLate = defineSignalType({
  type: 'creator_deliverable_late',
  description: 'A creator has not posted what was agreed in time',
  defaultSeverity: 'info',
  schema: z.object({
    creator: z.string().min(1),
    collab_id: z.string().min(1),
    due_date: z.iso.date().nullable(),
    fee: z.number().nonnegative(),
    reason: z.string().optional(),
  }),
});

/** A live sponsored post breaking the rules: no disclosure on a paid post (→ jbot), wrong code, claims, missing tag. */
export const creatorComplianceIssue = defineSignalType({
  type: 'creator_compliance_issue',
  description: 'A live sponsored creator post is missing its FTC disclosure',
  defaultSeverity: 'warning',
  schema: z.object({
    creator: z.string().min(1),
    post_url: z.string().min(1),
    issue: z.string().min(1),
    collab_id: z.string().optional(),
  }),
});

/** A rights-held asset in use whose licence ends within 14 days (warning) or has ended (alert). */
export const ugcRightsExpiring = defineSignalType({
  type: 'ugc_rights_expiring',
  description: 'Content still in use whose usage rights expire soon or have expired',
  defaultSeverity: 'warning',
  schema: z.object({
    asset_id: z.string().min(1),
    licensor: z.string().min(1),
    expires_at: z.iso.datetime({ offset: true }),
    in_use: z.array(z.object({ kind: z.string().min(1), id: z.string().min(1) })).min(1),
  }),
});

/** Every type studiobot introduces. */
export const signalTypes = [ugcAvailable, creatorDeliverableLate, creatorComplianceIssue, ugcRightsExpiring];

declare module '@jbot/core' {
  interface SignalPayloads {
    ugc_available: z.output<typeof ugcAvailable.schema>;
    creator_deliverable_late: z.output<typeof creatorDeliverableLate.schema>;
    creator_compliance_issue: z.output<typeof creatorComplianceIssue.schema>;
    ugc_rights_expiring: z.output<typeof ugcRightsExpiring.schema>;
  }
}
