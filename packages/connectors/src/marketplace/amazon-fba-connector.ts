import { gunzipSync } from 'node:zlib';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import { spApiError, type AmazonSpApiOptions } from './amazon-marketplace-connector.js';
import type { FbaConnector, FbaInboundShipment, FbaInventorySummary } from './fba-connector.js';
import { parseTabSeparatedReport, planningRowOf, storageRowOf, strandedRowOf, type ReportRecord } from './fba-report-rows.js';
import { createLwaTokenSource } from './lwa-token.js';
import { latestCapacityInputs } from './sample-fba-connector.js';

/** Options for the live FBA side: the SP-API account, and how a requested report is waited for. */
export interface AmazonFbaOptions extends AmazonSpApiOptions {
  /** Between two getReport polls (Amazon: reports take seconds to minutes). Default 15 s. */
  reportPollMs?: number;
  /** Give up on a report after this long (CANCELLED or still IN_PROGRESS). Default 10 min. */
  reportWaitMs?: number;
  /** Where the inbound plan ships from (createInboundPlan's sourceAddress). */
  sourceAddress?: Record<string, string>;
}

interface SdkApiClient {
  applyXAmzAccessTokenToRequest(token: string): SdkApiClient;
  disableRateLimiter(): void;
}
type SdkModule = Record<string, Record<string, new (argument?: unknown) => unknown>>;
type Json = Record<string, unknown>;

interface FbaApis {
  inventory: { getInventorySummaries(granularityType: string, granularityId: string, marketplaceIds: string[], opts: Json): Promise<Json> };
  reports: {
    createReport(body: Json): Promise<Json>;
    getReport(reportId: string): Promise<Json>;
    getReportDocument(reportDocumentId: string): Promise<Json>;
  };
  inbound: {
    listInboundPlans(opts: Json): Promise<Json>;
    getInboundPlan(inboundPlanId: string): Promise<Json>;
    getShipment(inboundPlanId: string, shipmentId: string): Promise<Json>;
    createInboundPlan(body: Json): Promise<Json>;
  };
  inboundV0: { getShipmentItemsByShipmentId(shipmentId: string, opts: Json): Promise<Json> };
  clients: SdkApiClient[];
}

