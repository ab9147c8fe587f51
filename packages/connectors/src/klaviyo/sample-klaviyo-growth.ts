import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { day as dayOf, instant } from '../sample/row-values.js';
import type { FlowReportWindow } from './klaviyo-connector.js';
import type { KlaviyoFormReport, KlaviyoGrowthConnector } from './klaviyo-growth-connector.js';

const DAY_MS = 86_400_000;

// The window's first and last+1 days (UTC), as the sample report functions take them.
function windowDays(window: FlowReportWindow): { start: string; end: string } {
  const end = window.end.toISOString().slice(0, 10);
  return { start: new Date(Date.parse(`${end}T00:00:00Z`) - window.days * DAY_MS).toISOString().slice(0, 10), end };
}

/** Klaviyo forms, list growth and campaign drafts over the sample tables; a draft is a row in sample_klaviyo_campaigns. */
export function createSampleKlaviyoGrowth(db: Db): KlaviyoGrowthConnector {
  return {
    async formReports(window) {
      const rows = await db.rpc('sample_klaviyo_form_daily_report', { p_start: windowDays(window).start, p_end: windowDays(window).end });
      const forms = new Map<string, KlaviyoFormReport>();
      for (const row of rows) {
        const id = String(row['form_id']);
        const form = forms.get(id) ?? { id, name: String(row['name']), status: String(row['status']).toLowerCase(), days: [] };
        form.days.push({ day: dayOf(row['day']), views: Number(row['views']), submits: Number(row['submits']) });
        forms.set(id, form);
      }
      return [...forms.values()];
    },
    async subscriberGrowth(window) {
      const rows = await db.rpc('sample_klaviyo_list_daily_report', { p_start: windowDays(window).start, p_end: windowDays(window).end });
      const byDay = new Map<string, { day: string; subscribed: number; unsubscribed: number }>();
      for (const row of rows) {
        const day = dayOf(row['day']);
        const entry = byDay.get(day) ?? { day, subscribed: 0, unsubscribed: 0 };
        entry.subscribed += Number(row['subscribed']);
        entry.unsubscribed += Number(row['unsubscribed']);
        byDay.set(day, entry);
      }
      return [...byDay.values()].sort((left, right) => left.day.localeCompare(right.day));
    },
    async listCampaigns() {
      return (await db.rpc('sample_klaviyo_campaign_list')).map((row) => ({
        id: String(row['campaign_id']),
        name: String(row['name']),
        channel: row['channel'] === 'sms' ? ('sms' as const) : ('email' as const),
        status: String(row['status']).toLowerCase(),
        sendAt: instant(row['send_at']),
      }));
    },
    async segmentProfiles(segmentId) {
      return (await db.rpc('sample_klaviyo_segment_profile_list', { p_segment_id: segmentId })).map((row) => ({
        id: String(row['profile_id']),
        email: row['email'] === null ? null : String(row['email']),
        lastEngagedAt: instant(row['last_engaged_at']),
        lastOrderAt: instant(row['last_order_at']),
        sunsetFlowAt: instant(row['sunset_flow_at']),
      }));
    },
    async suppressSegment(input) {
      const row = await rpcOne(db, 'sample_klaviyo_suppress_segment', {
        p_idempotency_key: input.idempotencyKey,
        p_segment_id: input.segmentId,
        p_exclude_profile_ids: input.excludeProfileIds,
      });
      return { segmentId: input.segmentId, suppressed: Number(row['suppressed']), jobs: 1, changed: row['changed'] === true };
    },
    async createCampaignDraft(input) {
      const row = await rpcOne(db, 'sample_klaviyo_create_draft', {
        p_idempotency_key: input.idempotencyKey,
        p_name: input.name,
        p_brand: input.brand,
        p_subject: input.subject,
        p_body: input.html,
        p_included: input.includedAudiences,
        p_excluded: input.excludedAudiences,
        p_send_at: input.sendAt,
        p_calendar_entry_id: input.calendarEntryId,
      });
      return { campaignId: String(row['campaign_id']), status: String(row['status']), created: row['created'] === true };
    },
  };
}
