import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, shopifyObjectsFromSample, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeShopify, type TestDatabase } from '@jbot/testkit';
import { inventoryCover, inventoryCoverSettings, projectInventoryCover, stockoutRisk, shipbot } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, ZONE } from './job-harness.js';

// The catalogue's planted case: the four SKUs on the late SHKGH0525145 run out before it lands.
const PLANTED = [
  ['DW-109', 'PDX-1', 'alert'],
  ['SM-110', 'PDX-1', 'alert'],
  ['DW-104', 'PDX-1', 'warning'],
  ['DW-101', 'PDX-1', 'warning'],
];

// The same company where the container came on time: nothing runs short.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const shipments = (data.freight as { shipments: Array<Record<string, unknown>> }).shipments;
  for (const shipment of shipments)
    if (shipment['id'] === 'SHKGH0525145') Object.assign(shipment, { status: 'in_transit', expected_eta_in_days: 1, promised_eta_in_days: 1 });
  return data;
}

describe('shipbot inventory-cover', () => {
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

  const config = () => inventoryCoverSettings.load({ FLEET_TZ: ZONE });

  it('is declared daily at 06:00 with the catalogue thresholds as defaults', () => {
    expect(inventoryCover.schedule).toBe('0 6 * * *');
    expect(inventoryCover.missed).toBe('once');
    expect(shipbot.jobs?.map((job) => job.id)).toContain('inventory-cover');
    expect(config()).toMatchObject({ SHIP_COVER_WARN_DAYS: 21, SHIP_COVER_ALERT_DAYS: 10, SHIP_COVER_TOP_SKUS: 10, SHIP_RECEIVING_DAYS: 2 });
    expect(() => inventoryCoverSettings.load({ SHIP_COVER_WARN_DAYS: 'three weeks' })).toThrow(/SHIP_COVER_WARN_DAYS/);
  });

  it('projects 40 SKUs at two locations and finds DW-104 and DW-109 at about 4 days, SM-110 at about 7', async () => {
    const report = await projectInventoryCover(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    // 76 stocked SKU-locations: the four SKUs on the late container are not stocked in Reno.
    expect(report.projections).toHaveLength(76);
    expect(report.atRisk.map((risk) => [risk.sku, risk.location, risk.severity])).toEqual(PLANTED);
    const cover = Object.fromEntries(report.atRisk.map((risk) => [risk.sku, risk.daysOfCover]));
    expect(cover['DW-104']).toBeGreaterThanOrEqual(3.5);
    expect(cover['DW-104']).toBeLessThan(5);
    expect(cover['DW-109']).toBeGreaterThanOrEqual(3.5);
    expect(cover['DW-109']).toBeLessThan(5);
    expect(cover['SM-110']).toBeGreaterThanOrEqual(6.5);
    expect(cover['SM-110']).toBeLessThan(8);
    expect(report.atRisk.every((risk) => risk.nextInboundSource === 'SHKGH0525145')).toBe(true);
  });

  it('finds the same SKUs through the live Shopify adapter at the fake Admin API', async () => {
    const shopify = await startFakeShopify({ seed: shopifyObjectsFromSample(readSampleCompanyData(), REFERENCE_NOW) });
    try {
      const live = createConnectors({
        db,
        env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url },
      });
      expect(live.fulfilment.source).toBe('shopify');
      // Seeded at the reference instant like the sample load; the adapter's 28-day window (from the wall clock) covers it.
      const report = await projectInventoryCover(live, config(), REFERENCE_NOW);
      expect(report.projections).toHaveLength(76);
      expect(report.atRisk.map((risk) => [risk.sku, risk.location, risk.severity])).toEqual(PLANTED);
    } finally {
      await shopify.close();
    }
  });

  it('finds nothing when the container is on time', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      const report = await projectInventoryCover(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW);
      expect(report.atRisk).toEqual([]);
      // A manual run says so in one line.
      const run = await runShipbotJob(healthyDb, inventoryCover, { manual: true });
      expect(run.outcome).toBe('nothing to report');
      const posts = await healthyDb.rpc('list_channel_messages', { p_bot: 'shipbot', p_limit: 5 });
      expect(posts.map((post) => String(post['text']))).toEqual([
        expect.stringMatching(/^inventory-cover: nothing to report\nAll 76 stocked SKU-locations have at least 21 days of cover/),
      ]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('emits stockout_risk in the catalogued shape, posts the table once, and back_in_stock when the stock arrives', async () => {
    const first = await runShipbotJob(db, inventoryCover);
    expect(first.outcome).toBe('4 at-risk SKU-locations, posted');
    const signals = await sql<Array<{ severity: string; payload: Record<string, unknown> }>>`
      select severity, payload from bot_signals where source_bot = 'shipbot' and signal_type = 'stockout_risk' order by payload->>'sku'`;
    expect(signals.map((signal) => [signal.payload['sku'], signal.severity])).toEqual([
      ['DW-101', 'warning'],
      ['DW-104', 'warning'],
      ['DW-109', 'alert'],
      ['SM-110', 'alert'],
    ]);
    for (const signal of signals) expect(stockoutRisk.schema.parse(signal.payload)).toEqual(signal.payload);
    const coastalFog = signals.find((signal) => signal.payload['sku'] === 'DW-104')?.payload;
    expect(coastalFog).toMatchObject({ location: 'PDX-1', next_inbound_eta: '2026-12-25', channels: ['dtc', 'wholesale'] });
    expect(Object.keys(coastalFog ?? {}).sort()).toEqual(['available', 'channels', 'days_of_cover', 'location', 'next_inbound_eta', 'sku', 'stockout_date']);

    const posts = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'shipbot' and text like '%DW-104 Coastal Fog Candle 14oz @ PDX-1%'`;
    expect(posts).toHaveLength(1);

    // The next morning, unchanged: no repost, no second signal inside the dedupe window.
    const again = await runShipbotJob(db, inventoryCover, { last: first });
    expect(again.outcome).toBe('4 at-risk SKU-locations, unchanged since the last run (not reposted)');
    expect((await sql`select 1 from bot_signals where signal_type = 'stockout_risk'`).length).toBe(4);

    // The container lands: every SKU that was at risk is back in stock.
    await loadSampleCompany(db, { data: healthyVariant(), now: REFERENCE_NOW, reset: true });
    const after = await runShipbotJob(db, inventoryCover, { last: first });
    expect(after.outcome).toBe('nothing to report; 4 back in stock');
    const back = await sql<Array<{ payload: { sku: string; days_of_cover: number } }>>`
      select payload from bot_signals where signal_type = 'back_in_stock' order by payload->>'sku'`;
    expect(back.map((signal) => signal.payload.sku)).toEqual(['DW-101', 'DW-104', 'DW-109', 'SM-110']);
    expect(back.every((signal) => signal.payload.days_of_cover >= 21)).toBe(true);
  });
});
