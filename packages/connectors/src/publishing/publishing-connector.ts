/** Outward content already scheduled outside the approval flow (an email campaign, a social post). */
export interface ScheduledContent {
  id: string;
  /** Where it is scheduled: Klaviyo (email) or the social calendar. */
  source: 'klaviyo' | 'social';
  brand: string;
  /** email, instagram, tiktok, … */
  channel: string;
  title: string;
  body: string;
  /** ISO instant it goes out. */
  scheduledAt: string;
}

/** A date on the investor-relations calendar. */
export interface DisclosureEvent {
  kind: 'quarter_end' | 'earnings_release' | 'product_launch';
  label: string;
  /** The product's public name, for launches (unreleased until the date). */
  name: string | null;
  /** YYYY-MM-DD. */
  date: string;
}

/** What is scheduled to be published: disclosure-guard reads it before it goes out. */
export interface PublishingConnector {
  readonly source: 'sample' | 'live';
  /** Content scheduled between now and `until`. */
  listScheduled(until: Date): Promise<ScheduledContent[]>;
  /** The disclosure calendar: quarter ends, earnings releases, product launches. */
  disclosureCalendar(): Promise<DisclosureEvent[]>;
}
