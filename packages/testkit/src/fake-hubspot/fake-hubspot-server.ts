import { readRequestText } from '../http-body.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeHubSpotStore, type FakeHubSpotObject, type FakeHubSpotSeed, type FakeHubSpotSideEffect } from './fake-hubspot-store.js';
import { searchObjects, type SearchFilter } from './fake-hubspot-search.js';
import { routeBatchReads } from './fake-hubspot-v4.js';
import { routePipelineAndHistory, type FakeHubSpotPipelineData } from './fake-hubspot-pipeline.js';
import { routeMerge } from './fake-hubspot-merge.js';

/** A fault to inject into the next matching request. */
export interface FakeHubSpotFault {
  method: string;
  /** Matched against the request path, e.g. /\/crm\/v3\/objects\/emails$/. */
  path: RegExp;
  status?: number;
  /** Apply the side effect, then answer with the error: a response lost after the write landed. */
  afterApply?: boolean;
}

/** A local HTTP server speaking the slice of HubSpot CRM v3 the live connector uses. */
export interface FakeHubSpot {
  /** Point HUBSPOT_API_BASE here. */
  url: string;
  accessToken: string;
  store: FakeHubSpotStore;
  /** Every request received, in order. */
  requests: Array<{ method: string; path: string; body: unknown }>;
  /** Every write applied (email creates, deal updates …). */
  sideEffects: FakeHubSpotSideEffect[];
  /** Emails created, in order. */
  emailsCreated(): FakeHubSpotObject[];
  /** Tasks created, in order. */
  tasksCreated(): FakeHubSpotObject[];
  /** Updates applied to deals, in order. */
  dealUpdates(): FakeHubSpotSideEffect[];
  /** Fail the next request that matches. */
  failNext(fault: FakeHubSpotFault): void;
  close(): Promise<void>;
}

/** Options for the fake. */
export interface FakeHubSpotOptions {
  seed?: FakeHubSpotSeed;
  /** Requests must carry `Authorization: Bearer <token>`; default "fake-hubspot-token". */
  accessToken?: string;
  port?: number;
  /** Pipeline stages and deal property history (forecast, end-of-day). */
  pipeline?: FakeHubSpotPipelineData;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly category = 'VALIDATION_ERROR',
  ) {
    super(message);
  }
}

async function readBody(request: http.IncomingMessage): Promise<unknown> {
  const text = await readRequestText(request);
  return text === '' ? undefined : JSON.parse(text);
}

function listParam(url: URL, name: string): string[] | undefined {
  const values = url.searchParams
    .getAll(name)
    .flatMap((value) => value.split(','))
    .filter((value) => value !== '');
  return values.length === 0 ? undefined : values;
}

function page<Item>(items: Item[], limit: number, after: string | null): { results: Item[]; paging?: { next: { after: string } } } {
  const start = after === null ? 0 : Number(after);
  const results = items.slice(start, start + limit);
  const next = start + limit;
  return next < items.length ? { results, paging: { next: { after: String(next) } } } : { results };
}

