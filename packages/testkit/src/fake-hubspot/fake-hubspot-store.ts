/** A CRM object held by the fake. */
export interface FakeHubSpotObject {
  id: string;
  properties: Record<string, string>;
  associations: Record<string, string[]>;
  createdAt: string;
  updatedAt: string;
}

/** One side effect the fake applied, in order, so tests can count them. */
export interface FakeHubSpotSideEffect {
  kind: 'create' | 'update' | 'merge';
  objectType: string;
  objectId: string;
  properties: Record<string, string>;
  at: string;
}

/** What a test seeds the fake with (HubSpot shapes; see hubspotObjectsFromSample in @jbot/connectors). */
export interface FakeHubSpotSeed {
  owners?: Array<{ id: string; email: string; firstName: string; lastName: string; teams?: Array<{ id: string; name: string; primary: boolean }> }>;
  objects?: Record<string, Array<{ id: string; properties: Record<string, string>; associations?: Record<string, string[]> }>>;
}

// HubSpot's plural object type → the singular used in association type names (deal_to_contact).
const SINGULAR: Record<string, string> = {
  deals: 'deal',
  contacts: 'contact',
  emails: 'email',
  companies: 'company',
  notes: 'note',
  tasks: 'task',
  meetings: 'meeting',
};

/** Association type ids from an email/note/task/meeting to other objects, as HubSpot defines them. */
const ASSOCIATION_TARGETS: Record<number, string> = {
  210: 'deals',
  198: 'contacts',
  186: 'companies',
  214: 'deals',
  202: 'contacts',
  216: 'deals',
  204: 'contacts',
  192: 'companies',
  200: 'contacts',
  212: 'deals',
};

/** The fake's in-memory CRM. */
export class FakeHubSpotStore {
  readonly owners: NonNullable<FakeHubSpotSeed['owners']>;
  readonly objects = new Map<string, Map<string, FakeHubSpotObject>>();
  readonly sideEffects: FakeHubSpotSideEffect[] = [];
  private nextId = 90_000_000_001;

  constructor(seed: FakeHubSpotSeed = {}) {
    this.owners = [...(seed.owners ?? [])];
    const now = new Date().toISOString();
    for (const [type, list] of Object.entries(seed.objects ?? {})) {
      for (const object of list)
        this.table(type).set(object.id, {
          id: object.id,
          properties: { ...object.properties },
          associations: { ...(object.associations ?? {}) },
          createdAt: object.properties['createdate'] ?? now,
          updatedAt: now,
        });
    }
  }

  /** Objects of one type, created on first use. */
  table(type: string): Map<string, FakeHubSpotObject> {
    let table = this.objects.get(type);
    if (table === undefined) {
      table = new Map();
      this.objects.set(type, table);
    }
    return table;
  }

  /** Create an object; associations as the v3 create body gives them. Emails touch the deal's last-activity date. */
  create(
    type: string,
    properties: Record<string, string>,
    associations: Array<{ to: { id: string }; types: Array<{ associationTypeId: number }> }> = [],
  ): FakeHubSpotObject {
    const now = new Date().toISOString();
    const object: FakeHubSpotObject = {
      id: String(this.nextId++),
      properties: { ...properties, hs_createdate: now },
      associations: {},
      createdAt: now,
      updatedAt: now,
    };
    for (const association of associations) {
      for (const spec of association.types) {
        const target = ASSOCIATION_TARGETS[spec.associationTypeId];
        if (target === undefined) continue;
        (object.associations[target] ??= []).push(association.to.id);
        const other = this.table(target).get(association.to.id);
        if (other !== undefined) {
          (other.associations[type] ??= []).push(object.id);
          // HubSpot recomputes "Last Activity Date" when an engagement is logged against a record.
          if (type === 'emails' || type === 'notes' || type === 'calls' || type === 'meetings') other.properties['notes_last_updated'] = now;
          // …and "Last Contacted" for a logged sales email, call or meeting.
          if (type === 'emails' || type === 'calls' || type === 'meetings') other.properties['notes_last_contacted'] = now;
        }
      }
    }
    this.table(type).set(object.id, object);
    this.sideEffects.push({ kind: 'create', objectType: type, objectId: object.id, properties: { ...properties }, at: now });
    return object;
  }

  /** Merge properties into an object; undefined when it does not exist. */
  update(type: string, id: string, properties: Record<string, string>): FakeHubSpotObject | undefined {
    const object = this.table(type).get(id);
    if (object === undefined) return undefined;
    const now = new Date().toISOString();
    Object.assign(object.properties, properties);
    object.properties['hs_lastmodifieddate'] = now;
    object.updatedAt = now;
    this.sideEffects.push({ kind: 'update', objectType: type, objectId: id, properties: { ...properties }, at: now });
    return object;
  }

  /** The v3 JSON of an object, with only the requested properties (all when none requested). */
  render(type: string, object: FakeHubSpotObject, propertyNames: string[] | undefined, associationTypes: string[] = []): Record<string, unknown> {
    const properties: Record<string, string | null> = { hs_object_id: object.id };
    if (propertyNames === undefined || propertyNames.length === 0) Object.assign(properties, object.properties);
    else for (const name of propertyNames) properties[name] = object.properties[name] ?? null;
    const rendered: Record<string, unknown> = { id: object.id, properties, createdAt: object.createdAt, updatedAt: object.updatedAt, archived: false };
    const associations: Record<string, unknown> = {};
    for (const other of associationTypes) {
      const ids = object.associations[other] ?? [];
      if (ids.length > 0) associations[other] = { results: ids.map((id) => ({ id, type: `${SINGULAR[type] ?? type}_to_${SINGULAR[other] ?? other}` })) };
    }
    if (Object.keys(associations).length > 0) rendered['associations'] = associations;
    return rendered;
  }
}
