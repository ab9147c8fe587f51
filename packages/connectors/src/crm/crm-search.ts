import type { CrmCompany } from './crm-companies.js';

/** Which companies to find: created since an instant, or on a domain, or in a state (any of them matches). */
export interface CompanySearch {
  createdSince?: Date;
  domain?: string;
  state?: string;
}

/** A contact record as the dedupe check sees it. */
export interface CrmContactRecord {
  id: string;
  companyId: string | null;
  firstName: string;
  lastName: string;
  email: string;
  title: string | null;
  /** ISO instant. */
  createdAt: string;
  /** Associated deals (the survivor rule prefers the record with most). */
  associationCount: number;
}

/** Which contacts to find: created since an instant, or with an email at a domain (any matches). */
export interface ContactSearch {
  createdSince?: Date;
  emailDomain?: string;
}

/** Merge `mergeId` into `primaryId` (HubSpot v3 merge: the merged record is archived, its associations move). */
export interface MergeRecordsInput {
  objectType: 'companies' | 'contacts';
  primaryId: string;
  mergeId: string;
  /** Exactly one merge per key, however often the call is retried. */
  idempotencyKey: string;
}

/** What a merge did; `merged` is false for a repeat of the same key. */
export interface MergeRecordsResult {
  primaryId: string;
  mergedId: string;
  merged: boolean;
}

/** The search and merge side of the CRM (crm-dedupe). */
export interface CrmSearchMethods {
  searchCompanies(search: CompanySearch): Promise<CrmCompany[]>;
  searchContacts(search: ContactSearch): Promise<CrmContactRecord[]>;
  /** Exactly once per idempotency key. */
  mergeRecords(input: MergeRecordsInput): Promise<MergeRecordsResult>;
}
