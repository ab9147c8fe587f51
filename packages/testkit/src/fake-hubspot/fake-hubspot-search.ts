import type { FakeHubSpotObject } from './fake-hubspot-store.js';

/** One filter of a CRM search request. */
export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
}

function compare(left: string, right: string): number {
  const leftNumber = Number(left),
    rightNumber = Number(right);
  if (Number.isFinite(leftNumber) && Number.isFinite(rightNumber)) return leftNumber - rightNumber;
  // A datetime filter value may be epoch milliseconds against an ISO property (HubSpot takes both).
  const asTime = (value: string) => (/^\d{10,}$/.test(value) ? Number(value) : Date.parse(value));
  const leftTime = asTime(left),
    rightTime = asTime(right);
  if (Number.isFinite(leftTime) && Number.isFinite(rightTime)) return leftTime - rightTime;
  return left.localeCompare(right);
}

function matches(object: FakeHubSpotObject, filter: SearchFilter): boolean {
  const actual = object.properties[filter.propertyName];
  const value = filter.value ?? '';
  switch (filter.operator) {
    case 'EQ':
      return actual === value;
    case 'NEQ':
      return actual !== value;
    case 'HAS_PROPERTY':
      return actual !== undefined && actual !== '';
    case 'NOT_HAS_PROPERTY':
      return actual === undefined || actual === '';
    case 'IN':
      return actual !== undefined && (filter.values ?? []).includes(actual);
    case 'NOT_IN':
      return actual === undefined || !(filter.values ?? []).includes(actual);
    case 'GT':
      return actual !== undefined && compare(actual, value) > 0;
    case 'GTE':
      return actual !== undefined && compare(actual, value) >= 0;
    case 'LT':
      return actual !== undefined && compare(actual, value) < 0;
    case 'LTE':
      return actual !== undefined && compare(actual, value) <= 0;
    case 'CONTAINS_TOKEN':
      return actual !== undefined && actual.toLowerCase().includes(value.toLowerCase().replace(/\*/g, ''));
    default:
      throw new Error(`fake HubSpot: search operator ${filter.operator} is not implemented`);
  }
}

/** Filter groups are OR-ed, filters inside a group AND-ed, as in HubSpot's CRM search. */
export function searchObjects(objects: Iterable<FakeHubSpotObject>, filterGroups: Array<{ filters: SearchFilter[] }> = []): FakeHubSpotObject[] {
  const all = [...objects];
  if (filterGroups.length === 0) return all;
  return all.filter((object) => filterGroups.some((group) => group.filters.every((filter) => matches(object, filter))));
}
