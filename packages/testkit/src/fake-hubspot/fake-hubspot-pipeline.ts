import type { FakeHubSpotStore } from './fake-hubspot-store.js';

/** A pipeline stage as the pipelines API returns it (probability is a string in metadata). */
export interface FakeHubSpotStage {
  id: string;
  label: string;
  displayOrder: number;
  probability: number;
  isClosed: boolean;
}

/** A property's history: its values, newest first (as propertiesWithHistory returns them). */
export type FakeHubSpotPropertyHistory = Record<string, Record<string, Array<{ value: string; timestamp: string }>>>;

/** What the pipeline and history routes serve. */
export interface FakeHubSpotPipelineData {
  /** The deal pipeline's stages (GET /crm/v3/pipelines/deals). */
  dealStages?: FakeHubSpotStage[];
  /** Per deal id, per property: the values HubSpot keeps (POST /crm/v3/objects/deals/batch/read with propertiesWithHistory). */
  dealHistory?: FakeHubSpotPropertyHistory;
}

const STAMP = '2024-01-01T00:00:00.000Z';

/**
 * The pipelines API and batch reads with property history, for the forecast and end-of-day
 * jobs; null when the request is for another route.
 */
export function routePipelineAndHistory(
  method: string,
  path: string,
  body: unknown,
  store: FakeHubSpotStore,
  data: FakeHubSpotPipelineData,
): { status: number; body: unknown } | null {
  if (method === 'GET' && path === '/crm/v3/pipelines/deals') {
    const stages = (data.dealStages ?? []).map((stage) => ({
      id: stage.id,
      label: stage.label,
      displayOrder: stage.displayOrder,
      metadata: { probability: String(stage.probability), isClosed: String(stage.isClosed) },
      createdAt: STAMP,
      updatedAt: STAMP,
      archived: false,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    }));
    return {
      status: 200,
      body: { results: [{ id: 'default', label: 'Sales Pipeline', displayOrder: 0, stages, createdAt: STAMP, updatedAt: STAMP, archived: false }] },
    };
  }
  const batch = /^\/crm\/v3\/objects\/([a-z_]+)\/batch\/read$/.exec(path);
  const request = (body ?? {}) as { inputs?: Array<{ id: string }>; properties?: string[]; propertiesWithHistory?: string[] };
  // Only reads that ask for history; plain batch reads are fake-hubspot-v4's.
  if (method === 'POST' && batch !== null && (request.propertiesWithHistory ?? []).length > 0) {
    const type = batch[1] ?? '';
    const results = (request.inputs ?? []).flatMap(({ id }) => {
      const object = store.table(type).get(id);
      if (object === undefined) return [];
      const rendered = store.render(type, object, request.properties);
      const wanted = request.propertiesWithHistory ?? [];
      const history = type === 'deals' ? (data.dealHistory?.[id] ?? {}) : {};
      const propertiesWithHistory: Record<string, Array<{ value: string; timestamp: string; sourceType: string; sourceId: string }>> = {};
      for (const name of wanted)
        propertiesWithHistory[name] = (history[name] ?? []).map((entry) => ({ ...entry, sourceType: 'CRM_UI', sourceId: 'userId:71820011' }));
      return [{ ...rendered, propertiesWithHistory }];
    });
    return { status: 200, body: { status: 'COMPLETE', results, startedAt: STAMP, completedAt: STAMP } };
  }
  return null;
}
