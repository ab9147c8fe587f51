import type { Client } from '@hubspot/api-client';
import type { Db, Logger } from '@jbot/core';
import { listBrandFacts } from './sample-crm-activity.js';
import type { SideEffectLedger } from '../ledger/side-effect-ledger.js';
import {
  ONBOARDING_ITEMS,
  type AccountOnboarding,
  type CrmProspect,
  type AssignLeadResult,
  type CrmActivity,
  type CrmEngagement,
  type CrmLead,
  type CrmLineItem,
  type LeadEmailResult,
} from './crm-activity.js';

/** One HubSpot call under the connector's timeout and abort signal (hubspot-crm-connector's `call`). */
export type HubSpotCall = <Result>(
  operation: string,
  facts: Record<string, unknown>,
  run: (client: Client, sdkOptions: never) => Promise<Result>,
) => Promise<Result>;

/** Contact properties the lead router reads; the last three are the wholesale form's own fields. */
export const HUBSPOT_LEAD_PROPERTIES = [
  'firstname',
  'lastname',
  'email',
  'company',
  'state',
  'lifecyclestage',
  'hubspot_owner_id',
  'createdate',
  'recent_conversion_event_name',
  'wholesale_segment',
  'store_count',
  'wholesale_inquiry_message',
];

/** The wholesale inquiry form, as HubSpot names the conversion it records on the contact. */
export const WHOLESALE_FORM_EVENT = 'Wholesale inquiry';

// HubSpot-defined association type ids: email → contact, email → company.
const EMAIL_TO_CONTACT = 198;
const EMAIL_TO_COMPANY = 186;
const IDEMPOTENCY_PROPERTY = 'jbot_idempotency_key';
const BATCH = 100;

type SearchFilter = { propertyName: string; operator: string; value?: string; values?: string[] };
type HubSpotObject = { id: string; properties: Record<string, string | null> };

