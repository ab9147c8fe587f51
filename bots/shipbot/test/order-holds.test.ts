import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { freightDelay } from '@jbot/opsbot/signals';
import { z } from 'zod';
import {
  buildBotServices,
  catalogSignalTypes,
  createPostgresDb,
  decideApproval,
  defineSignalType,
  getApproval,
  SignalRegistry,
  startBot,
  type Db,
} from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, shopifyObjectsFromSample, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeShopify, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { findHoldCases, holdOrCancelOrder, orderHolds, orderHoldsSettings, shipbot, signalTypes } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent } from './job-harness.js';

// shipbot subscribes to contentbot's amazon_listing_suppressed; a fleet process registers it from the
// roster, this test's registry from a stand-in of the same name (its payload is not read here).
const amazonListingSuppressedStandIn = defineSignalType({
  type: 'amazon_listing_suppressed',
  description: "contentbot's suppressed listing (stand-in for the roster's definition)",
  defaultSeverity: 'alert',
  schema: z.record(z.string(), z.unknown()),
});

// The same company where the three risky orders came from known customers at real addresses.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const planted = data.shipbot as { order_risk: Array<Record<string, unknown>>; address_verifications: unknown[] };
  planted.order_risk = planted.order_risk.map((risk) => ({ ...risk, risk_level: 'LOW', customer_orders: 4 }));
  planted.address_verifications = [];
  return data;
}

describe('shipbot order-holds', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: REFERENCE_NOW });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const config = () => orderHoldsSettings.load({});

  it('is declared every 30 minutes, skipping missed ticks, with the $250 MEDIUM rule', () => {
    expect(orderHolds.schedule).toBe('*/30 * * * *');
    expect(orderHolds.overlap).toBe('skip');
    expect(config().SHIP_HOLD_MEDIUM_MIN_TOTAL).toBe(250);
    expect(shipbot.actions?.map((action) => action.name)).toContain('hold_or_cancel_order');
  });

  it('holds the HIGH-risk order, the risky first order from abroad and the bad address; the returning customer ships', async () => {
    const cases = await findHoldCases(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    // Oldest first: the warehouse picks in that order.
    expect(cases.map((hold) => [hold.order.orderId, hold.addressFailed])).toEqual([
      ['#48422', false],
      ['#48420', false],
      ['#48421', true],
    ]);
    expect(cases.find((hold) => hold.order.orderId === '#48420')?.reasons[0]).toMatch(/^HIGH fraud risk \(Card verification \(CVV\) did not match/);
    expect(cases.find((hold) => hold.order.orderId === '#48422')?.reasons).toEqual(['MEDIUM risk first order of $296.00 billed in CA, shipping to US']);
    // #48423: MEDIUM, $282, billed in Canada, but the customer's fifth order.
    expect(cases.map((hold) => hold.order.orderId)).not.toContain('#48423');
  });

  it('finds the same orders through the live Shopify adapter at the fake', async () => {
    const shopify = await startFakeShopify({ seed: shopifyObjectsFromSample(readSampleCompanyData(), REFERENCE_NOW) });
    try {
      const live = createConnectors({
        db,
        env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url },
      });
      const cases = await findHoldCases(live, orderHoldsSettings.load({ SHIP_HOLD_LOOKBACK_HOURS: '720' }), REFERENCE_NOW);
      expect(cases.map((hold) => hold.order.orderId).sort()).toEqual(['#48420', '#48421', '#48422']);
      expect(cases.every((hold) => hold.order.vendorId.startsWith('gid://shopify/Order/'))).toBe(true);
    } finally {
      await shopify.close();
    }
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      expect(await findHoldCases(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('asks one approval per order, posts once, and an approved hold changes the order and emails the customer exactly once', async () => {
    const first = await runShipbotJob(db, orderHolds);
    expect(first.outcome).toBe('3 risky orders, posted; 3 holds asked');
    const again = await runShipbotJob(db, orderHolds, { last: first });
    expect(again.outcome).toBe('3 risky orders, unchanged since the last run (not reposted)');
    const approvals = await sql<Array<{ id: string; title: string; draft: { order_id: string; notice: unknown } }>>`
      select id, title, draft from approvals where bot = 'shipbot' and action = 'hold_or_cancel_order' order by title`;
    expect(approvals.map((approval) => approval.draft.order_id)).toEqual(['#48420', '#48421', '#48422']);
    const address = approvals.find((approval) => approval.draft.order_id === '#48421');
    expect(address?.draft.notice).toMatchObject({ to: 'dana.whitfield@example.com', subject: 'Your order #48421: please check your delivery address' });

    const bot = await startBot(shipbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: new SignalRegistry([...catalogSignalTypes, ...signalTypes, freightDelay, amazonListingSuppressedStandIn]),
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
    try {
      const approvalId = address?.id ?? '';
      expect((await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);
      const done = await waitFor(
        async () => {
          const approval = await getApproval(db, approvalId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'hold_or_cancel_order to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
      expect((done.result as { summary: string }).summary).toBe('#48421 held; customer notice sent');
    } finally {
      await bot.stop();
    }
    const [order] = await sql<Array<{ fulfillment_status: string }>>`select fulfillment_status from sample_orders where id = '#48421'`;
    expect(order?.fulfillment_status).toBe('on_hold');
    expect(await db.rpc('sample_fulfilment_list_customer_notices', { p_order_id: '#48421' })).toHaveLength(1);

    // The executor again under the same key (a retry, a second host): nothing new.
    const approval = await getApproval(db, address?.id ?? '');
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const rerun = await holdOrCancelOrder.execute(
      holdOrCancelOrder.draft.parse(approval?.draft),
      { ...context, connectors: createConnectors({ db, env: {} }), approvalId: address?.id ?? '', idempotencyKey: `approval:${address?.id ?? ''}` },
      approval as never,
    );
    expect(rerun).toMatchObject({ applied_now: false, notice: 'already sent' });
    expect(await db.rpc('sample_fulfilment_list_holds')).toHaveLength(1);
    expect(await db.rpc('sample_fulfilment_list_customer_notices', { p_order_id: '#48421' })).toHaveLength(1);
    // A held order is no longer a candidate.
    expect((await findHoldCases(createConnectors({ db, env: {} }), config(), REFERENCE_NOW)).map((hold) => hold.order.orderId)).toEqual(['#48422', '#48420']);
  });
});
