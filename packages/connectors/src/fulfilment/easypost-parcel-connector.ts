import { ConnectorError } from '../connector-error.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { AddressVerification, ParcelConnector, ParcelShipment } from './parcel-connector.js';

/** Options for EasyPost. */
export interface EasyPostParcelOptions {
  apiKey: string;
  /** Replaces https://api.easypost.com/v2/ (EASYPOST_API_BASE): proxies and tests. */
  apiBase?: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

// The wire fields the adapter reads (the client hands back the API's JSON as objects).
interface WireShipment {
  id: string;
  created_at: string;
  reference: string | null;
  to_address: { name: string | null; email: string | null } | null;
  selected_rate: { carrier: string; service: string; rate: string } | null;
  fees: Array<{ type: string; amount: string }> | null;
  tracking_code: string | null;
  tracker: {
    id: string;
    status: string;
    status_detail: string | null;
    est_delivery_date: string | null;
    tracking_details: Array<{ datetime: string }> | null;
  } | null;
}

interface ShipmentPage {
  shipments: WireShipment[];
  has_more: boolean;
}

interface EasyPostService {
  all(params: Record<string, unknown>): Promise<ShipmentPage>;
  getNextPage(page: ShipmentPage, pageSize?: number): Promise<ShipmentPage>;
}

interface EasyPostClient {
  Shipment: EasyPostService;
  Address: { createAndVerify(params: Record<string, unknown>): Promise<unknown> };
}

/** An error the client raises for an HTTP answer (it carries the API's code and field errors). */
interface EasyPostApiError {
  statusCode?: number;
  code?: string;
  message?: string;
  errors?: Array<{ code?: string; field?: string; message?: string }>;
}

/**
 * Parcel labels, trackers and address checks on EasyPost's official client (@easypost/api,
 * loaded on first use). Shipments are listed with their embedded tracker; the label's
 * `reference` is the order it ships. EasyPost does not know what the customer paid for
 * shipping, so those fields are null here (shipping-cost-watch reads them from the store).
 */
export function createEasyPostParcelConnector(options: EasyPostParcelOptions): ParcelConnector {
  const timeoutMs = options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS;
  let clientPromise: Promise<EasyPostClient> | undefined;
  const client = () =>
    (clientPromise ??= import('@easypost/api').then((module) => {
      // The package's types describe its default export loosely; it is the client class.
      const EasyPost = module.default as unknown as new (key: string, settings: { timeout: number; baseUrl?: string }) => EasyPostClient;
      return new EasyPost(options.apiKey, { timeout: timeoutMs, ...(options.apiBase === undefined ? {} : { baseUrl: options.apiBase }) });
    }));
  const limits = { timeoutMs, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const call = async <Result>(what: string, work: (easypost: EasyPostClient) => Promise<Result>): Promise<Result> => {
    const easypost = await client();
    try {
      return await callVendor('EasyPost', what, limits, () => work(easypost));
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      const api = error as EasyPostApiError;
      throw new ConnectorError('easypost_request_failed', `EasyPost ${what} failed: ${api.code ?? 'error'} ${api.message ?? String(error)}`, {
        facts: { status: api.statusCode, code: api.code },
        cause: error,
      });
    }
  };
  return {
    source: 'easypost',
    async verifyAddress(address): Promise<AddressVerification> {
      const easypost = await client();
      try {
        await callVendor('EasyPost', 'address verification', limits, () =>
          easypost.Address.createAndVerify({
            name: address.name,
            street1: address.street1,
            city: address.city,
            state: address.state,
            zip: address.zip,
            country: address.country,
          }),
        );
        return { verified: true, errors: [] };
      } catch (error) {
        const api = error as EasyPostApiError;
        // 422 ADDRESS.VERIFY.FAILURE is the answer "this address does not exist", not a failure of the call.
        if (api.statusCode === 422 && api.code === 'ADDRESS.VERIFY.FAILURE')
          return {
            verified: false,
            errors: (api.errors ?? []).map((field) => ({
              code: field.code ?? 'E.ADDRESS',
              field: field.field ?? 'address',
              message: field.message ?? 'unverifiable',
            })),
          };
        if (error instanceof ConnectorError) throw error;
        throw new ConnectorError('easypost_request_failed', `EasyPost address verification failed: ${api.code ?? 'error'} ${api.message ?? String(error)}`, {
          facts: { status: api.statusCode, code: api.code },
          cause: error,
        });
      }
    },
    async listShipments(since) {
      const shipments: WireShipment[] = [];
      let page = await call('shipments', (easypost) => easypost.Shipment.all({ page_size: 100, start_datetime: since.toISOString() }));
      shipments.push(...page.shipments);
      while (page.has_more && page.shipments.length > 0) {
        const previous = page;
        page = await call('shipments (next page)', (easypost) => easypost.Shipment.getNextPage(previous, 100));
        shipments.push(...page.shipments);
      }
      return shipments.map((shipment): ParcelShipment => {
        const details = shipment.tracker?.tracking_details ?? [];
        const lastScan =
          details
            .map((detail) => detail.datetime)
            .sort()
            .at(-1) ?? null;
        return {
          shipmentId: shipment.id,
          trackerId: shipment.tracker?.id ?? '',
          orderId: shipment.reference ?? '',
          customerName: shipment.to_address?.name ?? '',
          customerEmail: shipment.to_address?.email ?? '',
          trackingCode: shipment.tracking_code ?? '',
          carrier: shipment.selected_rate?.carrier ?? '',
          service: shipment.selected_rate?.service ?? '',
          paidService: null,
          rate: Number(shipment.selected_rate?.rate ?? 0),
          fees: (shipment.fees ?? [])
            .filter((fee) => fee.type !== 'LabelFee' && fee.type !== 'PostageFee')
            .map((fee) => ({ type: fee.type, amount: Number(fee.amount) })),
          shippingCharged: null,
          orderTotal: null,
          createdAt: new Date(shipment.created_at).toISOString(),
          status: shipment.tracker?.status ?? 'unknown',
          statusDetail: shipment.tracker?.status_detail ?? null,
          estDeliveryDate: shipment.tracker?.est_delivery_date?.slice(0, 10) ?? null,
          lastScanAt: lastScan === null ? null : new Date(lastScan).toISOString(),
        };
      });
    },
  };
}