/** Start the fake HubSpot on a free loopback port. */
export async function startFakeHubSpot(options: FakeHubSpotOptions = {}): Promise<FakeHubSpot> {
  const accessToken = options.accessToken ?? 'fake-hubspot-token';
  const store = new FakeHubSpotStore(options.seed);
  const requests: FakeHubSpot['requests'] = [];
  const faults: FakeHubSpotFault[] = [];

  // Returns the response body; throws HttpError for HubSpot-style error answers.
  function route(method: string, url: URL, body: unknown): { status: number; body: unknown } {
    const path = url.pathname.replace(/\/+$/, '');
    if (method === 'GET' && path === '/crm/v3/owners') {
      const owners = store.owners.map((owner) => ({
        ...owner,
        userId: Number(owner.id),
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: '2024-01-01T00:00:00.000Z',
        archived: false,
      }));
      return { status: 200, body: page(owners, Number(url.searchParams.get('limit') ?? 100), url.searchParams.get('after')) };
    }
    // Batch reads with propertiesWithHistory (forecast, end-of-day) before the plain ones.
    const history = routePipelineAndHistory(method, path, body, store, options.pipeline ?? {});
    if (history !== null) return history;
    const batch = routeBatchReads(store, method, path, body);
    if (batch !== undefined) return batch;
    const search = /^\/crm\/v3\/objects\/([a-z_]+)\/search$/.exec(path);
    if (method === 'POST' && search !== null) {
      const type = search[1] ?? '';
      const request = (body ?? {}) as { filterGroups?: Array<{ filters: SearchFilter[] }>; properties?: string[]; limit?: number; after?: string };
      const found = searchObjects(store.table(type).values(), request.filterGroups);
      const paged = page(found, request.limit ?? 10, request.after ?? null);
      return { status: 200, body: { total: found.length, ...paged, results: paged.results.map((object) => store.render(type, object, request.properties)) } };
    }
    const collection = /^\/crm\/v3\/objects\/([a-z_]+)$/.exec(path);
    if (collection !== null) {
      const type = collection[1] ?? '';
      if (method === 'GET') {
        const properties = listParam(url, 'properties');
        const associations = listParam(url, 'associations');
        const all = [...store.table(type).values()].map((object) => store.render(type, object, properties, associations));
        return { status: 200, body: page(all, Number(url.searchParams.get('limit') ?? 10), url.searchParams.get('after')) };
      }
      if (method === 'POST') {
        const request = (body ?? {}) as {
          properties?: Record<string, string>;
          associations?: Array<{ to: { id: string }; types: Array<{ associationTypeId: number }> }>;
        };
        if (request.properties === undefined) throw new HttpError(400, 'Invalid input JSON: properties is required');
        // HubSpot refuses a task without its due date (hs_timestamp is required on tasks).
        if (type === 'tasks' && (request.properties['hs_timestamp'] ?? '') === '')
          throw new HttpError(400, 'Property values were not valid: [{"isValid":false,"message":"hs_timestamp is required","name":"hs_timestamp"}]');
        const created = store.create(type, request.properties, request.associations);
        return { status: 201, body: store.render(type, created, undefined) };
      }
    }
    const single = /^\/crm\/v3\/objects\/([a-z_]+)\/([^/]+)$/.exec(path);
    if (single !== null) {
      const type = single[1] ?? '';
      const id = decodeURIComponent(single[2] ?? '');
      if (method === 'GET') {
        const object = store.table(type).get(id);
        if (object === undefined) throw new HttpError(404, `Object not found. objectId are usually numeric.`, 'OBJECT_NOT_FOUND');
        return { status: 200, body: store.render(type, object, listParam(url, 'properties'), listParam(url, 'associations')) };
      }
      if (method === 'PATCH') {
        const request = (body ?? {}) as { properties?: Record<string, string> };
        const updated = store.update(type, id, request.properties ?? {});
        if (updated === undefined) throw new HttpError(404, `Object not found. objectId are usually numeric.`, 'OBJECT_NOT_FOUND');
        return { status: 200, body: store.render(type, updated, undefined) };
      }
    }
    const merged = routeMerge(method, path, body, store);
    if (merged !== null) return merged;
    throw new HttpError(404, `fake HubSpot does not implement ${method} ${path}`, 'NOT_FOUND');
  }

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://fake-hubspot');
      const method = request.method ?? 'GET';
      let status = 500;
      let payload: unknown;
      try {
        const body = await readBody(request);
        requests.push({ method, path: url.pathname, body });
        if (request.headers.authorization !== `Bearer ${accessToken}`)
          throw new HttpError(401, 'Authentication credentials not found.', 'INVALID_AUTHENTICATION');
        const faultIndex = faults.findIndex((fault) => fault.method === method && fault.path.test(url.pathname));
        const fault = faultIndex === -1 ? undefined : faults.splice(faultIndex, 1)[0];
        if (fault !== undefined && fault.afterApply !== true) throw new HttpError(fault.status ?? 500, 'Injected failure before apply', 'INTERNAL_ERROR');
        const result = route(method, url, body);
        if (fault !== undefined) throw new HttpError(fault.status ?? 502, 'Injected failure after apply', 'INTERNAL_ERROR');
        ({ status } = result);
        payload = result.body;
      } catch (error) {
        status = error instanceof HttpError ? error.status : 500;
        payload = {
          status: 'error',
          message: error instanceof Error ? error.message : String(error),
          correlationId: '00000000-0000-4000-8000-000000000000',
          category: error instanceof HttpError ? error.category : 'INTERNAL_ERROR',
        };
      }
      response.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
      response.end(JSON.stringify(payload));
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    store,
    requests,
    sideEffects: store.sideEffects,
    emailsCreated: () =>
      store.sideEffects
        .filter((effect) => effect.kind === 'create' && effect.objectType === 'emails')
        .map((effect) => store.table('emails').get(effect.objectId))
        .filter((object): object is FakeHubSpotObject => object !== undefined),
    tasksCreated: () =>
      store.sideEffects
        .filter((effect) => effect.kind === 'create' && effect.objectType === 'tasks')
        .map((effect) => store.table('tasks').get(effect.objectId))
        .filter((object): object is FakeHubSpotObject => object !== undefined),
    dealUpdates: () => store.sideEffects.filter((effect) => effect.kind === 'update' && effect.objectType === 'deals'),
    failNext: (fault) => faults.push(fault),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