function chunks<Item>(items: readonly Item[], size: number): Item[][] {
  const out: Item[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

const property = (object: HubSpotObject, name: string): string | null => {
  const value = object.properties[name];
  return value === undefined || value === null || value === '' ? null : value;
};

/**
 * The selling activity on HubSpot: CRM search for engagements, tasks, quotes and leads,
 * associations v4 for what belongs to which deal, products for the price list, owners for teams.
 * The two writes (owner on a contact, a logged email) go through the side-effect ledger.
 */
export function createHubSpotCrmActivity(options: { call: HubSpotCall; ledger: SideEffectLedger; db: Db; log?: Logger }): CrmActivity {
  const { call, ledger } = options;

  // Every page of one CRM search (HubSpot caps a page at 100 and a search at 10,000 results).
  async function searchAll(objectType: string, filters: SearchFilter[], properties: string[]): Promise<HubSpotObject[]> {
    const found: HubSpotObject[] = [];
    let after: string | undefined;
    do {
      const cursor = after;
      const page = await call(`${objectType} search`, { objectType }, (hubspot, sdk) =>
        hubspot.crm.objects.searchApi.doSearch(
          objectType,
          {
            filterGroups: [{ filters: filters as never }],
            properties,
            sorts: ['hs_object_id'],
            limit: 100,
            ...(cursor === undefined ? {} : { after: cursor }),
          },
          sdk,
        ),
      );
      found.push(...(page.results as HubSpotObject[]));
      after = page.paging?.next?.after;
    } while (after !== undefined);
    return found;
  }

  // Associations v4 batch read: each object's associated ids of one type (first one is "the" deal).
  async function associated(fromType: string, toType: string, ids: readonly string[]): Promise<Map<string, string[]>> {
    const byId = new Map<string, string[]>();
    for (const chunk of chunks([...new Set(ids)], BATCH)) {
      const batch = await call('associations read', { fromType, toType, count: chunk.length }, (hubspot, sdk) =>
        hubspot.crm.associations.v4.batchApi.getPage(fromType, toType, { inputs: chunk.map((id) => ({ id })) } as never, sdk),
      );
      for (const result of batch.results)
        byId.set(
          String(result._from.id),
          result.to.map((to) => String(to.toObjectId)),
        );
    }
    return byId;
  }

  async function engagementsOf(objectType: 'calls' | 'emails' | 'meetings', since: Date, until: Date): Promise<CrmEngagement[]> {
    const titles = { calls: 'hs_call_title', emails: 'hs_email_subject', meetings: 'hs_meeting_title' } as const;
    const objects = await searchAll(
      objectType,
      [
        { propertyName: 'hs_timestamp', operator: 'GTE', value: since.toISOString() },
        { propertyName: 'hs_timestamp', operator: 'LT', value: until.toISOString() },
      ],
      ['hs_timestamp', 'hubspot_owner_id', titles[objectType], 'hs_email_direction', 'hs_email_from_email', 'hs_email_to_email'],
    );
    const deals =
      objects.length === 0
        ? new Map<string, string[]>()
        : await associated(
            objectType,
            'deals',
            objects.map((object) => object.id),
          );
    return objects.map((object) => {
      const direction = objectType !== 'emails' ? null : property(object, 'hs_email_direction') === 'INCOMING_EMAIL' ? 'incoming' : 'outgoing';
      const other = direction === 'incoming' ? property(object, 'hs_email_from_email') : property(object, 'hs_email_to_email');
      return {
        id: object.id,
        type: objectType === 'calls' ? 'call' : objectType === 'emails' ? 'email' : 'meeting',
        direction,
        ownerId: property(object, 'hubspot_owner_id'),
        dealId: deals.get(object.id)?.[0] ?? null,
        contactEmail: other === null ? null : other.toLowerCase(),
        subject: property(object, titles[objectType]) ?? '',
        occurredAt: property(object, 'hs_timestamp') ?? '',
      } satisfies CrmEngagement;
    });
  }

  async function firstBySearch(objectType: string, key: string): Promise<HubSpotObject | null> {
    const found = await call(`${objectType} search`, { idempotencyKey: key }, (hubspot, sdk) =>
      hubspot.crm.objects.searchApi.doSearch(
        objectType,
        {
          filterGroups: [{ filters: [{ propertyName: IDEMPOTENCY_PROPERTY, operator: 'EQ' as never, value: key }] }],
          properties: [IDEMPOTENCY_PROPERTY],
          limit: 1,
        },
        sdk,
      ),
    );
    return (found.results[0] as HubSpotObject | undefined) ?? null;
  }

  return {
    async listEngagements({ since, until }) {
      const all = [
        ...(await engagementsOf('calls', since, until)),
        ...(await engagementsOf('emails', since, until)),
        ...(await engagementsOf('meetings', since, until)),
      ];
      return all.sort((left, right) => left.occurredAt.localeCompare(right.occurredAt) || left.id.localeCompare(right.id));
    },
    async listOpenTasks() {
      const tasks = await searchAll(
        'tasks',
        [{ propertyName: 'hs_task_status', operator: 'NEQ', value: 'COMPLETED' }],
        ['hs_task_subject', 'hs_task_status', 'hs_timestamp', 'hubspot_owner_id'],
      );
      const deals =
        tasks.length === 0
          ? new Map<string, string[]>()
          : await associated(
              'tasks',
              'deals',
              tasks.map((task) => task.id),
            );
      return tasks
        .map((task) => ({
          id: task.id,
          dealId: deals.get(task.id)?.[0] ?? null,
          ownerId: property(task, 'hubspot_owner_id'),
          subject: property(task, 'hs_task_subject') ?? '',
          status: property(task, 'hs_task_status') ?? 'NOT_STARTED',
          dueAt: property(task, 'hs_timestamp') ?? '',
        }))
        .sort((left, right) => left.dueAt.localeCompare(right.dueAt) || left.id.localeCompare(right.id));
    },
    async listQuotes() {
      const quotes = await searchAll(
        'quotes',
        [{ propertyName: 'hs_status', operator: 'NEQ', value: 'DRAFT' }],
        ['hs_title', 'hs_status', 'hs_quote_amount', 'hs_expiration_date', 'hs_createdate'],
      );
      const deals =
        quotes.length === 0
          ? new Map<string, string[]>()
          : await associated(
              'quotes',
              'deals',
              quotes.map((quote) => quote.id),
            );
      return quotes.map((quote) => {
        const amount = Number(property(quote, 'hs_quote_amount') ?? Number.NaN);
        return {
          id: quote.id,
          dealId: deals.get(quote.id)?.[0] ?? null,
          title: property(quote, 'hs_title') ?? `Quote ${quote.id}`,
          status: property(quote, 'hs_status') ?? '',
          amount: Number.isFinite(amount) ? amount : null,
          sentAt: property(quote, 'hs_createdate') ?? '',
          // HubSpot holds the expiration as midnight UTC of the day picked.
          expiresOn: (property(quote, 'hs_expiration_date') ?? '').slice(0, 10),
        };
      });
    },
    async listDealLineItems(dealIds) {
      if (dealIds.length === 0) return [];
      const byDeal = await associated('deals', 'line_items', dealIds);
      const dealOf = new Map<string, string>();
      for (const [dealId, itemIds] of byDeal) for (const itemId of itemIds) dealOf.set(itemId, dealId);
      const items: CrmLineItem[] = [];
      for (const chunk of chunks([...dealOf.keys()], BATCH)) {
        const batch = await call('line items read', { count: chunk.length }, (hubspot, sdk) =>
          hubspot.crm.lineItems.batchApi.read(
            { inputs: chunk.map((id) => ({ id })), properties: ['hs_sku', 'name', 'quantity', 'price', 'hs_discount_percentage'], propertiesWithHistory: [] },
            false,
            sdk,
          ),
        );
        for (const item of batch.results as HubSpotObject[])
          items.push({
            id: item.id,
            dealId: dealOf.get(item.id) ?? '',
            sku: property(item, 'hs_sku') ?? '',
            name: property(item, 'name') ?? '',
            quantity: Number(property(item, 'quantity') ?? 0),
            price: Number(property(item, 'price') ?? 0),
            discountPct: Number(property(item, 'hs_discount_percentage') ?? 0),
          });
      }
      return items.sort((left, right) => left.dealId.localeCompare(right.dealId) || left.id.localeCompare(right.id));
    },
    async listProducts() {
      const products: HubSpotObject[] = [];
      let after: string | undefined;
      do {
        const page = await call('products list', {}, (hubspot, sdk) =>
          hubspot.crm.products.basicApi.getPage(100, after, ['hs_sku', 'name', 'price', 'hs_cost_of_goods_sold'], undefined, undefined, false, sdk),
        );
        products.push(...(page.results as HubSpotObject[]));
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return products.flatMap((product) => {
        const sku = property(product, 'hs_sku');
        const price = Number(property(product, 'price') ?? Number.NaN);
        if (sku === null || !Number.isFinite(price)) return [];
        const cost = Number(property(product, 'hs_cost_of_goods_sold') ?? Number.NaN);
        return [{ sku, name: property(product, 'name') ?? sku, wholesalePrice: price, unitCost: Number.isFinite(cost) ? cost : null }];
      });
    },
    async listLeads({ since }) {
      const contacts = await searchAll(
        'contacts',
        [
          { propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' },
          { propertyName: 'createdate', operator: 'GTE', value: since.toISOString() },
          { propertyName: 'recent_conversion_event_name', operator: 'EQ', value: WHOLESALE_FORM_EVENT },
        ],
        HUBSPOT_LEAD_PROPERTIES,
      );
      return contacts
        .map((contact): CrmLead => ({
          id: contact.id,
          firstName: property(contact, 'firstname') ?? '',
          lastName: property(contact, 'lastname') ?? '',
          email: property(contact, 'email') ?? '',
          company: property(contact, 'company') ?? '',
          state: (property(contact, 'state') ?? '').toUpperCase(),
          segment: (property(contact, 'wholesale_segment') ?? '').toLowerCase(),
          storeCount: Number(property(contact, 'store_count') ?? 0) || 0,
          message: property(contact, 'wholesale_inquiry_message') ?? '',
          ownerId: property(contact, 'hubspot_owner_id'),
          createdAt: property(contact, 'createdate') ?? '',
        }))
        .sort((left, right) => left.createdAt.localeCompare(right.createdAt) || left.id.localeCompare(right.id));
    },
    // HubSpot keeps no territory table: with none, the router spreads leads over every owner.
    async listTerritories() {
      return [];
    },
    async listOwnerTeams() {
      const teams: Array<{ ownerId: string; team: string | null }> = [];
      let after: string | undefined;
      do {
        const page = await call('owners list', {}, (hubspot, sdk) => hubspot.crm.owners.ownersApi.getPage(undefined, after, 100, false, sdk));
        for (const owner of page.results) {
          const team = owner.teams?.find((candidate) => candidate.primary) ?? owner.teams?.[0];
          teams.push({ ownerId: owner.id, team: team?.name ?? null });
        }
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return teams;
    },
    async listAccountOnboarding(dealIds) {
      if (dealIds.length === 0) return [];
      const companies = await associated('deals', 'companies', dealIds);
      const companyIds = [...new Set([...companies.values()].flatMap((ids) => ids.slice(0, 1)))];
      const byId = new Map<string, HubSpotObject>();
      for (const chunk of chunks(companyIds, BATCH)) {
        const batch = await call('companies read', { count: chunk.length }, (hubspot, sdk) =>
          hubspot.crm.companies.batchApi.read(
            { inputs: chunk.map((id) => ({ id })), properties: ['name', ...ONBOARDING_ITEMS.map((item) => `onboarding_${item}`)], propertiesWithHistory: [] },
            false,
            sdk,
          ),
        );
        for (const company of batch.results as HubSpotObject[]) byId.set(company.id, company);
      }
      return dealIds.flatMap((dealId): AccountOnboarding[] => {
        const company = byId.get(companies.get(dealId)?.[0] ?? '');
        if (company === undefined) return [];
        // A checklist box is a HubSpot single checkbox: "true" when ticked.
        const done = Object.fromEntries(
          ONBOARDING_ITEMS.map((item) => [item, property(company, `onboarding_${item}`) === 'true']),
        ) as AccountOnboarding['done'];
        return [{ dealId, accountId: company.id, account: property(company, 'name') ?? `Company ${company.id}`, done }];
      });
    },
    async listProspects() {
      const companies = await searchAll(
        'companies',
        [{ propertyName: 'hs_is_target_account', operator: 'EQ', value: 'true' }],
        ['name', 'domain', 'state', 'wholesale_segment', 'store_count', 'notes_last_contacted', 'hs_num_open_deals', 'jbot_outreach_suppressed'],
      );
      const buyers =
        companies.length === 0
          ? new Map<string, string[]>()
          : await associated(
              'companies',
              'contacts',
              companies.map((company) => company.id),
            );
      const contactIds = [...new Set([...buyers.values()].flatMap((ids) => ids.slice(0, 1)))];
      const contacts = new Map<string, HubSpotObject>();
      for (const chunk of chunks(contactIds, BATCH)) {
        const batch = await call('contacts read', { count: chunk.length }, (hubspot, sdk) =>
          hubspot.crm.contacts.batchApi.read(
            { inputs: chunk.map((id) => ({ id })), properties: ['firstname', 'lastname', 'email'], propertiesWithHistory: [] },
            false,
            sdk,
          ),
        );
        for (const contact of batch.results as HubSpotObject[]) contacts.set(contact.id, contact);
      }
      return companies.map((company): CrmProspect => {
        const contact = contacts.get(buyers.get(company.id)?.[0] ?? '');
        const email = contact === undefined ? null : property(contact, 'email');
        return {
          id: company.id,
          name: property(company, 'name') ?? `Company ${company.id}`,
          domain: property(company, 'domain') ?? '',
          state: (property(company, 'state') ?? '').toUpperCase(),
          segment: (property(company, 'wholesale_segment') ?? '').toLowerCase(),
          storeCount: Number(property(company, 'store_count') ?? 0) || 0,
          lastContactedAt: property(company, 'notes_last_contacted'),
          hasOpenDeal: Number(property(company, 'hs_num_open_deals') ?? 0) > 0,
          suppressed: property(company, 'jbot_outreach_suppressed') === 'true',
          buyer:
            contact === undefined || email === null
              ? null
              : { contactId: contact.id, firstName: property(contact, 'firstname') ?? '', lastName: property(contact, 'lastname') ?? '', email },
        };
      });
    },
    // Brand facts are the company's own content, kept in the brain whatever the CRM.
    listBrandFacts: () => listBrandFacts(options.db),
    async sendProspectEmail(input) {
      const { result, performed } = await ledger.run<LeadEmailResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'hubspot',
        action: 'email.create',
        request: { prospectId: input.prospectId, to: input.to, subject: input.subject },
        lookup: async () => {
          const found = await firstBySearch('emails', input.idempotencyKey);
          return found === null ? null : { emailId: found.id, created: true };
        },
        perform: async () => {
          const associations = [
            { to: { id: input.prospectId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: EMAIL_TO_COMPANY }] },
          ];
          if (input.contactId !== null)
            associations.push({
              to: { id: input.contactId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: EMAIL_TO_CONTACT }],
            });
          const created = await call('email create', { prospectId: input.prospectId, idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.objects.emails.basicApi.create(
              {
                properties: {
                  hs_timestamp: new Date().toISOString(),
                  hs_email_direction: 'EMAIL',
                  hs_email_status: 'SENT',
                  hs_email_subject: input.subject,
                  hs_email_text: input.body,
                  hs_email_to_email: input.to,
                  hs_email_headers: JSON.stringify({ to: [{ email: input.to }] }),
                  hubspot_owner_id: input.ownerId,
                  [IDEMPOTENCY_PROPERTY]: input.idempotencyKey,
                },
                associations,
              },
              sdk,
            ),
          );
          return { emailId: created.id, created: true };
        },
      });
      return { ...result, created: performed };
    },
    async assignLead(input) {
      const { result, performed } = await ledger.run<AssignLeadResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'hubspot',
        action: 'contact.update',
        request: { leadId: input.leadId, ownerId: input.ownerId },
        // Setting the same owner again is harmless, so recovery simply re-applies.
        lookup: async () => null,
        perform: async () => {
          const updated = await call('contact update', { leadId: input.leadId, idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.contacts.basicApi.update(input.leadId, { properties: { hubspot_owner_id: input.ownerId } }, undefined, sdk),
          );
          return { leadId: updated.id, ownerId: updated.properties['hubspot_owner_id'] ?? input.ownerId, applied: true };
        },
      });
      return { ...result, applied: performed };
    },
    async sendLeadEmail(input) {
      const { result, performed } = await ledger.run<LeadEmailResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'hubspot',
        action: 'email.create',
        request: { leadId: input.leadId, to: input.to, subject: input.subject },
        lookup: async () => {
          const found = await firstBySearch('emails', input.idempotencyKey);
          return found === null ? null : { emailId: found.id, created: true };
        },
        perform: async () => {
          const created = await call('email create', { leadId: input.leadId, idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.objects.emails.basicApi.create(
              {
                properties: {
                  hs_timestamp: new Date().toISOString(),
                  hs_email_direction: 'EMAIL',
                  hs_email_status: 'SENT',
                  hs_email_subject: input.subject,
                  hs_email_text: input.body,
                  hs_email_to_email: input.to,
                  hs_email_headers: JSON.stringify({ to: [{ email: input.to }] }),
                  hubspot_owner_id: input.ownerId,
                  [IDEMPOTENCY_PROPERTY]: input.idempotencyKey,
                },
                associations: [{ to: { id: input.leadId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: EMAIL_TO_CONTACT }] }],
              },
              sdk,
            ),
          );
          return { emailId: created.id, created: true };
        },
      });
      options.log?.info(
        { leadId: input.leadId, emailId: result.emailId, performed },
        performed ? 'HubSpot lead email logged' : 'HubSpot lead email already logged under this key',
      );
      return { ...result, created: performed };
    },
  };
}
