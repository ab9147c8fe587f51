import type { FakeHubSpotStore } from './fake-hubspot-store.js';

/**
 * HubSpot's v3 merge (POST /crm/v3/objects/{companies|contacts}/merge): the merged record's
 * associations move to the primary, the merged id is listed in the primary's
 * hs_merged_object_ids and the merged record is gone (archived); null for any other route.
 */
export function routeMerge(method: string, path: string, body: unknown, store: FakeHubSpotStore): { status: number; body: unknown } | null {
  const merge = /^\/crm\/v3\/objects\/(companies|contacts)\/merge$/.exec(path);
  if (method !== 'POST' || merge === null) return null;
  const type = merge[1] ?? '';
  const request = (body ?? {}) as { primaryObjectId?: string; objectIdToMerge?: string };
  const table = store.table(type);
  const primary = table.get(request.primaryObjectId ?? '');
  const merged = table.get(request.objectIdToMerge ?? '');
  if (primary === undefined || merged === undefined || primary.id === merged.id)
    return { status: 400, body: { status: 'error', message: 'Invalid merge: both objects must exist and differ', category: 'VALIDATION_ERROR' } };
  for (const [other, ids] of Object.entries(merged.associations)) {
    const into = (primary.associations[other] ??= []);
    for (const id of ids) {
      if (!into.includes(id)) into.push(id);
      const target = store.table(other).get(id)?.associations[type];
      if (target !== undefined) target.splice(0, target.length, ...new Set(target.map((value) => (value === merged.id ? primary.id : value))));
    }
  }
  const previous = primary.properties['hs_merged_object_ids'];
  store.update(type, primary.id, { hs_merged_object_ids: previous === undefined || previous === '' ? merged.id : `${previous};${merged.id}` });
  table.delete(merged.id);
  store.sideEffects.push({ kind: 'merge', objectType: type, objectId: primary.id, properties: { merged: merged.id }, at: new Date().toISOString() });
  return { status: 200, body: store.render(type, primary, undefined) };
}
