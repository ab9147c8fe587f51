import { gzipSync } from 'node:zlib';

/** One SKU's FBA stock as the fake holds it (FBA Inventory v1 InventorySummary with details). */
export interface FakeFbaInventory {
  sku: string;
  asin: string;
  fnsku: string;
  fulfillable: number;
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  reserved: number;
  unfulfillable: number;
}

/** One shipment of an inbound plan, with v0's per-SKU quantities. */
export interface FakeInboundShipment {
  /** The 2024-03-20 shipment id (sh…). */
  shipmentId: string;
  /** The confirmation id v0 keys items by (FBA15…). */
  confirmationId: string;
  name: string;
  status: string;
  warehouseId: string;
  /** ISO instant: the ready-to-ship window's start. */
  readyToShipAt: string;
  items: Array<{ sku: string; fnsku: string; shipped: number; received: number }>;
}

/** An inbound plan (Fulfillment Inbound 2024-03-20). */
export interface FakeInboundPlan {
  inboundPlanId: string;
  name: string;
  status: 'ACTIVE' | 'SHIPPED' | 'VOIDED' | 'ERRORED';
  createdAt: string;
  /** Default: createdAt. listInboundPlans sorts on it (sortBy LAST_UPDATED_TIME). */
  lastUpdatedAt?: string;
  shipments: FakeInboundShipment[];
  items?: Array<{ msku: string; quantity: number }>;
}

/** The FBA side of the fake: stock, report rows by report type, inbound plans. */
export interface FakeSpFbaSeed {
  inventory: FakeFbaInventory[];
  /** Report rows keyed by Amazon's column names; a report type with no entry ends CANCELLED (no data), as Amazon's do. */
  reports: Record<string, Array<Record<string, string | number>>>;
  plans: FakeInboundPlan[];
  /** getReport answers IN_PROGRESS this many times before DONE (default 1). */
  pollsBeforeDone?: number;
  /** Summaries per getInventorySummaries page (the real page holds 50). */
  inventoryPageSize?: number;
}

/** What one FBA route answers: JSON, or raw bytes (a report document). */
export type FakeFbaAnswer = { status: number; body: unknown } | { status: number; raw: Buffer; contentType: string };

type Json = Record<string, unknown>;
const spError = (code: string, message: string) => ({ errors: [{ code, message, details: '' }] });

/** The TSV Amazon's FBA reports are, header row first. */
function tabSeparated(rows: ReadonlyArray<Record<string, string | number>>): string {
  const header = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return [header.join('\t'), ...rows.map((row) => header.map((column) => String(row[column] ?? '')).join('\t'))].join('\n') + '\n';
}

/**
 * The fake's FBA routes, in SP-API's wire format: FBA Inventory v1 summaries (paged by
 * nextToken), Reports 2021-06-30 (createReport → getReport polled to DONE → getReportDocument →
 * a pre-signed, gzipped TSV download without the access token), Fulfillment Inbound 2024-03-20
 * plans and shipments, createInboundPlan (202 with an operationId), and v0 shipment items.
 */
