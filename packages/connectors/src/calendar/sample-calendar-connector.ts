import type { Db } from '@jbot/core';
import { instant, jsonArray, text } from '../sample/row-values.js';
import type { CalendarConnector, CalendarEvent, EventAttendee } from './calendar-connector.js';

/** The operator's sample week (sample_calendar_events) with the notes taken on each meeting. */
export function createSampleCalendarConnector(db: Db): CalendarConnector {
  return {
    source: 'sample',
    async listEvents(range) {
      const rows = await db.rpc('sample_calendar_list_events', { p_from: range.from.toISOString(), p_to: range.to.toISOString() });
      return rows.map((row): CalendarEvent => ({
        id: String(row['event_id']),
        summary: String(row['summary']),
        start: instant(row['starts_at']) ?? '',
        end: instant(row['ends_at']) ?? '',
        location: text(row['location']),
        description: text(row['description']),
        notes: text(row['notes']),
        attendees: jsonArray<Record<string, unknown>>(row['attendees']).map((attendee): EventAttendee => ({
          email: String(attendee['email']).toLowerCase(),
          name: text(attendee['name']),
          self: attendee['self'] === true,
          organizer: attendee['organizer'] === true,
          response: String(attendee['response'] ?? 'needsAction'),
        })),
        updatedAt: instant(row['updated_at']) ?? '',
      }));
    },
  };
}
