import type { Db } from '@jbot/core';
import { instant, text } from '../sample/row-values.js';
import type { CrmTurnoverMethods } from './crm-turnover.js';

/** Bounces and inbound emails over the sample CRM's tables (sample_contacts, sample_inbound_emails). */
export function sampleCrmTurnoverMethods(db: Db): CrmTurnoverMethods {
  return {
    async listBouncedContacts() {
      const rows = await db.rpc('sample_crm_bounced_contacts', {});
      return rows.map((row) => ({
        id: String(row['contact_id']),
        companyId: text(row['company_id']),
        firstName: String(row['first_name']),
        lastName: String(row['last_name']),
        email: String(row['email']).toLowerCase(),
        title: text(row['title']),
        bounceReason: String(row['bounce_reason']),
        bouncedAt: instant(row['bounced_at']),
      }));
    },
    async listInboundEmails({ since }) {
      const rows = await db.rpc('sample_crm_inbound_emails', { p_since: since.toISOString() });
      return rows.map((row) => ({
        id: String(row['email_id']),
        fromEmail: String(row['from_email']).toLowerCase(),
        dealId: text(row['deal_id']),
        subject: String(row['subject']),
        body: String(row['body']),
        receivedAt: instant(row['received_at']) ?? '',
      }));
    },
  };
}
