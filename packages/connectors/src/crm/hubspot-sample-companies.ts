import type { SampleCompanyData } from '../sample/sample-company-data.js';
import type { HubSpotObjectSeed } from './hubspot-sample-objects.js';

/**
 * The sample company's wholesale accounts as HubSpot companies (with the credit limits and terms
 * from accounting.json), so a fake HubSpot serves the same accounts the sample CRM does.
 */
export function hubspotCompaniesFromSample(data: SampleCompanyData): HubSpotObjectSeed[] {
  const hubspot = data.hubspot as {
    accounts: Array<{ id: string; name: string; domain: string; state: string; segment: string; owner_id?: string }>;
    contacts: Array<{ id: string; account_id: string }>;
    deals: Array<{ id: string; account_id: string }>;
  };
  const limits = new Map(
    ((data.accounting as { credit_limits?: Array<{ account_id: string; credit_limit: number; terms_days: number }> }).credit_limits ?? []).map((limit) => [
      limit.account_id,
      limit,
    ]),
  );
  return hubspot.accounts.map((account) => {
    const contacts = hubspot.contacts.filter((contact) => contact.account_id === account.id).map((contact) => contact.id);
    const deals = hubspot.deals.filter((deal) => deal.account_id === account.id).map((deal) => deal.id);
    const limit = limits.get(account.id);
    return {
      id: account.id,
      properties: {
        name: account.name,
        domain: account.domain,
        state: account.state,
        segment: account.segment,
        ...(account.owner_id === undefined ? {} : { hubspot_owner_id: account.owner_id }),
        ...(limit === undefined ? {} : { credit_limit: String(limit.credit_limit), payment_terms_days: String(limit.terms_days) }),
        // The sample's existing records came with the CRM import (as the loader stamps them).
        createdate: '2024-01-15T17:00:00.000Z',
        num_associated_contacts: String(contacts.length),
        num_associated_deals: String(deals.length),
      },
      associations: { contacts, deals },
    };
  });
}

interface NewRecords {
  companies: Array<{ id: string; name: string; domain: string; state: string; segment: string; minutes_ago: number }>;
  contacts: Array<{ id: string; account_id: string; first_name: string; last_name: string; email: string; title?: string; minutes_ago: number }>;
}

/** The records created today (salesbot-crm-new.json) as HubSpot companies and contacts, stamped against `now`. */
export function hubspotNewRecordsFromSample(data: SampleCompanyData, now: Date): { companies: HubSpotObjectSeed[]; contacts: HubSpotObjectSeed[] } {
  const records = data.salesbot_crm_new as unknown as NewRecords;
  const at = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
  return {
    companies: records.companies.map((company) => ({
      id: company.id,
      properties: {
        name: company.name,
        domain: company.domain,
        state: company.state,
        segment: company.segment,
        createdate: at(company.minutes_ago),
        num_associated_contacts: String(records.contacts.filter((contact) => contact.account_id === company.id).length),
        num_associated_deals: '0',
      },
    })),
    contacts: records.contacts.map((contact) => ({
      id: contact.id,
      properties: {
        firstname: contact.first_name,
        lastname: contact.last_name,
        email: contact.email,
        jobtitle: contact.title ?? '',
        associatedcompanyid: contact.account_id,
        createdate: at(contact.minutes_ago),
      },
    })),
  };
}
