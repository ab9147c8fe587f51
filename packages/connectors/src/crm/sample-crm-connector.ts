import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { day, instant, numberOrNull, stringRecord, text } from '../sample/row-values.js';
import { CLOSED_STAGES, type CrmConnector, type Deal } from './crm-connector.js';
import { createSampleCrmActivity } from './sample-crm-activity.js';
import { sampleCrmCompanyMethods } from './sample-crm-companies.js';
import { sampleCrmPipelineMethods } from './sample-crm-pipeline.js';
import { sampleCrmSearchMethods } from './sample-crm-search.js';
import { sampleCrmTurnoverMethods } from './sample-crm-turnover.js';

// An empty or whitespace-only text field counts as unset, as HubSpot's UI shows it.
function blankToNull(value: unknown): string | null {
  const raw = text(value);
  return raw === null || raw.trim() === '' ? null : raw;
}

/**
 * The CRM over the sample company's tables. Writes go through SQL functions that key each
 * side effect on its idempotency key, so a retried approval sends one email and applies one update.
 */
export function createSampleCrmConnector(db: Db): CrmConnector {
  return {
    source: 'sample',
    async listDeals() {
      const rows = await db.rpc('sample_crm_list_deals');
      return rows.map((row): Deal => {
        const stage = String(row['stage']);
        const properties = stringRecord(row['properties']);
        return {
          id: String(row['deal_id']),
          name: String(row['name']),
          stage,
          amount: numberOrNull(row['amount']),
          ownerId: text(row['owner_id']),
          ownerName: text(row['owner_name']),
          accountName: text(row['account_name']),
          contactEmail: text(row['contact_email']),
          contactName: text(row['contact_name']),
          createdAt: instant(row['created_at']) ?? '',
          closedAt: instant(row['closed_at']),
          isClosed: CLOSED_STAGES.has(stage),
          isClosedWon: stage === 'closedwon',
          lastActivityAt: instant(row['last_activity_at']),
          closeDate: row['close_date'] === null ? null : day(row['close_date']),
          nextStep: blankToNull(row['next_step']),
          closedLostReason: blankToNull(row['closed_lost_reason']),
          properties: {
            ...properties,
            dealname: String(row['name']),
            dealstage: stage,
            ...(row['close_date'] === null ? {} : { closedate: day(row['close_date']) }),
            ...(blankToNull(row['next_step']) === null ? {} : { hs_next_step: String(row['next_step']) }),
            ...(blankToNull(row['closed_lost_reason']) === null ? {} : { closed_lost_reason: String(row['closed_lost_reason']) }),
          },
        };
      });
    },
    async listOwners() {
      const rows = await db.rpc('sample_crm_list_owners');
      return rows.map((row) => ({
        id: String(row['owner_id']),
        firstName: String(row['first_name']),
        lastName: String(row['last_name']),
        email: String(row['email']),
      }));
    },
    async listDealContacts(dealId) {
      const rows = await db.rpc('sample_crm_deal_contacts', { p_deal_id: dealId });
      return rows.map((row) => ({
        id: String(row['contact_id']),
        firstName: String(row['first_name']),
        lastName: String(row['last_name']),
        email: String(row['email']),
        title: text(row['title']),
        isPrimary: row['is_primary'] === true,
      }));
    },
    async findAccountsBySellerId(sellerIds) {
      if (sellerIds.length === 0) return [];
      const rows = await db.rpc('sample_wholesale_accounts_by_seller', { p_seller_ids: [...sellerIds] });
      return rows.map((row) => ({ sellerId: String(row['seller_id']), accountId: String(row['account_id']), accountName: String(row['account_name']) }));
    },
    async sendEmail(input) {
      const row = await rpcOne(db, 'sample_crm_send_email', {
        p_idempotency_key: input.idempotencyKey,
        p_deal_id: input.dealId,
        p_to: input.to,
        p_subject: input.subject,
        p_body: input.body,
      });
      return { emailId: String(row['email_id']), created: row['created'] === true, sentAt: instant(row['sent_at']) ?? '' };
    },
    async updateDeal(input) {
      const row = await rpcOne(db, 'sample_crm_update_deal', {
        p_idempotency_key: input.idempotencyKey,
        p_deal_id: input.dealId,
        p_properties: input.properties,
      });
      return {
        dealId: String(row['deal_id']),
        applied: row['applied'] === true,
        properties: { ...stringRecord(row['properties']), dealstage: String(row['stage']) },
      };
    },
    async createTask(input) {
      const row = await rpcOne(db, 'sample_crm_create_task', {
        p_idempotency_key: input.idempotencyKey,
        p_deal_id: input.dealId,
        p_owner_id: input.ownerId,
        p_subject: input.subject,
        p_body: input.body,
        p_due_at: input.dueAt,
      });
      return { taskId: String(row['task_id']), created: row['created'] === true };
    },
    async listMeetings(options) {
      const rows = await db.rpc('sample_crm_list_meetings', { p_since: options.since.toISOString() });
      return rows.map((row) => ({
        id: String(row['meeting_id']),
        contactEmails: [String(row['contact_email']).toLowerCase()],
        title: String(row['title']),
        startAt: instant(row['starts_at']) ?? '',
      }));
    },
    async logMeeting(input) {
      const row = await rpcOne(db, 'sample_crm_log_meeting', {
        p_idempotency_key: input.idempotencyKey,
        p_contact_email: input.contactEmail,
        p_deal_id: input.dealId,
        p_title: input.title,
        p_body: input.body,
        p_starts_at: input.startAt,
        p_ends_at: input.endAt,
      });
      return { meetingId: String(row['meeting_id']), created: row['created'] === true };
    },
    ...createSampleCrmActivity(db),
    ...sampleCrmCompanyMethods(db),
    ...sampleCrmPipelineMethods(db),
    ...sampleCrmSearchMethods(db),
    ...sampleCrmTurnoverMethods(db),
  };
}
