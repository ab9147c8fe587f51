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

/** Email and SMS marketing: campaigns, their messages, and changes an approval makes. */
export interface KlaviyoConnector {
  readonly source: 'sample' | 'klaviyo';
  /** Campaigns of both channels with status scheduled, soonest first. */
  listScheduledCampaigns(): Promise<KlaviyoCampaignMessage[]>;
  /** Send a scheduled campaign back to draft (Klaviyo: cancel the send job). */
  unscheduleCampaign(input: UnscheduleCampaignInput): Promise<UnscheduleCampaignResult>;
}
