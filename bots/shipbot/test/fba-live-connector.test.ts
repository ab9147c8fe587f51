import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { ConnectorError, createConnectors, loadSampleCompany, parseTabSeparatedReport, type Connectors } from '@jbot/connectors';
import { freshDatabase, startFakeSpApi, type FakeSpApi, type FakeSpFbaSeed, type TestDatabase } from '@jbot/testkit';
import { createFbaInboundPlan, fbaCapacityReview, fbaInboundWatch, fbaInventoryHealth, shipbot } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent } from './job-harness.js';

const REPORTS = ['GET_FBA_INVENTORY_PLANNING_DATA', 'GET_STRANDED_INVENTORY_UI_DATA', 'GET_FBA_STORAGE_FEE_CHARGES_DATA'];

// The fake SP-API holds the sample company's FBA account, read through the sample adapter and the
// sample's own report rows: the live adapter over the wire must find exactly what the sample finds.
async function fbaSeedFromSample(db: Db, connectors: Connectors): Promise<FakeSpFbaSeed> {
  const reports: FakeSpFbaSeed['reports'] = {};
  for (const reportType of REPORTS)
    reports[reportType] = (await db.rpc('sample_fba_report', { p_report_type: reportType })).map((row) => row['row_data'] as Record<string, string | number>);
  const shipments = await connectors.fba.listInboundShipments();
  return {
    inventory: await connectors.fba.listInventorySummaries(),
    reports,
    pollsBeforeDone: 2,
    inventoryPageSize: 5,
    plans: [
      ...shipments.map((shipment, index) => ({
        inboundPlanId: shipment.inboundPlanId,
        name: shipment.name,
        status: 'SHIPPED' as const,
        // Touched just now (the live adapter reads plans updated in the last 60 days, by the wall clock).
        createdAt: new Date().toISOString(),
        shipments: [
          {
            shipmentId: `sh0000000${index + 1}`,
            confirmationId: shipment.shipmentId,
            name: shipment.name,
            status: shipment.status,
            warehouseId: shipment.destination,
            readyToShipAt: shipment.shippedAt ?? '2026-11-01T00:00:00Z',
            items: shipment.items.map((item) => ({ ...item, fnsku: `X-${item.sku}` })),
          },
        ],
      })),
      // Last touched 200 days ago, closed short long since: not read again.
      {
        inboundPlanId: 'wf-old-plan',
        name: 'Spring restock',
        status: 'SHIPPED' as const,
        createdAt: new Date(Date.now() - 200 * 86_400_000).toISOString(),
        shipments: [
          {
            shipmentId: 'sh-old',
            confirmationId: 'FBA16OLD0001',
            name: 'Spring restock',
            status: 'CLOSED',
            warehouseId: 'ONT8',
            readyToShipAt: new Date(Date.now() - 230 * 86_400_000).toISOString(),
            items: [{ sku: 'DW-102', fnsku: 'X-DW-102', shipped: 100, received: 50 }],
          },
        ],
      },
    ],
  };
}

