import type { FakeHubSpotStore } from './fake-hubspot-store.js';

// HubSpot-defined association type ids the fake reports for v4 reads (from → to).
const TYPE_IDS: Record<string, number> = {
  'deals→line_items': 19,
  'deals→contacts': 3,
  'tasks→deals': 216,
  'quotes→deals': 64,
  'emails→deals': 210,
  'calls→deals': 206,
  'meetings→deals': 212,
};

/**
 * The fake's associations v4 and batch-read endpoints: `POST /crm/v4/associations/{from}/{to}/batch/read`
 * (the answer shape of HubSpot's "Retrieve associations" batch, toObjectId as a number) and
 * `POST /crm/v3/objects/{type}/batch/read`. Returns undefined for any other request.
 */
export function routeBatchReads(store: FakeHubSpotStore, method: string, path: string, body: unknown): { status: number; body: unknown } | undefined {
  if (method !== 'POST') return undefined;
  const now = new Date().toISOString();
  const associations = /^\/crm\/v4\/associations\/([a-z_]+)\/([a-z_]+)\/batch\/read$/.exec(path);
  if (associations !== null) {
    const from = associations[1] ?? '';
    const to = associations[2] ?? '';
    const inputs = ((body ?? {}) as { inputs?: Array<{ id: string }> }).inputs ?? [];
    const results = inputs.flatMap((input) => {
      const ids = store.table(from).get(String(input.id))?.associations[to] ?? [];
      if (ids.length === 0) return [];
      return [
        {
          from: { id: String(input.id) },
          to: ids.map((id) => ({
            toObjectId: Number(id),
            associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: TYPE_IDS[`${from}→${to}`] ?? 1, label: null }],
          })),
        },
      ];
    });
    return { status: 200, body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
  }
  const batchRead = /^\/crm\/v3\/objects\/([a-z_]+)\/batch\/read$/.exec(path);
  if (batchRead !== null) {
    const type = batchRead[1] ?? '';
    const request = (body ?? {}) as { inputs?: Array<{ id: string }>; properties?: string[] };
    const results = (request.inputs ?? []).flatMap((input) => {
      const object = store.table(type).get(String(input.id));
      return object === undefined ? [] : [store.render(type, object, request.properties)];
    });
    return { status: 200, body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
  }
  return undefined;
}
