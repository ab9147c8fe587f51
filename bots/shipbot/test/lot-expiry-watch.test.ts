import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { expiringInventory, findExpiringLots, lotExpirySettings, lotExpiryWatch, scheduleDonation, shipbot } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent, ZONE } from './job-harness.js';

// The same company where both lots were dated like the rest.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const lot of (data.shipbot as { lots: Array<Record<string, unknown>> }).lots)
    if (['KC-106', 'TH-105'].includes(String(lot['sku']))) lot['expiry_in_days'] = 200;
  return data;
}

describe('shipbot lot-expiry-watch', () => {
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

  const config = () => lotExpirySettings.load({ FLEET_TZ: ZONE });

  it('is declared daily at 07:30 with 30 days DTC, 90 days wholesale and 14 days to donate', () => {
    expect(lotExpiryWatch.schedule).toBe('30 7 * * *');
    expect(config()).toMatchObject({ SHIP_LOT_MIN_SHELF_DAYS_DTC: 30, SHIP_LOT_MIN_SHELF_DAYS_WHOLESALE: 90, SHIP_LOT_DONATE_DAYS: 14 });
  });

  it('finds the 2 lots at risk among 40 granola and coffee lots: TH-105 to donate, KC-106 to clear', async () => {
    const risks = await findExpiringLots(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    expect(risks.map((risk) => [risk.lot.sku, risk.lot.lot, risk.action, risk.daysToExpiry])).toEqual([
      ['TH-105', 'TH2418A', 'donate', 10],
      ['KC-106', 'KC2407A', 'clear', 45],
    ]);
    // 307 units at 10.5 a day take about 29 days; the lot must be sold 30 days before its best-by (day 15).
    expect(risks[1]?.daysToSellThrough).toBeCloseTo(29.2, 1);
    expect(risks[1]?.wholesaleEligible).toBe(false);
  });

  it('finds nothing when those lots are dated like the rest', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      expect(await findExpiringLots(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('raises expiring_inventory for the lot to clear and asks schedule_donation, which drops one file', async () => {
    const first = await runShipbotJob(db, lotExpiryWatch);
    expect(first.outcome).toBe('2 lots at risk, posted');
    const signals = await sql<Array<{ payload: Record<string, unknown> }>>`select payload from bot_signals where signal_type = 'expiring_inventory'`;
    expect(signals.map((signal) => expiringInventory.schema.parse(signal.payload))).toEqual([
      { sku: 'KC-106', lot: 'KC2407A', expiry: '2027-01-23', units: 307, days_to_sell_through: 29.2 },
    ]);
    const again = await runShipbotJob(db, lotExpiryWatch, { last: first });
    expect(again.detail['approvalId']).toBe(first.detail['approvalId']);
    const approvalId = String(first.detail['approvalId']);
    const approval = await getApproval(db, approvalId);
    expect(approval?.title).toBe('Donate 40 units in 1 lot to Oregon Food Bank before best-by');
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` };
    const draft = scheduleDonation.draft.parse(approval?.draft);
    expect((await scheduleDonation.execute(draft, execution, approval as never)).summary).toMatch(
      /^sent donation order donation_approval_.*\.csv to the 3PL: 40 units for Oregon Food Bank$/,
    );
    expect((await scheduleDonation.execute(draft, execution, approval as never)).summary).toMatch(/^already sent/);
    expect(await db.rpc('sample_warehouse_list_donations')).toHaveLength(1);
  });
});