export function createFakeFbaRoutes(seed: FakeSpFbaSeed, baseUrl: () => string) {
  const reports = new Map<string, { reportType: string; polls: number; documentId: string | null }>();
  const documents = new Map<string, Buffer>();
  const created: FakeInboundPlan[] = [];
  const planById = (id: string) => seed.plans.find((plan) => plan.inboundPlanId === id);

  /** Answer an FBA request, or null when the path is not an FBA one. `authorized`: a valid access token came with it. */
  const route = (method: string, url: URL, body: unknown, authorized: boolean): FakeFbaAnswer | null => {
    const path = url.pathname;
    const download = /^\/report-documents-download\/([^/]+)$/.exec(path);
    if (method === 'GET' && download !== null) {
      // Pre-signed S3 URL: no access token; an unknown id is S3's 403.
      const bytes = documents.get(download[1] ?? '');
      return bytes === undefined
        ? { status: 403, raw: Buffer.from('<Error><Code>AccessDenied</Code></Error>'), contentType: 'application/xml' }
        : { status: 200, raw: bytes, contentType: 'application/octet-stream' };
    }
    const isFba = /^\/(fba\/inventory|reports\/2021-06-30|inbound\/fba\/2024-03-20|fba\/inbound\/v0)\//.test(path);
    if (!isFba) return null;
    if (!authorized) return { status: 403, body: spError('Unauthorized', 'Access to requested resource is denied.') };

    if (method === 'GET' && path === '/fba/inventory/v1/summaries') {
      if (url.searchParams.get('granularityType') !== 'Marketplace' || url.searchParams.get('granularityId') === null)
        return { status: 400, body: spError('InvalidInput', 'granularityType=Marketplace and granularityId are required') };
      const size = seed.inventoryPageSize ?? 50;
      const start = Number(url.searchParams.get('nextToken') ?? 0);
      const page = seed.inventory.slice(start, start + size);
      const next = start + size < seed.inventory.length ? String(start + size) : undefined;
      const details = url.searchParams.get('details') === 'true';
      return {
        status: 200,
        body: {
          payload: {
            granularity: { granularityType: 'Marketplace', granularityId: url.searchParams.get('granularityId') },
            inventorySummaries: page.map((item) => ({
              asin: item.asin,
              fnSku: item.fnsku,
              sellerSku: item.sku,
              condition: 'NewItem',
              lastUpdatedTime: '2026-12-01T06:00:00Z',
              productName: item.sku,
              totalQuantity: item.fulfillable + item.inboundWorking + item.inboundShipped + item.inboundReceiving + item.reserved + item.unfulfillable,
              ...(details
                ? {
                    inventoryDetails: {
                      fulfillableQuantity: item.fulfillable,
                      inboundWorkingQuantity: item.inboundWorking,
                      inboundShippedQuantity: item.inboundShipped,
                      inboundReceivingQuantity: item.inboundReceiving,
                      reservedQuantity: {
                        totalReservedQuantity: item.reserved,
                        pendingCustomerOrderQuantity: item.reserved,
                        pendingTransshipmentQuantity: 0,
                        fcProcessingQuantity: 0,
                      },
                      researchingQuantity: { totalResearchingQuantity: 0, researchingQuantityBreakdown: [] },
                      unfulfillableQuantity: { totalUnfulfillableQuantity: item.unfulfillable, customerDamagedQuantity: item.unfulfillable },
                    },
                  }
                : {}),
            })),
          },
          ...(next === undefined ? {} : { pagination: { nextToken: next } }),
        },
      };
    }

    if (method === 'POST' && path === '/reports/2021-06-30/reports') {
      const request = (body ?? {}) as Json;
      if (typeof request['reportType'] !== 'string' || !Array.isArray(request['marketplaceIds']))
        return { status: 400, body: spError('InvalidInput', 'reportType and marketplaceIds are required') };
      const reportId = String(50000 + reports.size + 1);
      reports.set(reportId, { reportType: request['reportType'], polls: 0, documentId: null });
      return { status: 202, body: { reportId } };
    }
    const reportMatch = /^\/reports\/2021-06-30\/reports\/([^/]+)$/.exec(path);
    if (method === 'GET' && reportMatch !== null) {
      const reportId = reportMatch[1] ?? '';
      const report = reports.get(reportId);
      if (report === undefined) return { status: 404, body: spError('NotFound', `report ${reportId} not found`) };
      report.polls += 1;
      const frame = { reportId, reportType: report.reportType, marketplaceIds: ['ATVPDKIKX0DER'], createdTime: '2026-12-01T06:00:00Z' };
      if (report.polls <= (seed.pollsBeforeDone ?? 1))
        return { status: 200, body: { ...frame, processingStatus: 'IN_PROGRESS', processingStartTime: '2026-12-01T06:00:01Z' } };
      const rows = seed.reports[report.reportType];
      if (rows === undefined) return { status: 200, body: { ...frame, processingStatus: 'CANCELLED' } };
      if (report.documentId === null) {
        report.documentId = `amzn1.spdoc.1.4.na.fake-${reportId}`;
        documents.set(report.documentId, gzipSync(Buffer.from(tabSeparated(rows), 'utf8')));
      }
      return { status: 200, body: { ...frame, processingStatus: 'DONE', processingEndTime: '2026-12-01T06:00:09Z', reportDocumentId: report.documentId } };
    }
    const documentMatch = /^\/reports\/2021-06-30\/documents\/([^/]+)$/.exec(path);
    if (method === 'GET' && documentMatch !== null) {
      const documentId = decodeURIComponent(documentMatch[1] ?? '');
      if (!documents.has(documentId)) return { status: 404, body: spError('NotFound', `document ${documentId} not found`) };
      return { status: 200, body: { reportDocumentId: documentId, url: `${baseUrl()}/report-documents-download/${documentId}`, compressionAlgorithm: 'GZIP' } };
    }

    if (method === 'GET' && path === '/inbound/fba/2024-03-20/inboundPlans') {
      const status = url.searchParams.get('status');
      const updated = (plan: FakeInboundPlan) => plan.lastUpdatedAt ?? plan.createdAt;
      const matching = [...seed.plans, ...created].filter((plan) => status === null || plan.status === status);
      if (url.searchParams.get('sortBy') === 'LAST_UPDATED_TIME')
        matching.sort((left, right) => (url.searchParams.get('sortOrder') === 'ASC' ? 1 : -1) * updated(left).localeCompare(updated(right)));
      const size = Number(url.searchParams.get('pageSize') ?? 10);
      const start = Number(url.searchParams.get('paginationToken') ?? 0);
      const next = start + size < matching.length ? String(start + size) : undefined;
      return {
        status: 200,
        body: {
          inboundPlans: matching.slice(start, start + size).map((plan) => ({
            inboundPlanId: plan.inboundPlanId,
            name: plan.name,
            status: plan.status,
            createdAt: plan.createdAt,
            lastUpdatedAt: updated(plan),
            marketplaceIds: ['ATVPDKIKX0DER'],
            sourceAddress: { name: 'Harbor & Pine', addressLine1: '1 Dock St', city: 'Portland', countryCode: 'US' },
          })),
          ...(next === undefined ? {} : { pagination: { nextToken: next } }),
        },
      };
    }
    if (method === 'POST' && path === '/inbound/fba/2024-03-20/inboundPlans') {
      const request = (body ?? {}) as Json;
      const items = Array.isArray(request['items']) ? (request['items'] as Json[]) : [];
      const source = (request['sourceAddress'] ?? {}) as Json;
      if (
        items.length === 0 ||
        !Array.isArray(request['destinationMarketplaces']) ||
        typeof source['addressLine1'] !== 'string' ||
        typeof source['countryCode'] !== 'string'
      )
        return { status: 400, body: spError('InvalidInput', 'destinationMarketplaces, items and sourceAddress are required') };
      const plan: FakeInboundPlan = {
        inboundPlanId: `wf${String(created.length + 1).padStart(8, '0')}-fake`,
        name: String(request['name'] ?? ''),
        status: 'ACTIVE',
        createdAt: new Date().toISOString(),
        shipments: [],
        items: items.map((item) => ({ msku: String(item['msku']), quantity: Number(item['quantity']) })),
      };
      created.push(plan);
      return { status: 202, body: { inboundPlanId: plan.inboundPlanId, operationId: `op-${created.length}` } };
    }
    const planMatch = /^\/inbound\/fba\/2024-03-20\/inboundPlans\/([^/]+)$/.exec(path);
    if (method === 'GET' && planMatch !== null) {
      const plan = planById(planMatch[1] ?? '');
      if (plan === undefined) return { status: 404, body: spError('NotFound', `inbound plan ${planMatch[1] ?? ''} not found`) };
      return {
        status: 200,
        body: {
          inboundPlanId: plan.inboundPlanId,
          name: plan.name,
          status: plan.status,
          createdAt: plan.createdAt,
          lastUpdatedAt: plan.createdAt,
          marketplaceIds: ['ATVPDKIKX0DER'],
          sourceAddress: { name: 'Harbor & Pine', addressLine1: '1 Dock St', city: 'Portland', countryCode: 'US' },
          shipments: plan.shipments.map((shipment) => ({ shipmentId: shipment.shipmentId, status: shipment.status })),
        },
      };
    }
    const shipmentMatch = /^\/inbound\/fba\/2024-03-20\/inboundPlans\/([^/]+)\/shipments\/([^/]+)$/.exec(path);
    if (method === 'GET' && shipmentMatch !== null) {
      const shipment = planById(shipmentMatch[1] ?? '')?.shipments.find((candidate) => candidate.shipmentId === shipmentMatch[2]);
      if (shipment === undefined) return { status: 404, body: spError('NotFound', `shipment ${shipmentMatch[2] ?? ''} not found`) };
      return {
        status: 200,
        body: {
          shipmentId: shipment.shipmentId,
          shipmentConfirmationId: shipment.confirmationId,
          name: shipment.name,
          status: shipment.status,
          placementOptionId: `pl-${shipment.shipmentId}`,
          destination: { destinationType: 'AMAZON_OPTIMIZED', warehouseId: shipment.warehouseId },
          source: { sourceType: 'SELLER_FACILITY' },
          dates: { readyToShipWindow: { start: shipment.readyToShipAt, end: shipment.readyToShipAt } },
        },
      };
    }
    const itemsMatch = /^\/fba\/inbound\/v0\/shipments\/([^/]+)\/items$/.exec(path);
    if (method === 'GET' && itemsMatch !== null) {
      const shipment = seed.plans.flatMap((plan) => plan.shipments).find((candidate) => candidate.confirmationId === itemsMatch[1]);
      if (shipment === undefined) return { status: 400, body: spError('InvalidInput', `shipment ${itemsMatch[1] ?? ''} not found`) };
      return {
        status: 200,
        body: {
          payload: {
            ItemData: shipment.items.map((item) => ({
              ShipmentId: shipment.confirmationId,
              SellerSKU: item.sku,
              FulfillmentNetworkSKU: item.fnsku,
              QuantityShipped: item.shipped,
              QuantityReceived: item.received,
              QuantityInCase: 0,
            })),
          },
        },
      };
    }
    return { status: 404, body: spError('NotFound', `fake SP-API: no FBA route for ${method} ${path}`) };
  };
  return { route, createdPlans: created };
}
