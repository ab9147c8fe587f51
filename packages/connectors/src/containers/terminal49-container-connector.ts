import { ConnectorError } from '../connector-error.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { Container, ContainerConnector, ContainerStatus } from './container-connector.js';

/** How to reach Terminal49 and what it does not know (the trucker we use). */
export interface Terminal49Options {
  apiKey: string;
  /** https://api.terminal49.com/v2 unless overridden (tests, proxies). */
  apiBase?: string;
  /** "Name <email>" of the drayage company that picks our containers up (Terminal49 has no trucker). */
  trucker: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

// JSON:API resource shapes, as Terminal49's List containers returns them.
interface Resource {
  id: string;
  type: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: { id: string; type: string } | null }>;
}
interface Document {
  data?: Resource[];
  included?: Resource[];
  links?: { next?: string | null };
}

// Terminal49's current_status values onto ours (container-statuses guide).
const STATUS: Record<string, ContainerStatus> = {
  new: 'on_vessel',
  on_ship: 'on_vessel',
  grounded: 'discharged',
  available: 'available',
  not_available: 'discharged',
  on_rail: 'discharged',
  delivered: 'picked_up',
  picked_up: 'picked_up',
  empty_returned: 'returned',
};

const MAX_PAGES = 50;

/** A Terminal49 request that did not succeed (non-2xx, or a body that is not JSON:API). */
export class Terminal49Error extends ConnectorError {
  constructor(message: string, facts: Record<string, unknown>) {
    super('terminal49_error', message, { facts });
  }
}

const textOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function statusOf(attributes: Record<string, unknown>): ContainerStatus {
  const raw = textOf(attributes['current_status']);
  if (raw !== null && STATUS[raw] !== undefined) return STATUS[raw];
  if (textOf(attributes['empty_terminated_at']) !== null) return 'returned';
  if (textOf(attributes['pod_full_out_at']) !== null) return 'picked_up';
  if (attributes['available_for_pickup'] === true) return 'available';
  return textOf(attributes['pod_discharged_at']) !== null ? 'discharged' : 'on_vessel';
}

/** Map one container resource (with its included shipment and terminal) onto ours. */
export function containerFromTerminal49(resource: Resource, included: ReadonlyMap<string, Resource>, trucker: string): Container {
  const attributes = resource.attributes ?? {};
  const related = (name: string) => {
    const link = resource.relationships?.[name]?.data;
    return link === undefined || link === null ? undefined : included.get(`${link.type}:${link.id}`);
  };
  const shipment = related('shipment')?.attributes ?? {};
  const terminal = related('pod_terminal')?.attributes ?? {};
  const references = [
    ...(Array.isArray(shipment['ref_numbers']) ? shipment['ref_numbers'] : []),
    ...(Array.isArray(attributes['ref_numbers']) ? attributes['ref_numbers'] : []),
  ].map(String);
  const holds = (Array.isArray(attributes['holds_at_pod_terminal']) ? attributes['holds_at_pod_terminal'] : [])
    .filter((hold): hold is Record<string, unknown> => typeof hold === 'object' && hold !== null && hold['status'] === 'hold')
    .map((hold) => String(hold['name'] ?? 'hold').toLowerCase());
  const lfd = textOf(attributes['pickup_lfd']);
  return {
    number: String(attributes['number'] ?? resource.id),
    shipmentId: textOf(shipment['bill_of_lading_number']) ?? references[0] ?? resource.id,
    supplierId: null,
    poIds: references.filter((reference) => /^PO[-\s]?\d+/i.test(reference)),
    terminal: textOf(terminal['name']) ?? textOf(shipment['pod_terminal_name']) ?? 'unknown terminal',
    port: textOf(shipment['port_of_discharge_name']) ?? 'unknown port',
    status: statusOf(attributes),
    dischargedAt: textOf(attributes['pod_discharged_at']),
    lastFreeDay: lfd === null ? null : lfd.slice(0, 10),
    holds,
    appointmentAt: textOf(attributes['pickup_appointment_at']),
    trucker,
  };
}

/**
 * Containers from Terminal49 (hand-written: no maintained SDK in the catalogue's list): `GET
 * /containers` with the shipment and terminal included, every page followed through
 * `links.next`, each request under the vendor timeout and the run's abort signal.
 */
export function createTerminal49ContainerConnector(options: Terminal49Options): ContainerConnector {
  const base = (options.apiBase ?? 'https://api.terminal49.com/v2').replace(/\/+$/, '');
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const get = (url: string) =>
    callVendor('Terminal49', 'list containers', limits, async (signal) => {
      const response = await fetch(url, { signal, headers: { authorization: `Token ${options.apiKey}`, accept: 'application/vnd.api+json' } });
      const body = await response.text();
      if (!response.ok) {
        const detail = (() => {
          try {
            const parsed = JSON.parse(body) as { errors?: Array<{ title?: string; detail?: string }> };
            return parsed.errors?.map((error) => error.detail ?? error.title).join('; ');
          } catch {
            return undefined;
          }
        })();
        throw new Terminal49Error(
          `Terminal49 GET /containers answered HTTP ${response.status}${detail === undefined || detail === '' ? '' : `: ${detail}`}${response.status === 401 ? ' (check TERMINAL49_API_KEY)' : ''}`,
          { status: response.status },
        );
      }
      try {
        return JSON.parse(body) as Document;
      } catch {
        throw new Terminal49Error('Terminal49 GET /containers answered with a body that is not JSON', { status: response.status });
      }
    });
  return {
    source: 'terminal49',
    async listContainers() {
      const containers: Container[] = [];
      let url: string | null = `${base}/containers?include=shipment,pod_terminal&page[size]=100`;
      for (let page = 0; url !== null && page < MAX_PAGES; page += 1) {
        const document: Document = await get(url);
        const included = new Map((document.included ?? []).map((resource) => [`${resource.type}:${resource.id}`, resource]));
        for (const resource of document.data ?? [])
          if (resource.type === 'container') containers.push(containerFromTerminal49(resource, included, options.trucker));
        const next = document.links?.next ?? null;
        url = next === null ? null : new URL(next, `${base}/`).toString();
      }
      return containers;
    },
    // The trucker's email is the request; Terminal49 shows the appointment once the terminal has it.
    async recordPickupRequest() {
      return { recorded: false };
    },
  };
}
