/** The ad platforms mktgbot's paid-media jobs read, in report order. */
export const AD_PLATFORMS = ['meta', 'google', 'tiktok', 'pinterest', 'amazon'] as const;

/** One ad platform. */
export type AdPlatform = (typeof AD_PLATFORMS)[number];

/** Where a campaign sits in the funnel: the ROAS floor it is held to differs. */
export type CampaignFunnel = 'prospecting' | 'retargeting' | 'search' | 'brand';

/** A campaign on any platform, with the setup campaign-config-audit checks. */
export interface PaidCampaign {
  platform: AdPlatform;
  id: string;
  name: string;
  brand: string | null;
  funnel: CampaignFunnel;
  status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
  /** Meta's objective (OUTCOME_SALES, OUTCOME_AWARENESS…); null where the platform has none. */
  objective: string | null;
  /** Account currency, major units. */
  dailyBudget: number;
  /** The budget before the last edit, when the platform's change history has it. */
  previousDailyBudget: number | null;
  /** Tracking parameters appended to the ads' URLs (Meta url_tags, Google final URL suffix…). */
  urlTags: string | null;
  /** The pixel / dataset the campaign optimises on. */
  pixelId: string | null;
  /** ISO instant the campaign stops; null when it runs until paused. */
  endAt: string | null;
  /** Whether a prospecting campaign excludes past purchasers; null when unknown or not applicable. */
  excludesPurchasers: boolean | null;
  /** A promotion (sale, launch window) campaign: it should have an end date. */
  promo: boolean;
  /** Last edit (ISO instant). */
  updatedAt: string | null;
}

/** One campaign-day of delivery and attributed revenue. */
export interface CampaignDay {
  platform: AdPlatform;
  campaignId: string;
  /** YYYY-MM-DD in the ad account's zone. */
  day: string;
  spend: number;
  /** Platform-attributed purchase value. */
  revenue: number;
  purchases: number;
  impressions: number;
  clicks: number;
}

/** A campaign's spend so far today. */
export interface IntradaySpend {
  platform: AdPlatform;
  campaignId: string;
  spendToDate: number;
}

/** An ad account's standing. */
export interface AdAccountStatus {
  platform: AdPlatform;
  accountId: string;
  name: string;
  /** active / disabled / unsettled / pending_review / closed, normalised from each platform's codes. */
  status: 'active' | 'disabled' | 'unsettled' | 'pending_review' | 'closed' | 'other';
  /** The platform's own status text (Meta account_status 1/2/3…, Google ENABLED…). */
  rawStatus: string;
  disableReason: string | null;
  /** Lifetime spend cap, major units; null when none is set. */
  spendCap: number | null;
  amountSpent: number | null;
  paymentFailed: boolean;
}

/** An ad the platform's review rejected or flagged. */
export interface AdReview {
  platform: AdPlatform;
  adId: string;
  name: string;
  adSetId: string | null;
  campaignId: string | null;
  /** DISAPPROVED / WITH_ISSUES / … as the platform reports it. */
  effectiveStatus: string;
  /** Reason text by placement or policy (Meta ad_review_feedback). */
  feedback: Record<string, string>;
  /** Whether the ad set (and campaign) around it would deliver: a rejection there costs sales. */
  adSetActive: boolean;
}

/** Change a campaign's daily budget (only ever to execute an approval). */
export interface SetBudgetInput {
  platform: AdPlatform;
  campaignId: string;
  dailyBudget: number;
  idempotencyKey: string;
  reason?: string;
}

/** What a budget change did; `changed` is false when the key had already been used. */
export interface SetBudgetResult {
  campaignId: string;
  previousDailyBudget: number | null;
  dailyBudget: number;
  changed: boolean;
}

/** A setup correction: only the fields given change. */
export interface CampaignPatch {
  urlTags?: string;
  endAt?: string;
  excludesPurchasers?: boolean;
}

/** Raise an ad account's spend cap (only ever to execute an approval). */
export interface SetSpendCapInput {
  platform: AdPlatform;
  spendCap: number;
  idempotencyKey: string;
}

/** What a spend-cap change did. */
export interface SetSpendCapResult {
  accountId: string;
  previousSpendCap: number | null;
  spendCap: number;
  changed: boolean;
}

/** A Meta ad set's learning stage and its last 7 days' optimisation events. */
export interface AdSetLearning {
  platform: AdPlatform;
  adSetId: string;
  campaignId: string;
  name: string;
  status: string;
  dailyBudget: number;
  /** Meta learning_stage_info.status: LEARNING, SUCCESS, or FAIL ("Learning limited"). */
  learningStatus: 'LEARNING' | 'SUCCESS' | 'FAIL';
  /** The last significant edit (learning restarts there); null when unknown. */
  lastSignificantEditAt: string | null;
  optimizationGoal: string;
  /** Optimisation events (purchases) in the last 7 days. */
  events7d: number;
}

