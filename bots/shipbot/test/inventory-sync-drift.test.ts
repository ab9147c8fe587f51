import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, shopifyObjectsFromSample, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeShopify, type TestDatabase } from '@jbot/testkit';
import { findDrift, inventoryDrift, inventorySyncDrift, inventorySyncDriftSettings, setInventoryQuantities, shipbot } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent } from './job-harness.js';

// The same company where the 3PL's file agrees with the store.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const shipbot = data.shipbot as { wms_snapshot: Array<Record<string, unknown>>; inventory: Array<Record<string, unknown>> };
  for (const row of shipbot.wms_snapshot) row['on_hand'] = shipbot.inventory.find((level) => level['sku'] === row['sku'])?.['on_hand'];
  return data;
}

describe('shipbot inventory-sync-drift', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: REFERENCE_NOW });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const config = () => inventorySyncDriftSettings.load({});

  it('is declared every 2 hours at :40 with max(5 units, 5%) as the tolerance', () => {
    expect(inventorySyncDrift.schedule).toBe('40 */2 * * *');
    expect(config()).toEqual({ SHIP_DRIFT_MIN_UNITS: 5, SHIP_DRIFT_MIN_SHARE: 0.05 });
  });

  it("finds the 2 drifted SKUs in the Reno 3PL's file of 40", async () => {
    const drifts = await findDrift(createConnectors({ db, env: {} }), config());
    expect(drifts.map((drift) => [drift.sku, drift.location, drift.shopifyAvailable, drift.wmsOnHand, drift.phantom])).toEqual([
      ['KC-109', 'RNO-2', 268, 0, true],
      ['SM-102', 'RNO-2', 519, 459, false],
    ]);
  });

  it('finds nothing when the file agrees', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      expect(await findDrift(createConnectors({ db: healthyDb, env: {} }), config())).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('counts a phantom at once and a difference on the second check; the approved correction changes the store once', async () => {
    const first = await runShipbotJob(db, inventorySyncDrift);
    expect(first.detail['confirmed']).toEqual(['KC-109@RNO-2']);
    const second = await runShipbotJob(db, inventorySyncDrift, { last: first });
    expect(second.outcome).toBe('2 drifted SKUs, posted');
    expect(second.detail['confirmed']).toEqual(['KC-109@RNO-2', 'SM-102@RNO-2']);
    const signals = await sql<Array<{ payload: Record<string, unknown> }>>`select payload from bot_signals where signal_type = 'inventory_drift'`;
    // KC-109: the store sells 268 the 3PL does not have. SM-102's open orders fit in the 3PL's 459: no signal.
    expect(signals.map((signal) => inventoryDrift.schema.parse(signal.payload))).toEqual([
      { sku: 'KC-109', shopify_available: 268, wms_on_hand: 0, open_orders: 1 },
    ]);

    const approvalId = String(second.detail['approvalId']);
    const approval = await getApproval(db, approvalId);
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` };
    const draft = setInventoryQuantities.draft.parse(approval?.draft);
    expect((await setInventoryQuantities.execute(draft, execution, approval as never)).summary).toBe("corrected 2 stock levels to the 3PL's count");
    expect((await setInventoryQuantities.execute(draft, execution, approval as never)).summary).toBe(
      "corrected 0 stock levels to the 3PL's count (2 already corrected)",
    );
    expect(await findDrift(createConnectors({ db, env: {} }), config())).toEqual([]);
  });

  it("corrects through Shopify's inventorySetQuantities at the fake, compare-and-set, once", async () => {
    const shopify = await startFakeShopify({ seed: shopifyObjectsFromSample(readSampleCompanyData(), REFERENCE_NOW) });
    try {
      const live = createConnectors({
        db,
        env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url },
      });
      const input = { sku: 'SM-102', location: 'RNO-2', available: 459, compareAvailable: 519, reason: 'correction', idempotencyKey: 'approval:live-drift' };
      expect(await live.fulfilment.setAvailable(input)).toEqual({ applied: true, previous: 519, available: 459 });
      expect(await live.fulfilment.setAvailable(input)).toMatchObject({ applied: false, available: 459 });
      const writes = shopify.sideEffects.filter((effect) => effect.mutation === 'inventorySetQuantities');
      expect(writes).toHaveLength(1);
      expect(writes[0]?.input).toMatchObject({ name: 'available', reason: 'correction', quantities: [{ quantity: 459, compareQuantity: 519 }] });
      // A number that moved since the draft is not overwritten.
      await expect(live.fulfilment.setAvailable({ ...input, available: 400, compareAvailable: 519, idempotencyKey: 'approval:stale' })).rejects.toThrow(
        /no longer matches/,
      );
    } finally {
      await shopify.close();
    }
  });
});
