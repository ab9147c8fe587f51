import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { instant, jsonArray, text } from '../sample/row-values.js';
import type { KlaviyoAudience, KlaviyoCampaignMessage, KlaviyoConnector, KlaviyoFlowReport } from './klaviyo-connector.js';
import { day as dayOf, numberOrNull } from '../sample/row-values.js';
import { createSampleKlaviyoGrowth } from './sample-klaviyo-growth.js';

const DAY_MS = 86_400_000;

function campaignFrom(row: Record<string, unknown>): KlaviyoCampaignMessage {
  return {
    id: String(row['campaign_id']),
    name: String(row['name']),
    channel: row['channel'] === 'sms' ? 'sms' : 'email',
    status: String(row['status']),
    sendAt: instant(row['send_at']),
    subject: text(row['subject']),
    body: text(row['body']) ?? '',
    includedAudiences: jsonArray<KlaviyoAudience>(row['included_audiences']),
    excludedAudiences: jsonArray<KlaviyoAudience>(row['excluded_audiences']),
  };
}

/** Klaviyo-shaped campaigns over the sample tables; unscheduling changes the campaign's status in the database. */
export function createSampleKlaviyoConnector(db: Db): KlaviyoConnector {
  return {
    source: 'sample',
    ...createSampleKlaviyoGrowth(db),
    async listScheduledCampaigns() {
      return (await db.rpc('sample_klaviyo_campaign_messages', { p_status: 'scheduled' })).map(campaignFrom);
    },
    async flowReports(window) {
      const endDay = window.end.toISOString().slice(0, 10);
      const startDay = new Date(Date.parse(`${endDay}T00:00:00Z`) - window.days * DAY_MS).toISOString().slice(0, 10);
      const rows = await db.rpc('sample_klaviyo_flow_daily_report', { p_start: startDay, p_end: endDay });
      const byFlow = new Map<string, { flow: Omit<KlaviyoFlowReport, 'days' | 'last30'>; rows: Array<Record<string, unknown>> }>();
      for (const row of rows) {
        const id = String(row['flow_id']);
        const entry = byFlow.get(id) ?? {
          flow: { id, name: String(row['name']), status: String(row['status']), trigger: text(row['trigger']) },
          rows: [],
        };
        entry.rows.push(row);
        byFlow.set(id, entry);
      }
      const last30Start = new Date(Date.parse(`${endDay}T00:00:00Z`) - 30 * DAY_MS).toISOString().slice(0, 10);
      return [...byFlow.values()].map(({ flow, rows: flowRows }): KlaviyoFlowReport => {
        const recent = flowRows.filter((row) => dayOf(row['day']) >= last30Start);
        const sum = (column: string) => recent.reduce((total, row) => total + (numberOrNull(row[column]) ?? 0), 0);
        const recipients = sum('recipients');
        const rate = (column: string) => (recipients === 0 ? 0 : sum(column) / recipients);
        return {
          ...flow,
          days: flowRows.map((row) => ({ day: dayOf(row['day']), recipients: Number(row['recipients']), revenue: numberOrNull(row['revenue']) ?? 0 })),
          last30: {
            recipients,
            revenue: Math.round(sum('revenue') * 100) / 100,
            openRate: rate('opens'),
            clickRate: rate('clicks'),
            conversionRate: rate('conversions'),
            unsubscribeRate: rate('unsubscribes'),
            spamComplaintRate: rate('spam_complaints'),
          },
        };
      });
    },
    async listSentCampaigns(options) {
      const rows = await db.rpc('sample_klaviyo_sent_campaigns', { p_limit: options.limit });
      return rows.map((row) => {
        const recipients = Number(row['recipients'] ?? 0);
        const revenue = numberOrNull(row['revenue']);
        return {
          id: String(row['campaign_id']),
          name: String(row['name']),
          channel: row['channel'] === 'sms' ? ('sms' as const) : ('email' as const),
          sentAt: instant(row['send_at']) ?? '',
          recipients,
          openRate: numberOrNull(row['open_rate']),
          clickRate: numberOrNull(row['click_rate']),
          revenuePerRecipient: revenue === null || recipients === 0 ? null : Math.round((revenue / recipients) * 100) / 100,
          unsubscribeRate: numberOrNull(row['unsubscribe_rate']),
          spamComplaintRate: numberOrNull(row['spam_complaint_rate']),
          bounceRate: numberOrNull(row['bounce_rate']),
        };
      });
    },
    async unscheduleCampaign(input) {
      const row = await rpcOne(db, 'sample_klaviyo_unschedule_campaign', {
        p_idempotency_key: input.idempotencyKey,
        p_campaign_id: input.campaignId,
        p_reason: input.reason,
      });
      return { campaignId: String(row['campaign_id']), status: String(row['status']), changed: row['changed'] === true };
    },
  };
}
