import type { Client } from '@hubspot/api-client';
import type { SideEffectLedger } from '../ledger/side-effect-ledger.js';
import type { DealOwner } from './crm-connector.js';
import type { CrmCompany, UpdateCompanyInput, UpdateCompanyResult } from './crm-companies.js';

/** One HubSpot call under the connector's limits (hubspotCall, bound by the connector). */
export type HubSpotCall = <Result>(
  operation: string,
  facts: Record<string, unknown>,
  run: (client: Client, sdkOptions: never) => Promise<Result>,
) => Promise<Result>;

/** The company properties salesbot's account jobs read. */
export const HUBSPOT_COMPANY_PROPERTIES = [
  'name',
  'domain',
  'state',
  'segment',
  'hubspot_owner_id',
  'createdate',
  'credit_limit',
  'payment_terms_days',
  'credit_hold',
  'next_line_review_date',
  'num_associated_contacts',
  'num_associated_deals',
];

function blank(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

/** A HubSpot v3 company object in the fleet's shape. */
export function companyFromObject(
  object: { id: string; properties: Record<string, string | null>; createdAt?: Date },
  owners: Map<string, DealOwner>,
): CrmCompany {
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(object.properties)) if (value !== null) properties[key] = value;
  const ownerId = blank(object.properties['hubspot_owner_id']);
  const owner = ownerId === null ? undefined : owners.get(ownerId);
  return {
    id: object.id,
    name: properties['name'] ?? '',
    domain: blank(object.properties['domain']),
    state: blank(object.properties['state']),
    segment: blank(object.properties['segment']),
    ownerId,
    ownerName: owner === undefined ? null : `${owner.firstName} ${owner.lastName}`.trim(),
    createdAt: properties['createdate'] ?? (object.createdAt instanceof Date ? object.createdAt.toISOString() : ''),
    associationCount: Number(properties['num_associated_contacts'] ?? 0) + Number(properties['num_associated_deals'] ?? 0),
    properties,
  };
}

/** Companies on HubSpot: `crm.companies.basicApi.getPage` for the list, a PATCH through the ledger for updates. */
export function hubspotCompanyMethods(call: HubSpotCall, ledger: SideEffectLedger, listOwners: () => Promise<DealOwner[]>) {
  return {
    async listCompanies(): Promise<CrmCompany[]> {
      const owners = new Map((await listOwners()).map((owner) => [owner.id, owner]));
      const companies: CrmCompany[] = [];
      let after: string | undefined;
      do {
        const page = await call('companies list', {}, (hubspot, sdk) =>
          hubspot.crm.companies.basicApi.getPage(100, after, HUBSPOT_COMPANY_PROPERTIES, undefined, undefined, false, sdk),
        );
        for (const object of page.results) companies.push(companyFromObject(object, owners));
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return companies;
    },
    async updateCompany(input: UpdateCompanyInput): Promise<UpdateCompanyResult> {
      const { result, performed } = await ledger.run<UpdateCompanyResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'hubspot',
        action: 'company.update',
        request: { companyId: input.companyId, properties: input.properties },
        // A PATCH of the same properties is harmless to repeat, so recovery simply re-applies.
        lookup: async () => null,
        perform: async () => {
          const updated = await call('company update', { companyId: input.companyId, idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.companies.basicApi.update(input.companyId, { properties: input.properties }, undefined, sdk),
          );
          const properties: Record<string, string> = {};
          for (const [key, value] of Object.entries(updated.properties)) if (value !== null) properties[key] = value;
          return { companyId: updated.id, applied: true, properties };
        },
      });
      return { ...result, applied: performed };
    },
  };
}
