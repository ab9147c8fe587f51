import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, shopifyObjectsFromSample, type Connectors, type WholesaleOrder } from '@jbot/connectors';
import { freshDatabase, startFakeShopify, type FakeShopify, type TestDatabase } from '@jbot/testkit';
import { allocateWholesale, applyAllocation, shipbot, wholesaleAllocation, wholesaleAllocationSettings } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent, ZONE } from './job-harness.js';

const money = (amount: number) => ({ shopMoney: { amount: amount.toFixed(2), currencyCode: 'USD' } });

// The sample's open wholesale POs as Shopify B2B orders: tagged wholesale, the ship window and
// tier in custom attributes, the buying company with its CRM id as externalId.
function shopifyWholesaleOrders(orders: readonly WholesaleOrder[]) {
  return orders.map((order, index) => ({
    id: `gid://shopify/Order/${7_700_000 + index}`,
    name: order.orderId,
    createdAt: new Date(REFERENCE_NOW.getTime() - 5 * 86_400_000).toISOString(),
    cancelledAt: null,
    email: order.customerEmail,
    displayFinancialStatus: 'PENDING',
    displayFulfillmentStatus: 'UNFULFILLED',
    customer: { displayName: order.customerName, numberOfOrders: '6' },
    billingAddress: { countryCodeV2: 'US' },
    shippingAddress: { address1: null, city: null, provinceCode: null, zip: null, countryCodeV2: 'US' },
    totalPriceSet: money(order.lines.reduce((sum, line) => sum + line.quantity * line.price, 0)),
    lineItems: {
      nodes: order.lines.map((line, position) => ({
        id: `gid://shopify/LineItem/${(7_700_000 + index) * 10 + position}`,
        sku: line.sku,
        quantity: line.quantity,
        currentQuantity: line.quantity,
        originalUnitPriceSet: money(line.price),
      })),
    },
    risk: { assessments: [] },
    fulfillmentOrders: { nodes: [] },
    tags: ['wholesale'],
    customAttributes: [
      { key: 'ship_window_start', value: order.windowStart },
      { key: 'ship_window_end', value: order.windowEnd },
      { key: 'allocation_tier', value: order.tier },
      { key: 'short_ship_fine_pct', value: String(order.shortFinePct) },
    ],
    purchasingEntity: { company: { id: `gid://shopify/Company/${index + 1}`, name: order.customerName, externalId: order.accountId } },
  }));
}

describe('wholesale orders live on Shopify (B2B orders, order editing) at the fake Admin GraphQL API', () => {
  let database: TestDatabase;
  let db: Db;
  let shopify: FakeShopify;
  let live: Connectors;
  let sample: Connectors;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db, { now: REFERENCE_NOW });
    sample = createConnectors({ db, env: {} });
    const objects = shopifyObjectsFromSample(readSampleCompanyData(), REFERENCE_NOW);
    shopify = await startFakeShopify({
      seed: { ...objects, orders: [...objects.orders, ...shopifyWholesaleOrders(await sample.wholesale.listOpenWholesaleOrders())] },
    });
    live = createConnectors({
      db,
      env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url },
    });
  });
  afterAll(async () => {
    await shopify?.close();
    await db?.close();
    await database?.drop();
  });

  it('reads the open wholesale POs with their windows, tiers and accounts as the sample holds them', async () => {
    expect(live.wholesale.source).toBe('shopify');
    const withoutIds = (orders: WholesaleOrder[]) => orders.map(({ vendorId: _vendorId, ...order }) => order);
    expect(withoutIds(await live.wholesale.listOpenWholesaleOrders())).toEqual(withoutIds(await sample.wholesale.listOpenWholesaleOrders()));
    expect(
      shopify.requests.find(
        (request) => request.fields.includes('orders') && request.variables['query'] === 'status:open fulfillment_status:unfulfilled tag:wholesale',
      ),
    ).toBeDefined();
  });

  it("wholesale POs in the store do not count as DTC sales: the live 28-day velocity stays the sample's", async () => {
    const velocity = async (connectors: Connectors) =>
      Object.fromEntries((await connectors.fulfilment.listStockLevels()).map((level) => [`${level.sku}@${level.location}`, level.dailyVelocity]));
    const liveVelocity = await velocity(live);
    expect(liveVelocity['DW-101@PDX-1']).toBe(16);
    // The fake's history orders reproduce the sample's rates to the cent (rounding).
    for (const [key, rate] of Object.entries(await velocity(sample))) expect(Math.abs((liveVelocity[key] ?? 0) - (rate ?? 0)), key).toBeLessThan(0.05);
  });

  it('allocates the same way live, and apply_allocation edits the Shopify order once, also when the commit answer was lost', async () => {
    // Stock and velocity from the sample store, the POs from Shopify: the allocation is the wholesale adapter's.
    const connectors = { ...sample, wholesale: live.wholesale };
    const config = wholesaleAllocationSettings.load({ FLEET_TZ: ZONE });
    const liveResult = await allocateWholesale(connectors, config, REFERENCE_NOW);
    const sampleResult = await allocateWholesale(sample, config, REFERENCE_NOW);
    expect(liveResult.shortfalls.map((shortfall) => [shortfall.order.orderId, shortfall.lines])).toEqual(
      sampleResult.shortfalls.map((shortfall) => [shortfall.order.orderId, shortfall.lines]),
    );

    const run = await runShipbotJob(db, wholesaleAllocation, { runId: 'live-allocation', connectors });
    expect(run.outcome).toBe('3 wholesale orders short, posted');
    const approvals = await Promise.all((run.detail['approvalIds'] as string[]).map((id) => getApproval(db, id)));
    const approval = approvals.find((candidate) => (candidate?.draft as { order_id?: string }).order_id === 'WO-7722');
    const draft = applyAllocation.draft.parse(approval?.draft);
    expect(draft.vendor_id).toMatch(/^gid:\/\/shopify\/Order\/77000\d\d$/);
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors, approvalId: approval!.id, idempotencyKey: `approval:${approval!.id}` };

    // The commit lands but its answer is lost: the retry finds the order already edited and does not edit again.
    shopify.failNext({ field: 'orderEditCommit', status: 502, afterApply: true });
    await expect(applyAllocation.execute(draft, execution, approval as never)).rejects.toThrow(/Shopify/);
    expect((await applyAllocation.execute(draft, execution, approval as never)).summary).toMatch(
      /^already allocated WO-7722 \(Harbor Lights Gifts\): DW-101 3\/48, DW-104 0\/72, DW-109 0\/36/,
    );
    expect((await applyAllocation.execute(draft, execution, approval as never)).summary).toMatch(/^already allocated/);
    const edits = shopify.sideEffects.filter((effect) => effect.mutation === 'orderEditCommit');
    expect(edits).toHaveLength(1);
    expect(String(edits[0]?.input['staffNote'])).toMatch(/^Allocated by shipbot: DW-101 3\/48, DW-104 0\/72, DW-109 0\/36; the rest ships \d{4}-\d{2}-\d{2}$/);
    const order = shopify.store.orders.find((candidate) => candidate.name === 'WO-7722');
    expect(order?.lineItems.nodes.map((line) => [line.sku, line.currentQuantity])).toEqual([
      ['DW-101', 3],
      ['DW-104', 0],
      ['DW-109', 0],
    ]);
  });
});
