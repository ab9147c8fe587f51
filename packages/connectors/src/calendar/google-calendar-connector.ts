import type { calendar_v3 } from '@googleapis/calendar';
import { googleAuth, googleCall, rootUrlOption, type GoogleOptions } from '../google/google-client.js';
import type { CalendarConnector, CalendarEvent } from './calendar-connector.js';

/** The operator's Google Calendar through @googleapis/calendar (loaded on first use). */
export function createGoogleCalendarConnector(options: GoogleOptions & { calendarId?: string }): CalendarConnector {
  const auth = googleAuth(options);
  let client: Promise<calendar_v3.Calendar> | undefined;
  const calendar = () =>
    (client ??= Promise.all([import('@googleapis/calendar'), auth()]).then(([sdk, oauth]) =>
      sdk.calendar({ version: 'v3', auth: oauth, ...rootUrlOption(options) }),
    ));
  return {
    source: 'google',
    async listEvents(range) {
      const api = await calendar();
      const events: CalendarEvent[] = [];
      let pageToken: string | undefined;
      do {
        const token = pageToken;
        const page = await googleCall(options, 'Calendar', 'events.list', (signal) =>
          api.events.list(
            {
              calendarId: options.calendarId ?? 'primary',
              singleEvents: true,
              orderBy: 'startTime',
              timeMin: range.from.toISOString(),
              timeMax: range.to.toISOString(),
              maxResults: 250,
              ...(token === undefined ? {} : { pageToken: token }),
            },
            { signal },
          ),
        );
        for (const item of page.data.items ?? []) {
          const event = eventFrom(item);
          if (event !== null) events.push(event);
        }
        pageToken = page.data.nextPageToken ?? undefined;
      } while (pageToken !== undefined);
      return events;
    },
  };
}

// All-day events (start.date, no dateTime) and cancelled ones are not meetings.
function eventFrom(item: calendar_v3.Schema$Event): CalendarEvent | null {
  if (item.status === 'cancelled' || item.id == null || item.start?.dateTime == null || item.end?.dateTime == null) return null;
  return {
    id: item.id,
    summary: item.summary ?? '(no title)',
    start: new Date(item.start.dateTime).toISOString(),
    end: new Date(item.end.dateTime).toISOString(),
    location: item.location ?? null,
    description: item.description ?? null,
    notes: null,
    attendees: (item.attendees ?? [])
      .filter((attendee) => attendee.email != null && attendee.resource !== true)
      .map((attendee) => ({
        email: (attendee.email ?? '').toLowerCase(),
        name: attendee.displayName ?? null,
        self: attendee.self === true,
        organizer: attendee.organizer === true,
        response: attendee.responseStatus ?? 'needsAction',
      })),
    updatedAt: item.updated == null ? '' : new Date(item.updated).toISOString(),
  };
}
