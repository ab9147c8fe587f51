/** Someone invited to a meeting. */
export interface EventAttendee {
  email: string;
  name: string | null;
  /** The calendar's owner (the operator). */
  self: boolean;
  organizer: boolean;
  /** accepted / declined / tentative / needsAction */
  response: string;
}

/** One calendar event (single instances: recurring events come expanded). */
export interface CalendarEvent {
  id: string;
  summary: string;
  /** ISO instants. */
  start: string;
  end: string;
  location: string | null;
  /** The invitation's text (untrusted: whoever sent the invite wrote it). */
  description: string | null;
  /** Notes taken on the meeting (the sample's meeting notes; Google: none beyond the description). */
  notes: string | null;
  attendees: EventAttendee[];
  /** ISO instant the event last changed (the ⟳ fingerprint uses it). */
  updatedAt: string;
}

/** The operator's calendar. */
export interface CalendarConnector {
  readonly source: 'sample' | 'google';
  /** Events overlapping [from, to), in start order. */
  listEvents(range: { from: Date; to: Date }): Promise<CalendarEvent[]>;
}
