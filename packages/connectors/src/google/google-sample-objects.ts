import type { SampleCompanyData } from '../sample/sample-company-data.js';

// The sample workspace in Google's REST shapes, to seed a fake Google server so the live
// adapters read the same week and inbox as the sample adapters (tests, benches).

/** A calendar#event as Google returns it (the fields the adapter reads). */
export interface GoogleEventSeed {
  id: string;
  summary: string;
  description?: string;
  location?: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  attendees: Array<{ email: string; displayName?: string; organizer?: boolean; self?: boolean; responseStatus: string }>;
  updated: string;
}

/** A Gmail message with its metadata headers. */
export interface GmailMessageSeed {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet: string;
  historyId: number;
  internalDate: number;
  headers: Array<{ name: string; value: string }>;
}

interface SampleEvent {
  id: string;
  summary: string;
  day_offset: number;
  start: string;
  minutes: number;
  time_zone: string;
  location?: string;
  description?: string;
  attendees: Array<{ email: string; name?: string; organizer?: boolean; self?: boolean; response?: string }>;
}

interface SampleMessage {
  id: string;
  thread_id: string;
  from_email: string;
  from_name: string;
  to: string[];
  subject: string;
  snippet: string;
  received_hours_ago: number;
  labels: string[];
  list_unsubscribe?: boolean;
  history_id: number;
}

/** The UTC instant of a wall-clock time on a date in a zone (DST-correct to the minute). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T${time}:00Z`);
  const offsetAt = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(at);
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - at;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

/** The sample calendar and inbox as Google resources, days and hours resolved against `now`. */
export function googleWorkspaceFromSample(
  data: SampleCompanyData,
  now: Date,
): { events: GoogleEventSeed[]; messages: GmailMessageSeed[]; emailAddress: string } {
  const calendar = data.calendar as { events: SampleEvent[] };
  const gmail = data.gmail as { account: string; messages: SampleMessage[] };
  const events = calendar.events.map((event): GoogleEventSeed => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: event.time_zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
    const day = new Date(Date.parse(`${today}T00:00:00Z`) + event.day_offset * 86_400_000).toISOString().slice(0, 10);
    const start = zonedInstant(day, event.start, event.time_zone);
    return {
      id: event.id,
      summary: event.summary,
      ...(event.description === undefined || event.description === '' ? {} : { description: event.description }),
      ...(event.location === undefined ? {} : { location: event.location }),
      start: { dateTime: start.toISOString(), timeZone: event.time_zone },
      end: { dateTime: new Date(start.getTime() + event.minutes * 60_000).toISOString(), timeZone: event.time_zone },
      attendees: event.attendees.map((attendee) => ({
        email: attendee.email,
        ...(attendee.name === undefined ? {} : { displayName: attendee.name }),
        ...(attendee.organizer === true ? { organizer: true } : {}),
        ...(attendee.self === true ? { self: true } : {}),
        responseStatus: attendee.response ?? 'needsAction',
      })),
      updated: new Date(now.getTime() - 2 * 86_400_000).toISOString(),
    };
  });
  const messages = gmail.messages.map((message): GmailMessageSeed => ({
    id: message.id,
    threadId: message.thread_id,
    labelIds: message.labels,
    snippet: message.snippet,
    historyId: message.history_id,
    internalDate: now.getTime() - message.received_hours_ago * 3_600_000,
    headers: [
      { name: 'From', value: `"${message.from_name}" <${message.from_email}>` },
      { name: 'To', value: message.to.join(', ') },
      { name: 'Subject', value: message.subject },
      { name: 'Date', value: new Date(now.getTime() - message.received_hours_ago * 3_600_000).toUTCString() },
      ...(message.list_unsubscribe === true
        ? [{ name: 'List-Unsubscribe', value: `<mailto:unsubscribe@${message.from_email.split('@')[1] ?? 'example.com'}>` }]
        : []),
    ],
  }));
  return { events, messages, emailAddress: gmail.account };
}
