import { probeFailure, type ServiceProbe } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { SeedingShipmentsConnector, SeedingTracker } from './seeding-connector.js';

/** Options for EasyPost (EASYPOST_API_KEY, EASYPOST_API_BASE). */
export interface EasyPostSeedingOptions {
  apiKey: string;
  /** https://api.easypost.com unless overridden. */
  apiBase?: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

interface TrackingDetail {
  status?: string;
  datetime?: string;
}

interface EasyPostTracker {
  tracking_code?: string;
  carrier?: string;
  status?: string;
  updated_at?: string;
  tracking_details?: TrackingDetail[];
}

// Statuses worth one more try: rate limiting and EasyPost's own hiccups (reads only).
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** One GET to the EasyPost API v2, Basic-authenticated with the key; one retry on 429/5xx. */
async function easyPostGet(options: EasyPostSeedingOptions, path: string, query: Record<string, string>, operation: string): Promise<Record<string, unknown>> {
  const url = new URL(`${(options.apiBase ?? 'https://api.easypost.com').replace(/\/+$/, '')}/v2/${path}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  for (let attempt = 1; ; attempt += 1) {
    const response = await callVendor('EasyPost', operation, limits, (signal) =>
      fetch(url, { headers: { authorization: `Basic ${Buffer.from(`${options.apiKey}:`).toString('base64')}`, accept: 'application/json' }, signal }),
    );
    if (response.ok) return (await response.json()) as Record<string, unknown>;
    const body = await response.text();
    if (attempt < 2 && RETRYABLE.has(response.status)) {
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    // EasyPost errors are {"error": {"code", "message"}}; the key never appears in them.
    let message = body.slice(0, 300);
    try {
      const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
      message = `${parsed.error?.code ?? response.status}: ${parsed.error?.message ?? message}`;
    } catch {
      // not JSON: keep the text
    }
    throw new ConnectorError('easypost_request_failed', `EasyPost ${operation} failed with HTTP ${response.status} (${message})`, {
      facts: { operation, status: response.status },
    });
  }
}

function trackerOf(tracker: EasyPostTracker): SeedingTracker {
  const details = tracker.tracking_details ?? [];
  const first = (statuses: string[]) => details.find((detail) => statuses.includes(detail.status ?? ''))?.datetime ?? null;
  return {
    trackingCode: String(tracker.tracking_code ?? ''),
    carrier: String(tracker.carrier ?? ''),
    status: String(tracker.status ?? 'unknown'),
    shippedAt: first(['in_transit', 'pre_transit']),
    deliveredAt: tracker.status === 'delivered' ? (first(['delivered']) ?? tracker.updated_at ?? null) : null,
    updatedAt: tracker.updated_at ?? null,
  };
}

/** Whether the key can read trackers (`fleet doctor`). */
export async function probeEasyPost(options: Pick<EasyPostSeedingOptions, 'apiKey' | 'apiBase'>): Promise<ServiceProbe> {
  try {
    await easyPostGet({ ...options, timeoutMs: DEFAULT_VENDOR_TIMEOUT_MS }, 'trackers', { page_size: '1' }, 'tracker probe');
    return { ok: true, detail: 'EasyPost trackers readable' };
  } catch (error) {
    return probeFailure(error);
  }
}

/**
 * Seeding parcels through EasyPost's Tracker API (a thin client: `GET /v2/trackers?tracking_code=…`
 * per parcel; the official SDK would add ~3 MB for one read). Shipped and delivered times come
 * from the tracker's tracking_details.
 */
export function createEasyPostSeedingConnector(options: EasyPostSeedingOptions): SeedingShipmentsConnector {
  return {
    source: 'easypost',
    async listTrackers(parcels) {
      const found: SeedingTracker[] = [];
      for (const parcel of parcels) {
        const query: Record<string, string> = { tracking_code: parcel.trackingCode, page_size: '5' };
        if (parcel.carrier !== null) query['carrier'] = parcel.carrier;
        const answer = await easyPostGet(options, 'trackers', query, 'trackers list');
        const trackers = ((answer['trackers'] ?? []) as EasyPostTracker[]).filter((tracker) => tracker.tracking_code === parcel.trackingCode);
        // Carriers recycle codes: the most recently updated tracker is this parcel.
        const newest = trackers.sort((left, right) => String(right.updated_at ?? '').localeCompare(String(left.updated_at ?? '')))[0];
        if (newest !== undefined) found.push(trackerOf(newest));
      }
      return found;
    },
  };
}
