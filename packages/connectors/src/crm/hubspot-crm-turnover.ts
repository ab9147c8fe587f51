import type { HubSpotCall } from './hubspot-crm-companies.js';
import type { BouncedContact, CrmTurnoverMethods, InboundEmail } from './crm-turnover.js';

type HubSpotObject = { id: string; properties: Record<string, string | null> };
type Filter = { propertyName: string; operator: string; value?: string };

const CONTACT_PROPERTIES = ['firstname', 'lastname', 'email', 'jobtitle', 'associatedcompanyid', 'hs_email_hard_bounce_reason_enum', 'hs_email_bounce'];
const EMAIL_PROPERTIES = ['hs_timestamp', 'hs_email_direction', 'hs_email_from_email', 'hs_email_subject', 'hs_email_text'];

const value = (object: HubSpotObject, name: string): string | null => {
  const raw = object.properties[name];
  return raw === undefined || raw === null || raw === '' ? null : raw;
};

/**
 * Bounces and auto-replies on HubSpot: `crm.contacts.searchApi.doSearch` (hs_email_hard_bounce_reason_enum
 * HAS_PROPERTY) and `crm.objects.emails.searchApi.doSearch` (INCOMING_EMAIL since an instant), with
 * each email's deal from associations v4. Read-only.
 */
export function hubspotTurnoverMethods(call: HubSpotCall): CrmTurnoverMethods {
  async function searchAll(objectType: 'contacts' | 'emails', filters: Filter[], properties: string[]): Promise<HubSpotObject[]> {
    const found: HubSpotObject[] = [];
    let after: string | undefined;
    do {
      const request = {
        filterGroups: [{ filters: filters as never }],
        properties,
        sorts: ['hs_object_id'],
        limit: 100,
        ...(after === undefined ? {} : { after }),
      };
      const page = await call(`${objectType} search`, { objectType }, (hubspot, sdk) =>
        objectType === 'contacts' ? hubspot.crm.contacts.searchApi.doSearch(request, sdk) : hubspot.crm.objects.emails.searchApi.doSearch(request, sdk),
      );
      found.push(...(page.results as HubSpotObject[]));
      after = page.paging?.next?.after;
    } while (after !== undefined);
    return found;
  }

  return {
    async listBouncedContacts() {
      const contacts = await searchAll('contacts', [{ propertyName: 'hs_email_hard_bounce_reason_enum', operator: 'HAS_PROPERTY' }], CONTACT_PROPERTIES);
      return contacts.map((object): BouncedContact => ({
        id: object.id,
        companyId: value(object, 'associatedcompanyid'),
        firstName: value(object, 'firstname') ?? '',
        lastName: value(object, 'lastname') ?? '',
        email: (value(object, 'email') ?? '').toLowerCase(),
        title: value(object, 'jobtitle'),
        bounceReason: value(object, 'hs_email_hard_bounce_reason_enum') ?? '',
        // HubSpot keeps no bounce timestamp on the contact; the job does not need one.
        bouncedAt: null,
      }));
    },
    async listInboundEmails({ since }) {
      const emails = await searchAll(
        'emails',
        [
          { propertyName: 'hs_email_direction', operator: 'EQ', value: 'INCOMING_EMAIL' },
          { propertyName: 'hs_timestamp', operator: 'GTE', value: since.toISOString() },
        ],
        EMAIL_PROPERTIES,
      );
      const deals = new Map<string, string>();
      for (let start = 0; start < emails.length; start += 100) {
        const chunk = emails.slice(start, start + 100);
        const batch = await call('associations read', { fromType: 'emails', toType: 'deals', count: chunk.length }, (hubspot, sdk) =>
          hubspot.crm.associations.v4.batchApi.getPage('emails', 'deals', { inputs: chunk.map((email) => ({ id: email.id })) } as never, sdk),
        );
        for (const result of batch.results) {
          const first = result.to[0];
          if (first !== undefined) deals.set(String(result._from.id), String(first.toObjectId));
        }
      }
      return emails
        .map((object): InboundEmail => ({
          id: object.id,
          fromEmail: (value(object, 'hs_email_from_email') ?? '').toLowerCase(),
          dealId: deals.get(object.id) ?? null,
          subject: value(object, 'hs_email_subject') ?? '',
          body: value(object, 'hs_email_text') ?? '',
          receivedAt: value(object, 'hs_timestamp') ?? '',
        }))
        .sort((left, right) => Date.parse(left.receivedAt) - Date.parse(right.receivedAt) || left.id.localeCompare(right.id));
    },
  };
}
