import type { Db } from '@jbot/core';
import { day, instant, text } from '../sample/row-values.js';
import type { DisclosureEvent, PublishingConnector, ScheduledContent } from './publishing-connector.js';

/** Scheduled Klaviyo campaigns and social posts of the sample company. */
export function createSamplePublishingConnector(db: Db): PublishingConnector {
  return {
    source: 'sample',
    async listScheduled(until) {
      const rows = await db.rpc('sample_publishing_scheduled', { p_until: until.toISOString() });
      return rows.map((row): ScheduledContent => ({
        id: String(row['item_id']),
        source: row['source'] === 'klaviyo' ? 'klaviyo' : 'social',
        brand: String(row['brand']),
        channel: String(row['channel']),
        title: String(row['title']),
        body: String(row['body']),
        scheduledAt: instant(row['scheduled_at']) ?? '',
      }));
    },
    async disclosureCalendar() {
      const rows = await db.rpc('sample_disclosure_calendar_list');
      return rows.map((row): DisclosureEvent => ({
        kind: String(row['kind']) as DisclosureEvent['kind'],
        label: String(row['label']),
        name: text(row['name']),
        date: day(row['on_date']),
      }));
    },
  };
}
