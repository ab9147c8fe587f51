import type { SideEffectLedger } from '../ledger/side-effect-ledger.js';
import type { DealOwner } from './crm-connector.js';
import { companyFromObject, HUBSPOT_COMPANY_PROPERTIES, type HubSpotCall } from './hubspot-crm-companies.js';
import type { CrmContactRecord, CrmSearchMethods, MergeRecordsResult } from './crm-search.js';

type Filter = { propertyName: string; operator: never; value: string };

const CONTACT_PROPERTIES = ['firstname', 'lastname', 'email', 'jobtitle', 'createdate', 'associatedcompanyid', 'num_associated_deals'];

// HubSpot ORs filter groups and ANDs the filters inside one; each search criterion is its own group.
const group = (propertyName: string, operator: string, value: string) => ({ filters: [{ propertyName, operator: operator as never, value } satisfies Filter] });

/**
 * Companies and contacts search (`crm.companies.searchApi.doSearch`, `crm.contacts.searchApi.doSearch`)
 * and the v3 merge endpoints (POST /crm/v3/objects/{companies,contacts}/merge: `basicApi.merge` in SDK 13) through the
 * side-effect ledger: after an uncertain merge the primary's hs_merged_object_ids says whether it landed.
 */
export function hubspotSearchMethods(call: HubSpotCall, ledger: SideEffectLedger, listOwners: () => Promise<DealOwner[]>): CrmSearchMethods {
  async function searchAll<Item>(
    operation: string,
    objectType: 'companies' | 'contacts',
    filterGroups: Array<ReturnType<typeof group>>,
    properties: string[],
    map: (object: { id: string; properties: Record<string, string | null> }) => Item,
  ): Promise<Item[]> {
    const items: Item[] = [];
    let after: string | undefined;
    do {
      const request = { filterGroups, properties, limit: 100, ...(after === undefined ? {} : { after }) };
      const page = await call(operation, { filters: filterGroups.length }, (hubspot, sdk) =>
        objectType === 'companies' ? hubspot.crm.companies.searchApi.doSearch(request, sdk) : hubspot.crm.contacts.searchApi.doSearch(request, sdk),
      );
      items.push(...page.results.map(map));
      after = page.paging?.next?.after;
    } while (after !== undefined);
    return items;
  }

  return {
    async searchCompanies(search) {
      const groups = [
        ...(search.createdSince === undefined ? [] : [group('createdate', 'GTE', String(search.createdSince.getTime()))]),
        ...(search.domain === undefined ? [] : [group('domain', 'EQ', search.domain)]),
        ...(search.state === undefined ? [] : [group('state', 'EQ', search.state)]),
      ];
      if (groups.length === 0) return [];
      const owners = new Map((await listOwners()).map((owner) => [owner.id, owner]));
      return searchAll('companies search', 'companies', groups, HUBSPOT_COMPANY_PROPERTIES, (object) => companyFromObject(object, owners));
    },
    async searchContacts(search) {
      const groups = [
        ...(search.createdSince === undefined ? [] : [group('createdate', 'GTE', String(search.createdSince.getTime()))]),
        ...(search.emailDomain === undefined ? [] : [group('email', 'CONTAINS_TOKEN', `*@${search.emailDomain}`)]),
      ];
      if (groups.length === 0) return [];
      return searchAll('contacts search', 'contacts', groups, CONTACT_PROPERTIES, (object): CrmContactRecord => ({
        id: object.id,
        companyId: object.properties['associatedcompanyid'] ?? null,
        firstName: object.properties['firstname'] ?? '',
        lastName: object.properties['lastname'] ?? '',
        email: object.properties['email'] ?? '',
        title: object.properties['jobtitle'] ?? null,
        createdAt: object.properties['createdate'] ?? '',
        associationCount: Number(object.properties['num_associated_deals'] ?? 0),
      }));
    },
    async mergeRecords(input) {
      const { result, performed } = await ledger.run<MergeRecordsResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'hubspot',
        action: `${input.objectType}.merge`,
        request: { primaryId: input.primaryId, mergeId: input.mergeId },
        // After an uncertain merge: the survivor lists the ids merged into it.
        lookup: async () => {
          const primary = await call(`${input.objectType} get`, { id: input.primaryId }, (hubspot, sdk) =>
            input.objectType === 'companies'
              ? hubspot.crm.companies.basicApi.getById(input.primaryId, ['hs_merged_object_ids'], undefined, undefined, false, undefined, sdk)
              : hubspot.crm.contacts.basicApi.getById(input.primaryId, ['hs_merged_object_ids'], undefined, undefined, false, undefined, sdk),
          );
          const merged = (primary.properties['hs_merged_object_ids'] ?? '').split(';').includes(input.mergeId);
          return merged ? { primaryId: primary.id, mergedId: input.mergeId, merged: true } : null;
        },
        perform: async () => {
          const body = { primaryObjectId: input.primaryId, objectIdToMerge: input.mergeId };
          const survivor = await call(`${input.objectType} merge`, { primaryId: input.primaryId, mergeId: input.mergeId }, (hubspot, sdk) =>
            input.objectType === 'companies' ? hubspot.crm.companies.basicApi.merge(body, sdk) : hubspot.crm.contacts.basicApi.merge(body, sdk),
          );
          return { primaryId: survivor.id, mergedId: input.mergeId, merged: true };
        },
      });
      return { ...result, merged: performed };
    },
  };
}
