import type { FlowReportWindow, KlaviyoAudience } from './klaviyo-connector.js';

/** One day of a sign-up form. */
export interface KlaviyoFormDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  views: number;
  submits: number;
}

/** A sign-up form's daily views and submits, as Klaviyo's form series report states them. */
export interface KlaviyoFormReport {
  id: string;
  name: string;
  /** live, draft … (lower-cased). */
  status: string;
  /** Every day of the window, oldest first (zeros included). */
  days: KlaviyoFormDay[];
}

/** One day of list growth: profiles subscribed and unsubscribed (Klaviyo's Subscribed to List / Unsubscribed metrics). */
export interface KlaviyoGrowthDay {
  day: string;
  subscribed: number;
  unsubscribed: number;
}

/** A campaign as a listing shows it (any status). */
export interface KlaviyoCampaignSummary {
  id: string;
  name: string;
  channel: 'email' | 'sms';
  /** Lower-cased: draft, scheduled, sent … */
  status: string;
  sendAt: string | null;
}

/** An email campaign to create as a draft: nothing sends until a person schedules it in Klaviyo. */
export interface CreateCampaignDraftInput {
  idempotencyKey: string;
  /** The campaign name; carries the calendar entry id in brackets ("[CC-341] …") so the entry is linked. */
  name: string;
  brand: string | null;
  subject: string;
  previewText: string;
  /** The template's HTML. */
  html: string;
  includedAudiences: KlaviyoAudience[];
  excludedAudiences: KlaviyoAudience[];
  /** The intended send time (ISO instant), stored on the draft; null leaves it open. */
  sendAt: string | null;
  calendarEntryId: string;
}

/** What creating the draft did; `created` is false on a repeat of the same key. */
export interface CreateCampaignDraftResult {
  campaignId: string;
  status: string;
  created: boolean;
}

/** A segment member with what list hygiene needs to know about it. */
export interface KlaviyoSegmentProfile {
  id: string;
  email: string | null;
  /** Last open or click (ISO), when the account states it; null = none known. */
  lastEngagedAt: string | null;
  /** Last order (ISO); null = none known. */
  lastOrderAt: string | null;
  /** When the profile last entered the sunset (re-permission) flow; null = never. */
  sunsetFlowAt: string | null;
}

/** Suppress a segment's members (all but the excluded), once per key; Klaviyo's bulk suppression jobs. */
export interface SuppressSegmentInput {
  idempotencyKey: string;
  segmentId: string;
  /** Members that must stay (recent buyers, sunset-flow entrants): suppression goes by email when any. */
  excludeProfileIds: string[];
}

/** What suppressing did. */
export interface SuppressSegmentResult {
  segmentId: string;
  suppressed: number;
  /** Bulk jobs started (live) — one for the whole segment, or one per 100 emails. */
  jobs: number;
  changed: boolean;
}

/** Klaviyo list growth, sign-up forms and campaign drafts (mktgbot's klaviyo-list-growth and klaviyo-campaign-drafts). */
export interface KlaviyoGrowthConnector {
  /** Every sign-up form's daily views and submits over the window (live: one form series report call). */
  formReports(window: FlowReportWindow): Promise<KlaviyoFormReport[]>;
  /** Daily subscribes and unsubscribes over the window (live: one metric aggregates call per metric). */
  subscriberGrowth(window: FlowReportWindow): Promise<KlaviyoGrowthDay[]>;
  /** Every email and SMS campaign, any status. */
  listCampaigns(): Promise<KlaviyoCampaignSummary[]>;
  /** Create an email campaign with its template as a draft, once per idempotency key. */
  createCampaignDraft(input: CreateCampaignDraftInput): Promise<CreateCampaignDraftResult>;
  /** A segment's members with their engagement, order and sunset-flow dates (every page). */
  segmentProfiles(segmentId: string): Promise<KlaviyoSegmentProfile[]>;
  /** Suppress the segment's members except the excluded, once per key. */
  suppressSegment(input: SuppressSegmentInput): Promise<SuppressSegmentResult>;
}

/** The calendar entry id a campaign name carries ("[CC-341] Holiday guide" → CC-341), or null. */
export function calendarEntryOf(campaignName: string): string | null {
  return /^\[([A-Za-z0-9_-]+)\]/.exec(campaignName.trim())?.[1] ?? null;
}