// Plans shipped or closed in the last few months are what the inbound watch needs; more pages than this is a runaway.
const MAX_PLAN_PAGES = 10;
// A plan untouched this long has nothing in transit or being received any more.
const PLAN_RECENT_MS = 60 * 86_400_000;
// Ship dates are not in the API: a shipment's ready-to-ship window start is the closest it records.
const LIVE_STATUSES_WITH_UNITS = new Set(['SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'CHECKED_IN', 'RECEIVING', 'CLOSED']);

async function loadFbaApis(options: AmazonFbaOptions): Promise<FbaApis> {
  // Amazon's SDK is one import for every API module: loaded on the first live call only.
  const sdk = (await import('@amazon-sp-api-release/amazon-sp-api-sdk-js')) as unknown as SdkModule;
  const clients: SdkApiClient[] = [];
  const api = <Api>(moduleName: string, className: string): Api => {
    const module = sdk[moduleName];
    const ApiClient = module?.['ApiClient'];
    const ApiClass = module?.[className];
    if (ApiClient === undefined || ApiClass === undefined) throw new Error(`the SP-API SDK has no ${moduleName}.${className}`);
    const client = new ApiClient(options.apiBase) as SdkApiClient;
    if (!options.rateLimiter) client.disableRateLimiter();
    clients.push(client);
    return new ApiClass(client) as Api;
  };
  return {
    inventory: api('FbainventorySpApi', 'FbaInventoryApi'),
    reports: api('ReportsSpApi', 'ReportsApi'),
    inbound: api('FulfillmentinboundSpApi', 'FbaInboundApi'),
    inboundV0: api('Fulfillmentinbound_v0SpApi', 'FbaInboundApi'),
    clients,
  };
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const number = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0) || 0);
const isoOrNull = (value: unknown): string | null => {
  if (value === undefined || value === null || value === '') return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

// The plan's name carries the approval's key: the lookup after an uncertain attempt finds it by name.
const planTag = (idempotencyKey: string) => `[jbot ${idempotencyKey.slice(-24)}]`;

/**
 * Amazon FBA through Amazon's own SP-API SDK (the client the marketplace connector uses): FBA
 * Inventory v1, Reports 2021-06-30 (request → poll → download, gzip honoured), Fulfillment Inbound
 * 2024-03-20 plans and shipments with v0 shipment items, createInboundPlan under the side-effect
 * ledger. IPI and the capacity limit are the operator's entries in the brain (not in SP-API).
 */
export function createAmazonFbaConnector(options: AmazonFbaOptions): FbaConnector {
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const token = createLwaTokenSource(options, limits);
  const pollMs = options.reportPollMs ?? 15_000;
  const waitMs = options.reportWaitMs ?? 600_000;
  let apisPromise: Promise<FbaApis> | undefined;
  const marketplaceIds = [options.marketplaceId];
  const call = async <Result>(operation: string, run: (apis: FbaApis) => Promise<Result>): Promise<Result> => {
    try {
      const apis = await (apisPromise ??= loadFbaApis(options));
      const accessToken = await token();
      for (const client of apis.clients) client.applyXAmzAccessTokenToRequest(accessToken);
      return await callVendor('Amazon SP-API', operation, limits, () => run(apis));
    } catch (error) {
      throw spApiError(operation, error);
    }
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      options.abortSignal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new ConnectorError('amazon_report_aborted', 'the run was aborted while waiting for an Amazon report', { facts: {} }));
        },
        { once: true },
      );
    });

  const report = async (reportType: string): Promise<ReportRecord[]> => {
    const created = await call('createReport', (apis) => apis.reports.createReport({ reportType, marketplaceIds }));
    const reportId = String(created['reportId']);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const status = await call('getReport', (apis) => apis.reports.getReport(reportId));
      const processing = String(status['processingStatus']);
      if (processing === 'DONE') {
        const document = await call('getReportDocument', (apis) => apis.reports.getReportDocument(String(status['reportDocumentId'])));
        const response = await callVendor('Amazon SP-API', 'report document download', limits, (signal) => fetch(String(document['url']), { signal }));
        if (!response.ok)
          throw new ConnectorError('amazon_request_failed', `Amazon report ${reportType} document download failed (HTTP ${response.status})`, {
            facts: { reportType, reportId, status: response.status },
          });
        const bytes = Buffer.from(await response.arrayBuffer());
        const text = document['compressionAlgorithm'] === 'GZIP' ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
        return parseTabSeparatedReport(text, reportType);
      }
      // CANCELLED: Amazon had no data for the period; FATAL: the report failed. Neither is "no rows".
      if (processing === 'CANCELLED' || processing === 'FATAL')
        throw new ConnectorError('amazon_report_unavailable', `Amazon report ${reportType} ended ${processing}: no report to read this run`, {
          facts: { reportType, reportId, processingStatus: processing },
        });
      if (Date.now() + pollMs > deadline)
        throw new ConnectorError('amazon_report_unavailable', `Amazon report ${reportType} still ${processing} after ${Math.round(waitMs / 1000)} s`, {
          facts: { reportType, reportId, processingStatus: processing },
        });
      await pause(pollMs);
    }
  };

  // Newest first; with `updatedSince`, plans last touched before it are left out and paging stops at the first one.
  const listPlans = async (status: string, updatedSince?: number): Promise<Json[]> => {
    const plans: Json[] = [];
    let paginationToken: string | undefined;
    for (let page = 0; page < MAX_PLAN_PAGES; page += 1) {
      const answer = await call('listInboundPlans', (apis) =>
        apis.inbound.listInboundPlans({
          status,
          pageSize: 30,
          sortBy: 'LAST_UPDATED_TIME',
          sortOrder: 'DESC',
          ...(paginationToken === undefined ? {} : { paginationToken }),
        }),
      );
      const onPage = list(answer['inboundPlans']);
      const recent = updatedSince === undefined ? onPage : onPage.filter((plan) => Date.parse(isoOrNull(plan['lastUpdatedAt']) ?? '') >= updatedSince);
      plans.push(...recent);
      const next = (answer['pagination'] as Json | undefined)?.['nextToken'];
      paginationToken = typeof next === 'string' && next !== '' ? next : undefined;
      if (paginationToken === undefined || recent.length < onPage.length) break;
    }
    return plans;
  };

  return {
    source: 'amazon',
    async listInventorySummaries() {
      const summaries: FbaInventorySummary[] = [];
      let nextToken: string | undefined;
      do {
        const answer = await call('getInventorySummaries', (apis) =>
          apis.inventory.getInventorySummaries('Marketplace', options.marketplaceId, marketplaceIds, {
            details: true,
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
        );
        const payload = (answer['payload'] ?? {}) as Json;
        for (const item of list(payload['inventorySummaries'])) {
          const details = (item['inventoryDetails'] ?? {}) as Json;
          const reserved = (details['reservedQuantity'] ?? {}) as Json;
          const unfulfillable = (details['unfulfillableQuantity'] ?? {}) as Json;
          summaries.push({
            sku: String(item['sellerSku']),
            asin: String(item['asin'] ?? ''),
            fnsku: String(item['fnSku'] ?? ''),
            fulfillable: number(details['fulfillableQuantity']),
            inboundWorking: number(details['inboundWorkingQuantity']),
            inboundShipped: number(details['inboundShippedQuantity']),
            inboundReceiving: number(details['inboundReceivingQuantity']),
            reserved: number(reserved['totalReservedQuantity']),
            unfulfillable: number(unfulfillable['totalUnfulfillableQuantity']),
          });
        }
        const next = (answer['pagination'] as Json | undefined)?.['nextToken'];
        nextToken = typeof next === 'string' && next !== '' ? next : undefined;
      } while (nextToken !== undefined);
      return summaries;
    },
    async getPlanningReport() {
      return (await report('GET_FBA_INVENTORY_PLANNING_DATA')).map(planningRowOf);
    },
    async getStrandedReport() {
      return (await report('GET_STRANDED_INVENTORY_UI_DATA')).map(strandedRowOf);
    },
    async getStorageFeeReport() {
      return (await report('GET_FBA_STORAGE_FEE_CHARGES_DATA')).map(storageRowOf);
    },
    async listInboundShipments() {
      const shipments: FbaInboundShipment[] = [];
      for (const summary of await listPlans('SHIPPED', Date.now() - PLAN_RECENT_MS)) {
        const planId = String(summary['inboundPlanId']);
        const plan = await call('getInboundPlan', (apis) => apis.inbound.getInboundPlan(planId));
        for (const entry of list(plan['shipments'])) {
          const shipmentId = String(entry['shipmentId']);
          const shipment = await call('getShipment', (apis) => apis.inbound.getShipment(planId, shipmentId));
          const status = String(shipment['status'] ?? entry['status'] ?? '');
          const confirmationId = shipment['shipmentConfirmationId'];
          let items: FbaInboundShipment['items'] = [];
          // Shipped and received quantities per SKU are v0's, keyed by the confirmation id (FBA15…).
          if (LIVE_STATUSES_WITH_UNITS.has(status) && typeof confirmationId === 'string' && confirmationId !== '') {
            const answer = await call('getShipmentItemsByShipmentId', (apis) => apis.inboundV0.getShipmentItemsByShipmentId(confirmationId, {}));
            // The wire says ItemData / SellerSKU / QuantityShipped; the SDK's models hand them back camelCased.
            const payload = (answer['payload'] ?? {}) as Json;
            items = list(payload['itemData'] ?? payload['ItemData']).map((item) => ({
              sku: String(item['sellerSKU'] ?? item['SellerSKU']),
              shipped: number(item['quantityShipped'] ?? item['QuantityShipped']),
              received: number(item['quantityReceived'] ?? item['QuantityReceived']),
            }));
          }
          const window = ((shipment['dates'] ?? {}) as Json)['readyToShipWindow'] as Json | undefined;
          shipments.push({
            shipmentId: typeof confirmationId === 'string' && confirmationId !== '' ? confirmationId : shipmentId,
            name: String(shipment['name'] ?? summary['name'] ?? ''),
            inboundPlanId: planId,
            status,
            destination: String(((shipment['destination'] ?? {}) as Json)['warehouseId'] ?? ''),
            shippedAt: isoOrNull(window?.['start']),
            items,
          });
        }
      }
      return shipments;
    },
    async createInboundPlan(input) {
      const ledger = createSideEffectLedger(options.db, options.abortSignal === undefined ? {} : { signal: options.abortSignal });
      const name = `${input.name} ${planTag(input.idempotencyKey)}`.slice(0, 100);
      const { result, performed } = await ledger.run<{ inboundPlanId: string; created: boolean }>({
        idempotencyKey: input.idempotencyKey,
        connector: 'amazon',
        action: 'create_fba_inbound_plan',
        request: { name, items: input.items },
        // createInboundPlan takes no idempotency token: after an uncertain attempt, look for a plan carrying our tag.
        lookup: async () => {
          const found = (await listPlans('ACTIVE')).find((plan) => String(plan['name'] ?? '').includes(planTag(input.idempotencyKey)));
          return found === undefined ? null : { inboundPlanId: String(found['inboundPlanId']), created: true };
        },
        perform: async () => {
          if (options.sourceAddress === undefined)
            throw new ConnectorError(
              'amazon_fba_ship_from_missing',
              'Amazon createInboundPlan needs the ship-from address: set AMAZON_FBA_SHIP_FROM to a JSON address (name, addressLine1, city, stateOrProvinceCode, postalCode, countryCode, phoneNumber)',
              { facts: {} },
            );
          const sourceAddress = options.sourceAddress;
          const answer = await call('createInboundPlan', (apis) =>
            apis.inbound.createInboundPlan({
              name,
              destinationMarketplaces: marketplaceIds,
              sourceAddress,
              items: input.items.map((item) => ({ msku: item.sku, quantity: item.quantity, labelOwner: 'SELLER', prepOwner: 'SELLER' })),
            }),
          );
          return { inboundPlanId: String(answer['inboundPlanId']), created: true };
        },
      });
      return { ...result, created: performed };
    },
    getCapacityInputs: () => latestCapacityInputs(options.db),
  };
}