/** Where one active ad sends people, and the price its text states. */
export interface AdDestination {
  platform: AdPlatform;
  adId: string;
  name: string;
  campaignId: string;
  campaignStatus: string;
  /** The SKU the ad promotes, when known (our ad label / naming). */
  sku: string | null;
  url: string;
  /** A price the ad's copy states ("$24.00"), or null. */
  statedPrice: number | null;
}

/** Pause an ad set and/or set its budget (only ever to execute an approval). */
export interface UpdateAdSetInput {
  platform: AdPlatform;
  adSetId: string;
  status?: 'ACTIVE' | 'PAUSED';
  dailyBudget?: number;
  idempotencyKey: string;
}

/** One adapter's side of paid media: a live adapter serves its own platform, the sample adapter every platform. */
export interface AdPlatformAdapter {
  readonly source: 'sample' | 'live';
  listCampaigns(): Promise<PaidCampaign[]>;
  /** Campaign-days in [from, to] (YYYY-MM-DD inclusive). */
  dailyMetrics(range: { from: string; to: string }): Promise<CampaignDay[]>;
  /** Spend today up to `now` (the sample: the hours of the company's day already past). */
  todaySpend(options: { now: Date; timeZone: string }): Promise<IntradaySpend[]>;
  accountStatus(): Promise<AdAccountStatus[]>;
  /** Ads the platform's review rejected or flagged. */
  adReviews(): Promise<AdReview[]>;
  setCampaignBudget(input: SetBudgetInput): Promise<SetBudgetResult>;
  patchCampaign(input: {
    platform: AdPlatform;
    campaignId: string;
    patch: CampaignPatch;
    idempotencyKey: string;
  }): Promise<{ campaignId: string; changed: boolean }>;
  setSpendCap(input: SetSpendCapInput): Promise<SetSpendCapResult>;
  /** Active ads' destinations (final URL, landing page, pin link). */
  adDestinations(): Promise<AdDestination[]>;
  /** Ad sets with their learning stage (Meta; other platforms have none and return []). */
  adSetLearning(): Promise<AdSetLearning[]>;
  updateAdSet(input: UpdateAdSetInput): Promise<{ adSetId: string; status: string; dailyBudget: number | null; changed: boolean }>;
}

/** One month's marketing budget for one platform × brand. */
export interface MarketingPlanBudget {
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  platform: AdPlatform;
  brand: string;
  budget: number;
}

/** Where the marketing plan lives (the brain's plan table; the sample company's plan). */
export interface MarketingPlanSource {
  /** Plan rows for the months whose first day is in [fromMonth, toMonth]. */
  marketingPlan(range: { fromMonth: string; toMonth: string }): Promise<MarketingPlanBudget[]>;
}

/** Paid media across the five platforms: reads merge every platform, writes go to the campaign's own. */
export interface PaidMediaConnector extends Omit<AdPlatformAdapter, 'source'>, MarketingPlanSource {
  /** Which adapter serves each platform (sample or live), for posts that say what they read. */
  readonly sources: Record<AdPlatform, 'sample' | 'live'>;
}

/** Route paid media to one adapter per platform (reads run in parallel and are merged in platform order). */
export function combineAdPlatforms(adapters: Record<AdPlatform, AdPlatformAdapter>, plan: MarketingPlanSource): PaidMediaConnector {
  const all = AD_PLATFORMS.map((platform) => adapters[platform]);
  // The sample adapter serves several platforms from one table set: read each adapter once and
  // keep only the rows of the platforms routed to it (a live Meta adapter replaces the sample's Meta rows).
  const merged = async <Row extends { platform: AdPlatform }>(read: (adapter: AdPlatformAdapter) => Promise<Row[]>): Promise<Row[]> => {
    const distinct = [...new Set(all)];
    const rows = await Promise.all(distinct.map(async (adapter) => (await read(adapter)).filter((row) => adapters[row.platform] === adapter)));
    return rows.flat().sort((left, right) => AD_PLATFORMS.indexOf(left.platform) - AD_PLATFORMS.indexOf(right.platform));
  };
  const owner = (platform: AdPlatform) => adapters[platform];
  return {
    sources: Object.fromEntries(AD_PLATFORMS.map((platform) => [platform, adapters[platform].source])) as Record<AdPlatform, 'sample' | 'live'>,
    listCampaigns: () => merged((adapter) => adapter.listCampaigns()),
    dailyMetrics: (range) => merged((adapter) => adapter.dailyMetrics(range)),
    todaySpend: (options) => merged((adapter) => adapter.todaySpend(options)),
    accountStatus: () => merged((adapter) => adapter.accountStatus()),
    adReviews: () => merged((adapter) => adapter.adReviews()),
    setCampaignBudget: (input) => owner(input.platform).setCampaignBudget(input),
    patchCampaign: (input) => owner(input.platform).patchCampaign(input),
    setSpendCap: (input) => owner(input.platform).setSpendCap(input),
    adSetLearning: () => merged((adapter) => adapter.adSetLearning()),
    adDestinations: () => merged((adapter) => adapter.adDestinations()),
    updateAdSet: (input) => owner(input.platform).updateAdSet(input),
    marketingPlan: (range) => plan.marketingPlan(range),
  };
}