describe('Amazon FBA live connector at the fake SP-API (LWA, reports, inbound)', () => {
  let database: TestDatabase;
  let db: Db;
  let fake: FakeSpApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    await loadSampleCompany(db, { now: REFERENCE_NOW });
    fake = await startFakeSpApi({
      seed: { sellerId: 'A2HPGOODS0CO1', listings: [], catalog: [], offers: [], fba: await fbaSeedFromSample(db, createConnectors({ db, env: {} })) },
    });
    env = {
      AMAZON_SP_API_CLIENT_ID: fake.clientId,
      AMAZON_SP_API_CLIENT_SECRET: fake.clientSecret,
      AMAZON_SP_API_REFRESH_TOKEN: fake.refreshToken,
      AMAZON_SP_API_SELLER_ID: 'A2HPGOODS0CO1',
      AMAZON_SP_API_BASE: fake.url,
      AMAZON_LWA_TOKEN_URL: fake.tokenUrl,
      AMAZON_SP_API_RATE_LIMITER: 'false',
      AMAZON_SP_API_REPORT_POLL_MS: '10',
      AMAZON_FBA_SHIP_FROM: JSON.stringify({
        name: 'Harbor & Pine Goods Co.',
        addressLine1: '2200 NW Front Ave',
        city: 'Portland',
        stateOrProvinceCode: 'OR',
        postalCode: '97209',
        countryCode: 'US',
        phoneNumber: '5035550100',
      }),
    };
  });
  afterAll(async () => {
    await fake?.close();
    await db?.close();
    await database?.drop();
  });

  it('reads summaries across pages and the three reports (requested, polled to DONE, gzipped TSV) as the sample does', async () => {
    const live = createConnectors({ db, env });
    const sample = createConnectors({ db, env: {} });
    expect(live.fba.source).toBe('amazon');
    expect(await live.fba.listInventorySummaries()).toEqual(await sample.fba.listInventorySummaries());
    // 12 SKUs, 5 a page: three pages.
    expect(fake.requests.filter((request) => request.path === '/fba/inventory/v1/summaries').map((request) => request.query['nextToken'] ?? '')).toEqual([
      '',
      '5',
      '10',
    ]);
    expect(fake.requests.find((request) => request.path === '/fba/inventory/v1/summaries')?.query).toMatchObject({
      granularityType: 'Marketplace',
      details: 'true',
    });
    expect(await live.fba.getPlanningReport()).toEqual(await sample.fba.getPlanningReport());
    expect(await live.fba.getStrandedReport()).toEqual(await sample.fba.getStrandedReport());
    expect(await live.fba.getStorageFeeReport()).toEqual(await sample.fba.getStorageFeeReport());
    // Each report: one createReport, three getReport polls (two IN_PROGRESS, DONE), one document, one download.
    expect(
      fake.requests
        .filter((request) => request.method === 'POST' && request.path === '/reports/2021-06-30/reports')
        .map((request) => (request.body as { reportType: string }).reportType),
    ).toEqual(REPORTS);
    expect(fake.requests.filter((request) => /^\/reports\/2021-06-30\/reports\/\d+$/.test(request.path))).toHaveLength(9);
    expect(fake.requests.filter((request) => request.path.startsWith('/report-documents-download/'))).toHaveLength(3);
    expect(fake.tokensIssued()).toBe(1);
  });

  it('reads inbound plans, their shipments and v0 item quantities into the same shipments the sample holds', async () => {
    const live = await createConnectors({ db, env }).fba.listInboundShipments();
    const sample = await createConnectors({ db, env: {} }).fba.listInboundShipments();
    expect(live).toEqual(sample);
    expect(fake.requests.some((request) => request.path.includes('wf-old-plan'))).toBe(false);
  });

  it('the FBA jobs find the same planted cases live; create_fba_inbound_plan creates one plan at Amazon however often it runs', async () => {
    const live = createConnectors({ db, env });
    const health = await runShipbotJob(db, fbaInventoryHealth, { runId: 'live-health', connectors: live });
    expect([health.detail['lowSupply'], health.detail['stranded'], health.detail['removal']]).toEqual([['SM-104'], ['KC-110'], ['DW-106']]);
    const inbound = await runShipbotJob(db, fbaInboundWatch, { runId: 'live-inbound', connectors: live });
    expect(inbound.detail['shipments']).toEqual(['FBA17HPG0001:short']);
    const capacity = await runShipbotJob(db, fbaCapacityReview, { runId: 'live-capacity', connectors: live });
    expect(capacity.detail['breaches']).toEqual(['IPI 430 < 450']);

    const approvalId = String(health.detail['approvalId']);
    const approval = await getApproval(db, approvalId);
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: live, approvalId, idempotencyKey: `approval:${approvalId}` };
    const draft = createFbaInboundPlan.draft.parse(approval?.draft);
    expect((await createFbaInboundPlan.execute(draft, execution, approval as never)).summary).toMatch(
      /^created FBA inbound plan wf00000001-fake: 452 units of SM-104/,
    );
    expect((await createFbaInboundPlan.execute(draft, execution, approval as never)).summary).toMatch(/^already created FBA inbound plan wf00000001-fake/);
    expect(fake.createdInboundPlans.map((plan) => [plan.status, plan.items])).toEqual([['ACTIVE', [{ msku: 'SM-104', quantity: 452 }]]]);
    expect(fake.requests.find((request) => request.method === 'POST' && request.path === '/inbound/fba/2024-03-20/inboundPlans')?.body).toMatchObject({
      destinationMarketplaces: ['ATVPDKIKX0DER'],
      sourceAddress: { addressLine1: '2200 NW Front Ave', postalCode: '97209' },
    });
    // Without a ship-from address a live plan cannot be made: said, not sent half-empty.
    const { AMAZON_FBA_SHIP_FROM: _shipFrom, ...withoutShipFrom } = env;
    const noAddress = await createConnectors({ db, env: withoutShipFrom })
      .fba.createInboundPlan({ name: 'x', items: [{ sku: 'SM-104', quantity: 1 }], idempotencyKey: 'approval:no-address' })
      .catch((caught: unknown) => caught);
    expect((noAddress as Error).message).toMatch(/^Amazon createInboundPlan needs the ship-from address: set AMAZON_FBA_SHIP_FROM/);
    expect(() => createConnectors({ db, env: { ...env, AMAZON_FBA_SHIP_FROM: '{"name":"x"}' } })).toThrow(
      /AMAZON_FBA_SHIP_FROM.*missing or not text: addressLine1/,
    );
    expect(fake.createdInboundPlans[0]?.name).toBe(`Replenish 2026-12-09 [jbot ${`approval:${approvalId}`.slice(-24)}]`);
  });

  it('a throttled call, a bad refresh token and a report Amazon cancels are clear errors', async () => {
    fake.failNext({ method: 'GET', path: /^\/fba\/inventory\/v1\/summaries$/, status: 429 });
    const error = await createConnectors({ db, env })
      .fba.listInventorySummaries()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(/^Amazon SP-API getInventorySummaries failed \(HTTP 429\).*throttled: retry later/);

    const badToken = await createConnectors({ db, env: { ...env, AMAZON_SP_API_REFRESH_TOKEN: 'Atzr|revoked' } })
      .fba.getPlanningReport()
      .catch((caught: unknown) => caught);
    expect((badToken as Error).message).toMatch(/Amazon LWA token exchange failed \(HTTP 400, invalid_grant\)/);
    expect((badToken as Error).message).not.toContain('revoked');

    const noStorage = await startFakeSpApi({
      seed: { sellerId: 'A2HPGOODS0CO1', listings: [], catalog: [], offers: [], fba: { inventory: [], reports: {}, plans: [] } },
    });
    try {
      const cancelled = await createConnectors({
        db,
        env: { ...env, AMAZON_SP_API_CLIENT_ID: noStorage.clientId, AMAZON_SP_API_BASE: noStorage.url, AMAZON_LWA_TOKEN_URL: noStorage.tokenUrl },
      })
        .fba.getStorageFeeReport()
        .catch((caught: unknown) => caught);
      expect((cancelled as Error).message).toBe('Amazon report GET_FBA_STORAGE_FEE_CHARGES_DATA ended CANCELLED: no report to read this run');
    } finally {
      await noStorage.close();
    }
  });

  it('a report line with a missing field is an error naming the line, not a shifted row', () => {
    expect(parseTabSeparatedReport('sku\tasin\tavailable\nSM-104\tB0X\t208\n', 'GET_FBA_INVENTORY_PLANNING_DATA')).toEqual([
      { sku: 'SM-104', asin: 'B0X', available: '208' },
    ]);
    expect(() => parseTabSeparatedReport('sku\tasin\tavailable\nSM-104\t208\n', 'GET_FBA_INVENTORY_PLANNING_DATA')).toThrow(
      'Amazon report GET_FBA_INVENTORY_PLANNING_DATA line 2 has 2 fields, the header 3: report not read',
    );
  });
});
