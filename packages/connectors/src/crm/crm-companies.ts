/** A company (wholesale account) in the CRM, with the properties salesbot's account jobs read. */
export interface CrmCompany {
  id: string;
  name: string;
  domain: string | null;
  state: string | null;
  /** Retail segment (grocery, gift, …): HubSpot custom property `segment`. */
  segment: string | null;
  ownerId: string | null;
  ownerName: string | null;
  /** ISO instant; '' when the source does not say. */
  createdAt: string;
  /** Associated contacts plus deals: the survivor rule of a merge prefers the record with most. */
  associationCount: number;
  /** Raw properties as strings (credit_limit, payment_terms_days, credit_hold, next_line_review_date …). */
  properties: Record<string, string>;
}

/** A company update: HubSpot-style string properties (e.g. `{ credit_hold: 'true' }`). */
export interface UpdateCompanyInput {
  companyId: string;
  properties: Record<string, string>;
  /** Exactly one update per key, however often the call is retried. */
  idempotencyKey: string;
}

/** What an update did; `applied` is false for a repeat of the same key. */
export interface UpdateCompanyResult {
  companyId: string;
  applied: boolean;
  properties: Record<string, string>;
}

/** A company's credit limit in dollars (property `credit_limit`), or null when none is set. */
export function creditLimitOf(company: Pick<CrmCompany, 'properties'>): number | null {
  const raw = company.properties['credit_limit'];
  if (raw === undefined || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

/** Whether the account is on credit hold (property `credit_hold` = true). */
export function onCreditHold(company: Pick<CrmCompany, 'properties'>): boolean {
  return company.properties['credit_hold'] === 'true';
}
