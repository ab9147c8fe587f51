/** An ad set: the audience a group of ads competes for, with its budget. */
export interface AdSet {
  id: string;
  campaignId: string;
  name: string;
  /** Cold (prospecting) or warm (retargeting): fatigue sets in at different frequencies. */
  audience: 'prospecting' | 'retargeting';
  dailyBudget: number;
  brand: string | null;
  status: string;
}

/** One ad with its creative (copy, format, hook, creator), as creative jobs read it. */
export interface CreativeAd {
  id: string;
  adSetId: string;
  campaignId: string;
  name: string;
  status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
  /** Paused and waiting its turn (Meta: the ad label "queued"): what a rotation activates next. */
  queued: boolean;
  format: string;
  hook: string | null;
  /** The creator's handle on a branded-content (creator) ad; null for brand ads. */
  creator: string | null;
  /** Whether a creator ad carries the "Paid partnership" label. */
  paidPartnershipLabel: boolean;
  assetId: string | null;
  brand: string | null;
  sku: string | null;
  body: string;
  title: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One ad-day of delivery (Meta ad-level insights, time_increment 1). */
export interface AdDailyInsight {
  adId: string;
  /** YYYY-MM-DD */
  day: string;
  impressions: number;
  reach: number;
  /** Frequency over the trailing 7 days as of this day (reach is not additive across days). */
  frequency7d: number;
  linkClicks: number;
  spend: number;
  purchases: number;
  video3sViews: number;
  thruplays: number;
}

/** A creative test: ads of one ad set compared against each other. */
export interface CreativeTest {
  id: string;
  name: string;
  adSetId: string;
  adIds: string[];
  /** The cost per purchase the brand is willing to pay. */
  targetCpa: number;
  startedAt: string;
}

/** An asset of the creative library. */
export interface CreativeAsset {
  id: string;
  brand: string;
  format: string;
  name: string;
  tags: string[];
  rights: string;
}

/** A brand's voice and the claims it holds substantiation for. */
export interface BrandGuideline {
  brand: string;
  voice: string;
  substantiated: string[];
}

/** Change an ad's status (only ever called to execute an approval). */
export interface SetAdStatusInput {
  adId: string;
  status: 'ACTIVE' | 'PAUSED';
  idempotencyKey: string;
  reason?: string;
}

/** What a status change did; `changed` is false when it already had that status or the key was used. */
export interface SetAdStatusResult {
  adId: string;
  status: string;
  changed: boolean;
}

/** A new ad (AdCreative + Ad, created PAUSED) in an ad set. */
export interface CreateAdInput {
  adSetId: string;
  name: string;
  body: string;
  title: string;
  assetId: string | null;
  format: string;
  hook?: string;
  creator?: string;
  paidPartnershipLabel?: boolean;
  sku?: string;
  idempotencyKey: string;
}

/** What creating the ad did; `created` is false when the key had already created it. */
export interface CreateAdResult {
  adId: string;
  created: boolean;
}
