import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../http-body.js';

/** A tracker as EasyPost's v2 API returns it (the fields the fleet reads). */
export interface FakeEasyPostTracker {
  id: string;
  object: 'Tracker';
  tracking_code: string;
  status: string;
  status_detail: string | null;
  est_delivery_date: string | null;
  carrier: string;
  shipment_id: string;
  updated_at: string;
  tracking_details: Array<{ object: 'TrackingDetail'; datetime: string; message: string; status: string; status_detail: string | null }>;
}

/** A shipment (label) with its selected rate, fees and embedded tracker. */
export interface FakeEasyPostShipment {
  id: string;
  object: 'Shipment';
  created_at: string;
  reference: string | null;
  mode: 'test' | 'production';
  to_address: {
    name: string | null;
    email: string | null;
    street1: string | null;
    city: string | null;
    state: string | null;
    zip: string | null;
    country: string;
  };
  selected_rate: { id: string; object: 'Rate'; carrier: string; service: string; rate: string; currency: string } | null;
  fees: Array<{ object: 'Fee'; type: string; amount: string; charged: boolean; refunded: boolean }>;
  tracking_code: string | null;
  tracker: FakeEasyPostTracker | null;
}

/** An address the fake cannot verify: matched on street1. */
export interface FakeEasyPostUndeliverable {
  street1: string;
  errors: Array<{ code: string; field: string; message: string; suggestion: string | null }>;
}

/** A local HTTP server speaking the slice of EasyPost's v2 API the fleet uses. */
export interface FakeEasyPost {
  /** The API base (…/v2/) to hand the client as `baseUrl`. */
  url: string;
  apiKey: string;
  shipments: FakeEasyPostShipment[];
  requests: Array<{ method: string; path: string; query: Record<string, string>; body: unknown }>;
  close(): Promise<void>;
}

/** Options for the fake. */
export interface FakeEasyPostOptions {
  shipments?: FakeEasyPostShipment[];
  undeliverable?: FakeEasyPostUndeliverable[];
  /** Requests must carry HTTP Basic auth with this key as the user; default "EZTKfake". */
  apiKey?: string;
}

/** Start the fake EasyPost on a free loopback port. */
export async function startFakeEasyPost(options: FakeEasyPostOptions = {}): Promise<FakeEasyPost> {
  const apiKey = options.apiKey ?? 'EZTKfake';
  const shipments = [...(options.shipments ?? [])].sort((left, right) => right.created_at.localeCompare(left.created_at) || right.id.localeCompare(left.id));
  const undeliverable = options.undeliverable ?? [];
  const requests: FakeEasyPost['requests'] = [];
  const server = http.createServer((request, response) => {
    void (async () => {
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const url = new URL(request.url ?? '/', 'http://fake');
      const text = await readRequestText(request);
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      requests.push({ method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body });
      const expected = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
      if (request.headers.authorization !== expected)
        return send(401, {
          error: { code: 'APIKEY.INACTIVE', message: 'This api key is no longer active. Please use a different api key or reactivate this key.', errors: [] },
        });
      if (request.method === 'GET' && url.pathname === '/v2/shipments') {
        const pageSize = Math.min(Number(url.searchParams.get('page_size') ?? 20), 100);
        const start = url.searchParams.get('start_datetime');
        const beforeId = url.searchParams.get('before_id');
        let candidates = shipments.filter((shipment) => start === null || shipment.created_at >= new Date(start).toISOString());
        if (beforeId !== null) {
          const index = candidates.findIndex((shipment) => shipment.id === beforeId);
          candidates = index < 0 ? [] : candidates.slice(index + 1);
        }
        return send(200, { shipments: candidates.slice(0, pageSize), has_more: candidates.length > pageSize });
      }
      if (request.method === 'POST' && url.pathname === '/v2/addresses/create_and_verify') {
        const address = (body as { address?: Record<string, string> } | undefined)?.address ?? {};
        const bad = undeliverable.find((candidate) => candidate.street1 === address['street1']);
        if (bad !== undefined) return send(422, { error: { code: 'ADDRESS.VERIFY.FAILURE', message: 'Unable to verify address.', errors: bad.errors } });
        return send(200, {
          address: {
            id: `adr_${requests.length}`,
            object: 'Address',
            ...address,
            verifications: { delivery: { success: true, errors: [], details: {} }, zip4: { success: true, errors: [] } },
          },
        });
      }
      send(404, { error: { code: 'NOT_FOUND', message: 'The requested resource could not be found.', errors: [] } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2/`,
    apiKey,
    shipments,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
}
