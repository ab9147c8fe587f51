import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One container as the fake tracks it (Terminal49's container attributes, plus its shipment and terminal). */
export interface FakeTerminal49Container {
  id: string;
  number: string;
  /** Terminal49 current_status: on_ship, grounded, available, picked_up, empty_returned … */
  current_status: string;
  pickup_lfd: string | null;
  pickup_appointment_at: string | null;
  available_for_pickup: boolean | null;
  pod_discharged_at: string | null;
  pod_full_out_at?: string | null;
  holds_at_pod_terminal: Array<{ name: string; status: 'hold' | 'released' | 'pending'; description: string | null }>;
  shipment: { id: string; bill_of_lading_number: string; ref_numbers: string[]; port_of_discharge_name: string };
  terminal: { id: string; name: string };
}

/** The running fake. */
export interface FakeTerminal49 {
  /** The API base to set as TERMINAL49_API_BASE (…/v2). */
  url: string;
  requests: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/**
 * A local Terminal49 API speaking JSON:API like the vendor's `GET /v2/containers`: `Authorization:
 * Token <key>` is required (401 with a JSON:API errors body otherwise), `include=shipment,pod_terminal`
 * adds the related resources to `included`, and `page[size]` / `page[number]` paginate with a
 * `links.next` the client follows.
 */
export async function startFakeTerminal49(options: { apiKey: string; containers: FakeTerminal49Container[] }): Promise<FakeTerminal49> {
  const requests: FakeTerminal49['requests'] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake-terminal49');
    requests.push({ path: `${url.pathname}${url.search}`, authorization: request.headers.authorization });
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/vnd.api+json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Token ${options.apiKey}`)
      return send(401, { errors: [{ status: '401', title: 'Unauthorized', detail: 'Invalid or missing API key' }] });
    if (request.method !== 'GET' || url.pathname !== '/v2/containers') return send(404, { errors: [{ status: '404', title: 'Not Found' }] });
    const size = Math.max(1, Number(url.searchParams.get('page[size]') ?? '30'));
    const number = Math.max(1, Number(url.searchParams.get('page[number]') ?? '1'));
    const page = options.containers.slice((number - 1) * size, number * size);
    const include = (url.searchParams.get('include') ?? '').split(',');
    const included = [
      ...(include.includes('shipment')
        ? page.map((container) => ({
            id: container.shipment.id,
            type: 'shipment',
            attributes: {
              bill_of_lading_number: container.shipment.bill_of_lading_number,
              ref_numbers: container.shipment.ref_numbers,
              port_of_discharge_name: container.shipment.port_of_discharge_name,
            },
          }))
        : []),
      ...(include.includes('pod_terminal')
        ? page.map((container) => ({ id: container.terminal.id, type: 'terminal', attributes: { name: container.terminal.name } }))
        : []),
    ];
    const next = number * size < options.containers.length ? `/v2/containers?include=${include.join(',')}&page[size]=${size}&page[number]=${number + 1}` : null;
    send(200, {
      data: page.map((container) => ({
        id: container.id,
        type: 'container',
        attributes: {
          number: container.number,
          current_status: container.current_status,
          pickup_lfd: container.pickup_lfd,
          pickup_appointment_at: container.pickup_appointment_at,
          available_for_pickup: container.available_for_pickup,
          pod_discharged_at: container.pod_discharged_at,
          pod_full_out_at: container.pod_full_out_at ?? null,
          holds_at_pod_terminal: container.holds_at_pod_terminal,
          fees_at_pod_terminal: [],
        },
        relationships: {
          shipment: { data: { id: container.shipment.id, type: 'shipment' } },
          pod_terminal: { data: { id: container.terminal.id, type: 'terminal' } },
        },
      })),
      included,
      links: { self: `${url.pathname}${url.search}`, next },
      meta: { size: page.length, total: options.containers.length },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2`,
    requests,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
