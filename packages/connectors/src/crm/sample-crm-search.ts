import { rpcOne, type Db } from '@jbot/core';
import { instant, numberOrNull, stringRecord, text } from '../sample/row-values.js';
import type { CrmSearchMethods } from './crm-search.js';

/** Search and merge over the sample CRM's tables; a merge is applied once per idempotency key. */
export function sampleCrmSearchMethods(db: Db): CrmSearchMethods {
  return {
    async searchCompanies(search) {
      if (search.createdSince === undefined && search.domain === undefined && search.state === undefined) return [];
      const rows = await db.rpc('sample_crm_search_companies', {
        p_created_since: search.createdSince?.toISOString() ?? null,
        p_domain: search.domain ?? null,
        p_state: search.state ?? null,
      });
      return rows.map((row) => ({
        id: String(row['company_id']),
        name: String(row['name']),
        domain: text(row['domain']),
        state: text(row['state']),
        segment: text(row['segment']),
        ownerId: text(row['owner_id']),
        ownerName: text(row['owner_name']),
        createdAt: instant(row['created_at']) ?? '',
        associationCount: (numberOrNull(row['contacts']) ?? 0) + (numberOrNull(row['deals']) ?? 0),
        properties: stringRecord(row['properties']),
      }));
    },
    async searchContacts(search) {
      if (search.createdSince === undefined && search.emailDomain === undefined) return [];
      const rows = await db.rpc('sample_crm_search_contacts', {
        p_created_since: search.createdSince?.toISOString() ?? null,
        p_email_domain: search.emailDomain ?? null,
      });
      return rows.map((row) => ({
        id: String(row['contact_id']),
        companyId: text(row['company_id']),
        firstName: String(row['first_name']),
        lastName: String(row['last_name']),
        email: String(row['email']),
        title: text(row['title']),
        createdAt: instant(row['created_at']) ?? '',
        associationCount: numberOrNull(row['deals']) ?? 0,
      }));
    },
    async mergeRecords(input) {
      const row = await rpcOne(db, 'sample_crm_merge_records', {
        p_idempotency_key: input.idempotencyKey,
        p_object_type: input.objectType,
        p_primary_id: input.primaryId,
        p_merged_id: input.mergeId,
      });
      return { primaryId: String(row['primary_id']), mergedId: String(row['merged_id']), merged: row['merged'] === true };
    },
  };
}
