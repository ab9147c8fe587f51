import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, startFakeShopify, type FakeShopify, type FakeShopifyDiscount, type FakeShopifyOrder, type TestDatabase } from '@jbot/testkit';
import { createConnectors, readSampleCompanyData, shopifyObjectsFromSample, type DiscountsConnector } from '../src/index.js';

const NOW = new Date();
const iso = (offsetDays: number) => new Date(NOW.getTime() + offsetDays * 86_400_000).toISOString();

function order(id: number, codes: string[], referrerUrl: string | null, daysAgo: number): FakeShopifyOrder {
  return {
    id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    createdAt: iso(-daysAgo),
    cancelledAt: null,
    email: null,
    displayFinancialStatus: 'PAID',
    displayFulfillmentStatus: 'UNFULFILLED',
    customer: null,
    billingAddress: null,
    shippingAddress: null,
    totalPriceSet: { shopMoney: { amount: '40.00', currencyCode: 'USD' } },
    lineItems: { nodes: [] },
    risk: { assessments: [] },
    fulfillmentOrders: { nodes: [] },
    discountCodes: codes,
    customerJourneySummary: {
      ready: true,
      lastVisit: { source: null, sourceType: null, utmParameters: null, referrerUrl, landingPage: 'https://harborandpine.com/' },
    },
  };
}

