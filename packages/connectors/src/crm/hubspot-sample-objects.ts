import type { SampleCompanyData } from '../sample/sample-company-data.js';

/** A HubSpot CRM object as the v3 API returns it (properties are strings). */
export interface HubSpotObjectSeed {
  id: string;
  properties: Record<string, string>;
  /** Associated object ids by type, e.g. `{ contacts: ['513…'] }`. */
  associations?: Record<string, string[]>;
}

/** The sample company's CRM as HubSpot would hold it: owners, contacts and deals. */
export interface HubSpotSampleObjects {
  owners: Array<{ id: string; email: string; firstName: string; lastName: string }>;
  contacts: HubSpotObjectSeed[];
  deals: HubSpotObjectSeed[];
}

interface SampleDeal {
  id: string;
  name: string;
  account_id: string;
  contact_id: string;
  owner_id?: string;
  stage: string;
  amount?: number;
  created_days_ago: number;
  last_activity_days_ago: number;
  closed_days_ago?: number;
  close_in_days?: number;
  next_step?: string;
  closed_lost_reason?: string;
}

const DAY_MS = 86_400_000;

/**
 * Turn the sample data files into HubSpot-shaped objects with dates resolved against `now`,
 * so a fake HubSpot (tests, demos) serves the same pipeline the sample connector does.
 */
export function hubspotObjectsFromSample(data: SampleCompanyData, now: Date): HubSpotSampleObjects {
  const hubspot = data.hubspot as {
    owners: Array<{ id: string; first_name: string; last_name: string; email: string }>;
    accounts: Array<{ id: string; name: string }>;
    contacts: Array<{ id: string; account_id: string; first_name: string; last_name: string; email: string; title?: string }>;
    deals: SampleDeal[];
  };
  const at = (daysAgo: number, hours = 0) => new Date(now.getTime() - daysAgo * DAY_MS - hours * 3_600_000).toISOString();
  return {
    owners: hubspot.owners.map((owner) => ({ id: owner.id, email: owner.email, firstName: owner.first_name, lastName: owner.last_name })),
    contacts: hubspot.contacts.map((contact) => ({
      id: contact.id,
      properties: {
        firstname: contact.first_name,
        lastname: contact.last_name,
        email: contact.email,
        jobtitle: contact.title ?? '',
        company: hubspot.accounts.find((account) => account.id === contact.account_id)?.name ?? '',
      },
    })),
    deals: hubspot.deals.map((deal) => {
      const closed = deal.closed_days_ago !== undefined;
      return {
        id: deal.id,
        properties: {
          dealname: deal.name,
          dealstage: deal.stage,
          pipeline: 'default',
          // HubSpot leaves an unset property out (or null): a planted "no amount" / "no owner" deal.
          ...(deal.amount === undefined ? {} : { amount: String(deal.amount) }),
          ...(deal.owner_id === undefined ? {} : { hubspot_owner_id: deal.owner_id }),
          ...(deal.next_step === undefined ? {} : { hs_next_step: deal.next_step }),
          ...(deal.closed_lost_reason === undefined ? {} : { closed_lost_reason: deal.closed_lost_reason }),
          createdate: at(deal.created_days_ago, 2),
          closedate: closed ? at(deal.closed_days_ago ?? 0, 1) : new Date(now.getTime() + (deal.close_in_days ?? 30) * DAY_MS).toISOString(),
          hs_is_closed: String(closed),
          hs_is_closed_won: String(deal.stage === 'closedwon'),
          notes_last_updated: at(deal.last_activity_days_ago, 1),
        },
        associations: { contacts: [deal.contact_id] },
      };
    }),
  };
}
