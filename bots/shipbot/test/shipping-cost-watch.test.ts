import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { shippingCostSettings, shippingCostVariance, shippingCostWatch, watchShippingCost } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, ZONE } from './job-harness.js';

const LEAKS = ['#47059', '#47060', '#47062', '#47065', '#47068', '#47075'];
const EXPEDITED = ['#47077', '#47083'];

// The same company where those labels were bought at ground rates.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const parcel of (data.shipbot as { parcel_shipments: Array<Record<string, unknown>> }).parcel_shipments)
    if ([...LEAKS, ...EXPEDITED].includes(String(parcel['order_id']))) Object.assign(parcel, { rate: 7.1, fees: [], service: 'GroundAdvantage' });
  return data;
}

describe('shipbot shipping-cost-watch', () => {
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

  const config = () => shippingCostSettings.load({ FLEET_TZ: ZONE });

  it('is declared daily at 08:30 with the $8 leak on orders under $60, +25% surcharges, +10% per order', () => {
    expect(shippingCostWatch.schedule).toBe('30 8 * * *');
    expect(config()).toMatchObject({ SHIP_COST_LEAK_USD: 8, SHIP_COST_LEAK_MAX_ORDER_USD: 60, SHIP_COST_SURCHARGE_RISE: 0.25, SHIP_COST_PER_ORDER_RISE: 0.1 });
  });

  it('finds the 6 free-shipping leaks and 2 expedited labels on ground-paid orders among 400 labels', async () => {
    const report = await watchShippingCost(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    expect(report.leaks.map((leak) => leak.orderId).sort()).toEqual([...LEAKS, ...EXPEDITED].sort());
    expect(
      report.leaks
        .filter((leak) => leak.why.startsWith('shipped'))
        .map((leak) => leak.orderId)
        .sort(),
    ).toEqual(EXPEDITED);
    // Postage per order is steady: no rise finding.
    expect(report.findings).toEqual([]);
    expect(report.costPerOrder).toBeGreaterThan(0);
  });

  it('finds no leak on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      const report = await watchShippingCost(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW);
      expect(report.leaks).toEqual([]);
      expect(report.findings).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('raises shipping_cost_variance as info (per-order cost steady) and posts once', async () => {
    const first = await runShipbotJob(db, shippingCostWatch);
    expect(first.outcome).toBe('8 shipping cost findings, posted');
    const signals = await sql<
      Array<{ severity: string; payload: Record<string, unknown> }>
    >`select severity, payload from bot_signals where signal_type = 'shipping_cost_variance'`;
    expect(signals).toHaveLength(1);
    expect(signals[0]?.severity).toBe('info');
    const payload = shippingCostVariance.schema.parse(signals[0]?.payload);
    expect(payload.day).toBe('2026-12-08');
    expect(payload.leaks).toHaveLength(8);
    expect((await runShipbotJob(db, shippingCostWatch, { last: first })).detail.posted).toBe(false);
  });
});