// The discounts connector on @shopify/admin-api-client against the fake Admin GraphQL server.
describe('Shopify discounts live adapter at the transport', () => {
  let database: TestDatabase;
  let db: Db;
  let shopify: FakeShopify;
  let live: DiscountsConnector;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    const store = shopifyObjectsFromSample(readSampleCompanyData(), NOW);
    const variantOf = (sku: string) => `gid://shopify/ProductVariant/${8_100_000 + (store.inventoryItems ?? []).findIndex((item) => item.sku === sku)}`;
    const discounts: FakeShopifyDiscount[] = [
      {
        id: 'gid://shopify/DiscountAutomaticNode/1101',
        kind: 'automatic',
        title: 'Coastal Fog winter sale 20% off',
        code: null,
        status: 'ACTIVE',
        startsAt: iso(-1),
        endsAt: iso(9),
        percentage: 0.2,
        variants: [
          { id: variantOf('DW-104'), sku: 'DW-104' },
          { id: variantOf('DW-105'), sku: 'DW-105' },
        ],
        usageLimit: null,
        asyncUsageCount: 12,
      },
      {
        id: 'gid://shopify/DiscountCodeNode/2209',
        kind: 'code',
        title: 'saltmarsh.sisters creator code',
        code: 'SALTMARSH20',
        status: 'ACTIVE',
        startsAt: iso(-60),
        endsAt: null,
        percentage: 0.2,
        variants: [],
        usageLimit: null,
        asyncUsageCount: 170,
      },
    ];
    const orders = [
      order(1, ['SALTMARSH20'], 'https://www.retailmenot.com/view/harborandpine.com', 0.2),
      order(2, [], null, 0.3),
      order(3, ['SALTMARSH20'], null, 3),
    ];
    shopify = await startFakeShopify({ seed: { ...store, discounts, orders: [...(store.orders ?? []), ...orders] } });
    live = createConnectors({
      db,
      env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url },
    }).discounts;
  });
  afterAll(async () => {
    await shopify?.close();
    await db?.close();
    await database?.drop();
  });

  it('is chosen by the Shopify credentials; without them the sample adapter serves', () => {
    expect(live.source).toBe('shopify');
    expect(createConnectors({ db, env: {} }).discounts.source).toBe('sample');
  });

  it('lists automatic and code discounts from discountNodes, percent and SKUs included', async () => {
    const discounts = await live.listDiscounts();
    expect(discounts.map((discount) => [discount.kind, discount.title, discount.code, discount.percent, discount.skus, discount.usageCount])).toEqual([
      ['automatic', 'Coastal Fog winter sale 20% off', null, 20, ['DW-104', 'DW-105'], 12],
      ['code', 'saltmarsh.sisters creator code', 'SALTMARSH20', 20, [], 170],
    ]);
    expect(shopify.requests.at(-1)?.fields).toEqual(['discountNodes']);
  });

  it('reads unit costs from the inventory items (null where the store has none)', async () => {
    shopify.store.inventoryItems[0]!.unitCost = { amount: '2.66', currencyCode: 'USD' };
    const costs = await live.listUnitCosts();
    expect(costs[0]).toEqual({ sku: shopify.store.inventoryItems[0]?.sku, unitCost: 2.66 });
    expect(costs[1]?.unitCost).toBeNull();
  });

  it('lists the orders that used a code in the window, with the visit referrer', async () => {
    const redemptions = await live.listCodeRedemptions({ since: new Date(NOW.getTime() - 86_400_000), until: new Date(NOW.getTime() + 60_000) });
    expect(redemptions).toEqual([
      {
        orderId: 'gid://shopify/Order/1',
        code: 'SALTMARSH20',
        createdAt: iso(-0.2),
        referrerUrl: 'https://www.retailmenot.com/view/harborandpine.com',
        landingUrl: 'https://harborandpine.com/',
      },
    ]);
    expect(shopify.requests.at(-1)?.variables['query']).toMatch(/discount_code:\*$/);
  });

  it('ends a promotion early and drops a SKU from it once per key, across a repeat', async () => {
    const input = {
      discountId: 'gid://shopify/DiscountAutomaticNode/1101',
      kind: 'automatic' as const,
      idempotencyKey: 'approval:p1:adjust',
      endsAt: iso(2),
      excludeSkus: ['DW-104'],
    };
    const first = await live.updateDiscount(input);
    expect(first).toMatchObject({ changed: true, skus: ['DW-105'], endsAt: new Date(iso(2)).toISOString() });
    const again = await live.updateDiscount(input);
    expect(again.changed).toBe(false);
    expect(shopify.discountChanges.map((change) => change.mutation)).toEqual(['discountAutomaticBasicUpdate']);
  });

  it('deactivates a leaked code and creates its replacement once per key; a lost create answer is found by code on the retry', async () => {
    const stopped = await live.updateDiscount({
      discountId: 'gid://shopify/DiscountCodeNode/2209',
      kind: 'code',
      idempotencyKey: 'approval:p2:disable',
      deactivate: true,
    });
    expect(stopped).toMatchObject({ status: 'EXPIRED', changed: true });
    shopify.failNext({ field: 'discountCodeBasicCreate', status: 502, afterApply: true });
    const replacement = {
      idempotencyKey: 'approval:p2:replace',
      kind: 'code' as const,
      title: 'saltmarsh.sisters creator code (replacement)',
      code: 'SALTMARSHSIS21',
      percent: 20,
      skus: [],
      startsAt: iso(0),
      endsAt: null,
    };
    await expect(live.createDiscount(replacement)).rejects.toThrow();
    const retried = await live.createDiscount(replacement);
    expect(retried).toMatchObject({ code: 'SALTMARSHSIS21', created: false });
    expect(shopify.store.discounts.filter((discount) => discount.code === 'SALTMARSHSIS21')).toHaveLength(1);
  });

  it('creates an automatic promotion on SKUs by their variant ids', async () => {
    const created = await live.createDiscount({
      idempotencyKey: 'approval:p3:clearance',
      kind: 'automatic',
      title: 'Clearance KC-101 lot KC2401A',
      percent: 30,
      skus: ['KC-101'],
      startsAt: iso(0),
      endsAt: iso(20),
    });
    expect(created.created).toBe(true);
    const made = shopify.store.discounts.find((discount) => discount.id === created.discountId);
    expect(made).toMatchObject({ kind: 'automatic', percentage: 0.3, variants: [{ sku: 'KC-101' }] });
    await expect(
      live.createDiscount({ idempotencyKey: 'approval:p4:x', kind: 'automatic', title: 'x', percent: 10, skus: ['NOPE-1'], startsAt: iso(0), endsAt: null }),
    ).rejects.toThrow(/no variant with SKU NOPE-1/);
  });
});
