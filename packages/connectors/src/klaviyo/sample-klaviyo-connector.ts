import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { instant, jsonArray, text } from '../sample/row-values.js';
import type { KlaviyoAudience, KlaviyoCampaignMessage, KlaviyoConnector } from './klaviyo-connector.js';

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
    async listScheduledCampaigns() {
      return (await db.rpc('sample_klaviyo_campaign_messages', { p_status: 'scheduled' })).map(campaignFrom);
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
