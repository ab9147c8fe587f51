import { rpcOne, type Db } from '@jbot/core';
import { day, instant, numberOrNull, text } from '../sample/row-values.js';
import type { CrmActivity, CrmEngagement } from './crm-activity.js';

/** Brand facts from the brain (the company's own content, read the same way whatever the CRM). */
export async function listBrandFacts(db: Db): Promise<Array<{ brand: string; fact: string }>> {
  return (await db.rpc('sample_list_brand_facts')).map((row) => ({ brand: String(row['brand']), fact: String(row['fact']) }));
}

const ENGAGEMENT_TYPES: Record<string, CrmEngagement['type']> = { CALL: 'call', EMAIL: 'email', MEETING: 'meeting' };

/**
 * The selling activity over the sample company's tables (hubspot-activity.json). Writes go
 * through SQL functions keyed on the idempotency key, so a retried approval assigns and sends once.
 */
export function createSampleCrmActivity(db: Db): CrmActivity {
  return {
    async listEngagements(options) {
      const rows = await db.rpc('sample_crm_list_engagements', { p_since: options.since.toISOString(), p_until: options.until.toISOString() });
      return rows.map((row) => ({
        id: String(row['engagement_id']),
        type: ENGAGEMENT_TYPES[String(row['type'])] ?? 'call',
        direction: row['direction'] === 'INCOMING_EMAIL' ? 'incoming' : row['direction'] === 'EMAIL' ? 'outgoing' : null,
        ownerId: text(row['owner_id']),
        dealId: text(row['deal_id']),
        contactEmail: text(row['contact_email']),
        subject: String(row['subject']),
        occurredAt: instant(row['occurred_at']) ?? '',
      }));
    },
    async listOpenTasks() {
      const rows = await db.rpc('sample_crm_list_open_tasks');
      return rows.map((row) => ({
        id: String(row['task_id']),
        dealId: text(row['deal_id']),
        ownerId: text(row['owner_id']),
        subject: String(row['subject']),
        status: String(row['status']),
        dueAt: instant(row['due_at']) ?? '',
      }));
    },
    async listQuotes() {
      const rows = await db.rpc('sample_crm_list_quotes');
      return rows.map((row) => ({
        id: String(row['quote_id']),
        dealId: text(row['deal_id']),
        title: String(row['title']),
        status: String(row['status']),
        amount: numberOrNull(row['amount']),
        sentAt: instant(row['sent_at']) ?? '',
        expiresOn: day(row['expires_on']),
      }));
    },
    async listDealLineItems(dealIds) {
      if (dealIds.length === 0) return [];
      const rows = await db.rpc('sample_crm_list_line_items', { p_deal_ids: [...dealIds] });
      return rows.map((row) => ({
        id: String(row['line_item_id']),
        dealId: String(row['deal_id']),
        sku: String(row['sku']),
        name: String(row['name']),
        quantity: Number(row['quantity']),
        price: Number(row['price']),
        discountPct: Number(row['discount_pct']),
      }));
    },
    async listProducts() {
      const rows = await db.rpc('sample_crm_list_products');
      return rows.map((row) => ({
        sku: String(row['sku']),
        name: String(row['name']),
        wholesalePrice: Number(row['wholesale_price']),
        unitCost: numberOrNull(row['unit_cost']),
      }));
    },
    async listLeads(options) {
      const rows = await db.rpc('sample_crm_list_leads', { p_since: options.since.toISOString() });
      return rows.map((row) => ({
        id: String(row['lead_id']),
        firstName: String(row['first_name']),
        lastName: String(row['last_name']),
        email: String(row['email']),
        company: String(row['company']),
        state: String(row['state']),
        segment: String(row['segment']),
        storeCount: Number(row['store_count']),
        message: String(row['message']),
        ownerId: text(row['owner_id']),
        createdAt: instant(row['created_at']) ?? '',
      }));
    },
    async listTerritories() {
      const rows = await db.rpc('sample_crm_list_territories');
      return rows.map((row) => ({ state: String(row['state']), segment: String(row['segment']), team: String(row['team']) }));
    },
    async listOwnerTeams() {
      const rows = await db.rpc('sample_crm_owner_teams');
      return rows.map((row) => ({ ownerId: String(row['owner_id']), team: text(row['team']) }));
    },
    async listAccountOnboarding(dealIds) {
      if (dealIds.length === 0) return [];
      const rows = await db.rpc('sample_crm_list_account_onboarding', { p_deal_ids: [...dealIds] });
      return rows.map((row) => ({
        dealId: String(row['deal_id']),
        accountId: String(row['account_id']),
        account: String(row['account_name']),
        done: {
          credit_application: row['credit_application'] === true,
          resale_certificate: row['resale_certificate'] === true,
          item_setup: row['item_setup'] === true,
          first_po: row['first_po'] === true,
        },
      }));
    },
    async listProspects() {
      const rows = await db.rpc('sample_crm_list_prospects');
      return rows.map((row) => ({
        id: String(row['prospect_id']),
        name: String(row['name']),
        domain: String(row['domain']),
        state: String(row['state']),
        segment: String(row['segment']),
        storeCount: Number(row['store_count']),
        lastContactedAt: instant(row['last_contacted_at']),
        hasOpenDeal: row['open_deal'] === true,
        suppressed: row['suppressed'] === true,
        buyer: { contactId: null, firstName: String(row['buyer_first_name']), lastName: String(row['buyer_last_name']), email: String(row['buyer_email']) },
      }));
    },
    listBrandFacts: () => listBrandFacts(db),
    async sendProspectEmail(input) {
      const row = await rpcOne(db, 'sample_crm_log_prospect_email', {
        p_idempotency_key: input.idempotencyKey,
        p_prospect_id: input.prospectId,
        p_owner_id: input.ownerId,
        p_to: input.to,
        p_subject: input.subject,
        p_body: input.body,
      });
      return { emailId: String(row['engagement_id']), created: row['created'] === true };
    },
    async assignLead(input) {
      const row = await rpcOne(db, 'sample_crm_assign_lead', { p_idempotency_key: input.idempotencyKey, p_lead_id: input.leadId, p_owner_id: input.ownerId });
      return { leadId: String(row['lead_id']), ownerId: String(row['owner_id']), applied: row['applied'] === true };
    },
    async sendLeadEmail(input) {
      const row = await rpcOne(db, 'sample_crm_log_email', {
        p_idempotency_key: input.idempotencyKey,
        p_owner_id: input.ownerId,
        p_to: input.to,
        p_subject: input.subject,
        p_body: input.body,
        p_lead_id: input.leadId,
      });
      return { emailId: String(row['engagement_id']), created: row['created'] === true };
    },
  };
}
