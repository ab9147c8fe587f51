import type { KlaviyoGrowthConnector } from './klaviyo-growth-connector.js';

/** An audience (list or segment) a campaign sends to or excludes. */
export interface KlaviyoAudience {
  id: string;
  name: string;
}

/** A Klaviyo campaign with its message and audiences, as send checks need it. */
export interface KlaviyoCampaignMessage {
  id: string;
  name: string;
  channel: 'email' | 'sms';
  /** Klaviyo's status, lower-cased: draft, scheduled, sending, sent, cancelled. */
  status: string;
  /** ISO instant the campaign sends (scheduled) or sent; null for a draft without a time. */
  sendAt: string | null;
  /** Email subject line; null for SMS. */
  subject: string | null;
  /** Email HTML or SMS text. */
  body: string;
  includedAudiences: KlaviyoAudience[];
  excludedAudiences: KlaviyoAudience[];
}

/** Unschedule a campaign, once per idempotency key. */
export interface UnscheduleCampaignInput {
  campaignId: string;
  idempotencyKey: string;
  reason?: string;
}

/** What unscheduling did; `changed` is false on a repeat or when the campaign was not scheduled. */
export interface UnscheduleCampaignResult {
  campaignId: string;
  status: string;
  changed: boolean;
}

/** One day of a flow's sends. */
export interface KlaviyoFlowDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  recipients: number;
  /** Attributed conversion value (Placed Order). */
  revenue: number;
}

/** A flow's performance as Klaviyo's reporting API states it. */
export interface KlaviyoFlowReport {
  id: string;
  name: string;
  /** live, manual or draft. */
  status: string;
  trigger: string | null;
  /** Daily sends over the requested window, oldest first, every day present (zeros included). */
  days: KlaviyoFlowDay[];
  /** The last 30 days of the window: totals and rates (fractions of recipients). */
  last30: {
    recipients: number;
    revenue: number;
    openRate: number;
    clickRate: number;
    conversionRate: number;
    unsubscribeRate: number;
    spamComplaintRate: number;
  };
}

/** The window of a flow report: `days` whole UTC days ending before `end`. */
export interface FlowReportWindow {
  end: Date;
  days: number;
}

/** A sent campaign with the figures of Klaviyo's campaign values report (rates are fractions of recipients). */
export interface KlaviyoSentCampaign {
  id: string;
  name: string;
  channel: 'email' | 'sms';
  /** ISO instant it was sent. */
  sentAt: string;
  recipients: number;
  openRate: number | null;
  clickRate: number | null;
  revenuePerRecipient: number | null;
  unsubscribeRate: number | null;
  spamComplaintRate: number | null;
  bounceRate: number | null;
}

/** Email and SMS marketing: campaigns, their messages, and changes an approval makes. */
export interface KlaviyoConnector extends KlaviyoGrowthConnector {
  readonly source: 'sample' | 'klaviyo';
  /** Campaigns of both channels with status scheduled, soonest first. */
  listScheduledCampaigns(): Promise<KlaviyoCampaignMessage[]>;
  /** Every flow's daily sends and 30-day rates (live: one values and one series report call, within the reporting rate limits). */
  flowReports(window: FlowReportWindow): Promise<KlaviyoFlowReport[]>;
  /** The most recent sent campaigns (both channels), newest first, with their figures (live: one campaign values report call). */
  listSentCampaigns(options: { limit: number }): Promise<KlaviyoSentCampaign[]>;
  /** Send a scheduled campaign back to draft (Klaviyo: cancel the send job). */
  unscheduleCampaign(input: UnscheduleCampaignInput): Promise<UnscheduleCampaignResult>;
}
