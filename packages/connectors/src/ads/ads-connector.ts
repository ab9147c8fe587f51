import type {
  AdDailyInsight,
  AdSet,
  BrandGuideline,
  CreateAdInput,
  CreateAdResult,
  CreativeAd,
  CreativeAsset,
  CreativeTest,
  SetAdStatusInput,
  SetAdStatusResult,
} from './ad-creative.js';

/** An ad campaign and the SKUs it promotes. */
export interface AdCampaign {
  id: string;
  name: string;
  status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
  objective: string;
  dailyBudget: number;
  /** SKUs the campaign's ads link to (sample: declared; Meta: from ad URLs' `sku` parameter or the campaign name). */
  promotedSkus: string[];
  updatedAt: string | null;
}

/** One campaign-day of delivery. */
export interface AdInsight {
  campaignId: string;
  /** YYYY-MM-DD */
  day: string;
  impressions: number;
  reach: number;
  frequency: number;
  clicks: number;
  /** Percent. */
  ctr: number;
  spend: number;
  purchases: number;
}

/** Pause a campaign (only ever called to execute an approved proposal). */
export interface PauseCampaignInput {
  campaignId: string;
  idempotencyKey: string;
  reason?: string;
}

/** What a pause did; `changed` is false when it was already paused or the key was used. */
export interface PauseCampaignResult {
  campaignId: string;
  status: string;
  changed: boolean;
}

/** Paid social (Meta Ads). */
export interface AdsConnector {
  readonly source: 'sample' | 'meta';
  listCampaigns(): Promise<AdCampaign[]>;
  /** Daily insights since the given day (default: last 7 days). */
  listInsights(options?: { campaignId?: string; since?: Date }): Promise<AdInsight[]>;
  pauseCampaign(input: PauseCampaignInput): Promise<PauseCampaignResult>;
  /** Set a campaign this fleet paused back to ACTIVE, once per key (resume_campaigns). */
  resumeCampaign(input: PauseCampaignInput): Promise<PauseCampaignResult>;
  /** Ad sets of the account (creative jobs). */
  listAdSets(): Promise<AdSet[]>;
  /** Ads with their creative (copy, format, hook, creator). */
  listAds(): Promise<CreativeAd[]>;
  /** Ad-level daily insights since the given day (default: last 28 days). */
  listAdInsights(options?: { since?: Date }): Promise<AdDailyInsight[]>;
  /** Creative tests (ads of one ad set compared). */
  listCreativeTests(): Promise<CreativeTest[]>;
  /** The creative library. */
  listCreativeAssets(): Promise<CreativeAsset[]>;
  /** Brand voice and substantiated claims, per brand. */
  listBrandGuidelines(): Promise<BrandGuideline[]>;
  /** Pause or activate one ad, once per idempotency key. */
  setAdStatus(input: SetAdStatusInput): Promise<SetAdStatusResult>;
  /** Create an ad (creative + ad, PAUSED), once per idempotency key. */
  createAd(input: CreateAdInput): Promise<CreateAdResult>;
}
