import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { findReorderCases, reorderNeeded, reorderPoints, reorderPointsSettings } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, ZONE } from './job-harness.js';

// The same company with a PO already placed for both planted SKUs.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const shipbot = data.shipbot as { purchase_orders: Array<Record<string, unknown>> };
  shipbot.purchase_orders.push(
    { id: 'PO-9001', supplier_id: 'SUP-HCM-03', sku: 'SM-104', quantity: 3200, location: 'PDX-1', ordered_days_ago: 2, eta_in_days: 20, status: 'open' },
    { id: 'PO-9002', supplier_id: 'SUP-HU-06', sku: 'TH-105', quantity: 900, location: 'PDX-1', ordered_days_ago: 2, eta_in_days: 25, status: 'open' },
  );
  return data;
}

describe('shipbot reorder-points', () => {
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

  const config = () => reorderPointsSettings.load({ FLEET_TZ: ZONE });

  it('is declared daily at 06:15 with z = 1.65, A-class 2.05 and 8 weeks of cover', () => {
    expect(reorderPoints.schedule).toBe('15 6 * * *');
    expect(config()).toMatchObject({ SHIP_REORDER_Z: 1.65, SHIP_REORDER_Z_CLASS_A: 2.05, SHIP_REORDER_COVER_WEEKS: 8 });
    expect(() => reorderPointsSettings.load({ SHIP_REORDER_Z: '-1' })).toThrow(/SHIP_REORDER_Z/);
  });

  it('finds SM-104 (A-class, warning) and TH-105 (info) below their reorder points, with an order rounded to the MOQ', async () => {
    const cases = await findReorderCases(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    expect(cases.map((item) => [item.sku, item.severity])).toEqual([
      ['SM-104', 'warning'],
      ['TH-105', 'info'],
    ]);
    const decaf = cases[1];
    // ROP = d̄ × LT + z σ √LT = 10.8 × 45 + 1.65 × σ × √45; order covers 45 d + 8 weeks, in 300s.
    expect(decaf).toMatchObject({ leadTimeDays: 45, moq: 300, suggestedQty: 900, position: 367 });
    expect((decaf?.suggestedQty ?? 0) % (decaf?.moq ?? 1)).toBe(0);
    expect(decaf?.position).toBeLessThan(decaf?.reorderPoint ?? 0);
  });

  it('finds nothing once both POs are placed', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      expect(await findReorderCases(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('emits reorder_needed in the catalogued shape and posts the list once', async () => {
    const first = await runShipbotJob(db, reorderPoints);
    expect(first.outcome).toBe('2 reorders, posted');
    const signals = await sql<Array<{ severity: string; payload: Record<string, unknown> }>>`
      select severity, payload from bot_signals where signal_type = 'reorder_needed' order by payload->>'sku'`;
    expect(signals.map((signal) => [signal.payload['sku'], signal.severity])).toEqual([
      ['SM-104', 'warning'],
      ['TH-105', 'info'],
    ]);
    for (const signal of signals) expect(reorderNeeded.schema.parse(signal.payload)).toEqual(signal.payload);
    expect(signals[1]?.payload).toMatchObject({ supplier_id: 'SUP-HU-06', suggested_qty: 900, moq: 300, position: 367 });
    const again = await runShipbotJob(db, reorderPoints, { last: first });
    expect(again.detail.posted).toBe(false);
    expect((await sql`select 1 from channel_messages where bot = 'shipbot' and text like '%TH-105 Decaf Night Hike%'`).length).toBe(1);
  });
});
