import { rpcOne, type Db } from '@jbot/core';
import { instant, numberOrNull, stringRecord, text } from '../sample/row-values.js';
import type { CrmCompany, UpdateCompanyInput, UpdateCompanyResult } from './crm-companies.js';

/** The sample CRM's companies (sample_accounts) and their once-per-key property updates. */
export function sampleCrmCompanyMethods(db: Db) {
  return {
    async listCompanies(): Promise<CrmCompany[]> {
      const rows = await db.rpc('sample_crm_list_companies');
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
    async updateCompany(input: UpdateCompanyInput): Promise<UpdateCompanyResult> {
      const row = await rpcOne(db, 'sample_crm_update_company', {
        p_idempotency_key: input.idempotencyKey,
        p_company_id: input.companyId,
        p_properties: input.properties,
      });
      return { companyId: String(row['company_id']), applied: row['applied'] === true, properties: stringRecord(row['properties']) };
    },
  };
}
