import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, startFakeShopify, type FakeShopify, type TestDatabase } from '@jbot/testkit';
import {
  ConnectorError,
  createConnectors,
  loadSampleCompany,
  probeShopify,
  readSampleCompanyData,
  shopifyObjectsFromSample,
  type Connectors,
} from '../src/index.js';

// Both Shopify adapters (commerce and fulfilment) on @shopify/admin-api-client, against a local
// server speaking the Admin GraphQL wire format, seeded with the sample company's store.
describe('Shopify live adapters at the transport', () => {
  let database: TestDatabase;
  let db: Db;
  let shopify: FakeShopify;
  let live: Connectors;
  let sample: Connectors;
  const now = new Date();

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db, { now });
    shopify = await startFakeShopify({ seed: shopifyObjectsFromSample(readSampleCompanyData(), now) });
    const env = { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url };
    live = createConnectors({ db, env });
    sample = createConnectors({ db, env: {} });
  });
  afterAll(async () => {
    await shopify?.close();
    await db?.close();
    await database?.drop();
  });

  it('picks the live adapters when the store and token are set, and the probe names the shop', async () => {
    expect(live.commerce.source).toBe('shopify');
    expect(live.fulfilment.source).toBe('shopify');
    expect(await probeShopify({ storeDomain: shopify.storeDomain, accessToken: shopify.accessToken, apiVersion: '2026-10', apiBase: shopify.url })).toEqual({
      ok: true,
      detail: 'store Harbor & Pine Goods Co.',
    });
    expect(await probeShopify({ storeDomain: shopify.storeDomain, accessToken: 'shpat_wrong', apiVersion: '2026-10', apiBase: shopify.url })).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('defaults to an API version Shopify still supports (the client warns about a retired one)', async () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const fresh = createConnectors({
        db,
        env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url },
      });
      await fresh.commerce.listInventory();
      expect(warnings.mock.calls.map((call) => String(call[0])).filter((text) => /apiVersion/.test(text))).toEqual([]);
      expect(shopify.requests.at(-1)?.path).toBe('/admin/api/2026-10/graphql.json');
    } finally {
      warnings.mockRestore();
    }
  });

  it('commerce: lists open DTC orders and stock, paging through the connection', async () => {
    const open = await live.commerce.listOrders({ openOnly: true });
    const sampleOpen = (await sample.commerce.listOrders({ openOnly: true })).filter((order) => order.channel === 'dtc');
    expect(open.map((order) => order.id).sort()).toEqual(sampleOpen.map((order) => order.id).sort());
    expect(shopify.requests.some((request) => request.fields.includes('orders') && request.variables['query'] === 'fulfillment_status:unfulfilled')).toBe(true);
    const inventory = await live.commerce.listInventory();
    expect(inventory).toHaveLength(40);
    expect(inventory.find((level) => level.sku === 'DW-104')?.onHand).toBe(96);
  });

  it('fulfilment: stock by location and quantity name, with the 28-day velocity the sample company has', async () => {
    const [liveLevels, sampleLevels] = await Promise.all([live.fulfilment.listStockLevels(), sample.fulfilment.listStockLevels()]);
    expect(liveLevels).toHaveLength(80);
    // More than one page of inventory items and of orders was read.
    expect(shopify.requests.filter((request) => request.fields.includes('orders')).length).toBeGreaterThan(1);
    for (const level of sampleLevels) {
      const twin = liveLevels.find((candidate) => candidate.sku === level.sku && candidate.location === level.location);
      expect({
        sku: level.sku,
        location: level.location,
        onHand: twin?.onHand,
        committed: twin?.committed,
        available: twin?.available,
        incoming: twin?.incoming,
      }).toEqual({
        sku: level.sku,
        location: level.location,
        onHand: level.onHand,
        committed: level.committed,
        available: level.available,
        incoming: level.incoming,
      });
      expect(Math.abs((twin?.dailyVelocity ?? 0) - level.dailyVelocity)).toBeLessThan(0.05);
    }
  });

  it('fulfilment: unfulfilled orders with their risk assessment, first order and countries', async () => {
    const risky = await live.fulfilment.listOrderRisk(new Date(now.getTime() - 6 * 3_600_000));
    const high = risky.find((order) => order.orderId === '#48420');
    expect(high).toMatchObject({ riskLevel: 'HIGH', customerOrders: 1, total: 182, shippingCountry: 'US' });
    expect(high?.facts.map((fact) => fact.sentiment)).toEqual(['NEGATIVE', 'NEGATIVE']);
    expect(high?.vendorId).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(risky.find((order) => order.orderId === '#48422')).toMatchObject({
      riskLevel: 'MEDIUM',
      billingCountry: 'CA',
      shippingCountry: 'US',
      customerOrders: 1,
    });
    const sampleRisky = await sample.fulfilment.listOrderRisk(new Date(now.getTime() - 6 * 3_600_000));
    expect(risky.map((order) => [order.orderId, order.riskLevel]).sort()).toEqual(sampleRisky.map((order) => [order.orderId, order.riskLevel]).sort());
  });

  it('holds an order once per key, and a retry after a lost response finds the hold instead of holding again', async () => {
    const [order] = (await live.fulfilment.listOrderRisk()).filter((candidate) => candidate.orderId === '#48420');
    if (order === undefined) throw new Error('no #48420 at the fake');
    const input = {
      orderId: order.orderId,
      vendorId: order.vendorId,
      kind: 'hold' as const,
      reason: 'HIGH fraud risk: CVV mismatch',
      idempotencyKey: 'approval:test-1:#48420',
    };
    const first = await live.fulfilment.holdOrder(input);
    expect(first).toMatchObject({ applied: true, status: 'on_hold' });
    const again = await live.fulfilment.holdOrder(input);
    expect(again.applied).toBe(false);
    expect(shopify.sideEffects.filter((effect) => effect.mutation === 'fulfillmentOrderHold')).toHaveLength(1);
    expect(shopify.store.orders.find((candidate) => candidate.name === '#48420')?.fulfillmentOrders.nodes[0]?.status).toBe('ON_HOLD');

    // The hold lands but the answer is lost: the next attempt looks first and finds it by its handle.
    const [other] = (await live.fulfilment.listOrderRisk()).filter((candidate) => candidate.orderId === '#48422');
    if (other === undefined) throw new Error('no #48422 at the fake');
    const lost = {
      orderId: other.orderId,
      vendorId: other.vendorId,
      kind: 'hold' as const,
      reason: 'MEDIUM risk first order',
      idempotencyKey: 'approval:test-2:#48422',
    };
    shopify.failNext({ field: 'fulfillmentOrderHold', status: 502, afterApply: true });
    await expect(live.fulfilment.holdOrder(lost)).rejects.toBeInstanceOf(ConnectorError);
    await db.rpc('release_side_effect', { p_idempotency_key: `${lost.idempotencyKey}:shopify:hold`, p_error: 'test' });
    const recovered = await live.fulfilment.holdOrder(lost);
    expect(recovered.status).toBe('on_hold');
    expect(shopify.sideEffects.filter((effect) => effect.target === other.vendorId.replace('Order', 'FulfillmentOrder'))).toHaveLength(1);
  });

  it('cancels with a refund once', async () => {
    const [order] = (await live.fulfilment.listOrderRisk()).filter((candidate) => candidate.orderId === '#48421');
    if (order === undefined) throw new Error('no #48421 at the fake');
    const input = {
      orderId: order.orderId,
      vendorId: order.vendorId,
      kind: 'cancel' as const,
      reason: 'address does not exist',
      idempotencyKey: 'approval:test-3:#48421',
    };
    expect(await live.fulfilment.holdOrder(input)).toMatchObject({ applied: true, status: 'cancelled' });
    expect(await live.fulfilment.holdOrder(input)).toMatchObject({ applied: false, status: 'cancelled' });
    const cancels = shopify.sideEffects.filter((effect) => effect.mutation === 'orderCancel');
    expect(cancels).toHaveLength(1);
    expect(cancels[0]?.input).toMatchObject({ reason: 'FRAUD', restock: true, refundMethod: { originalPaymentMethodsRefund: true } });
  });

  it('a bad token is a ConnectorError naming the call, with no token in the message', async () => {
    const wrong = createConnectors({
      db,
      env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: 'shpat_wrong', SHOPIFY_API_BASE: shopify.url },
    });
    const failure = await wrong.fulfilment.listStockLevels().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(String((failure as Error).message)).toMatch(/^Shopify (inventory levels|sales history) failed/);
    expect(String((failure as Error).message)).not.toContain('shpat_wrong');
  });
  it("order attribution: each order's last visit (customerJourneySummary) with its source type and UTM tags, for tracking-health", async () => {
    // Tag the fake store's orders: every third one a paid visit, one of those without UTM parameters.
    const orders = shopify.store.orders;
    orders.forEach((order, index) => {
      order.customerJourneySummary =
        index % 3 === 0
          ? {
              ready: true,
              lastVisit: {
                source: 'facebook',
                sourceType: 'AD',
                utmParameters: index === 0 ? null : { source: 'facebook', medium: 'paid', campaign: 'always-on' },
              },
            }
          : { ready: true, lastVisit: { source: 'google', sourceType: 'SEO', utmParameters: null } };
    });
    expect(live.orderAttribution.source).toBe('shopify');
    const visits = await live.orderAttribution.listOrderVisits({ from: new Date('2000-01-01T00:00:00Z'), to: new Date(now.getTime() + 400 * 86_400_000) });
    expect(visits).toHaveLength(orders.length);
    const paid = visits.filter((visit) => visit.sourceType === 'paid');
    expect(paid.length).toBe(Math.ceil(orders.length / 3));
    expect(paid.filter((visit) => visit.utm === null)).toHaveLength(1);
    expect(visits.filter((visit) => visit.sourceType === 'organic')).toHaveLength(orders.length - paid.length);
    const call = shopify.requests.filter((request) => request.fields.includes('orders')).at(-1);
    expect(String(call?.variables['query'])).toMatch(/^created_at:>='.+' AND created_at:<'.+'$/);
  });
});
