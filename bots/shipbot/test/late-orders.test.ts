import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { businessHoursBetween, lateOrders, lateOrdersJob, lateOrdersNow, lateOrdersSettings } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, ZONE } from './job-harness.js';

// The nine backordered DTC orders (50–102 h old on a Wednesday morning) and WO-7694 past its window.
const LATE_DTC = ['#48408', '#48407', '#48402', '#48404', '#48400', '#48401', '#48405', '#48406', '#48403'];

// The same company where the warehouse caught up: the backorders shipped and WO-7694's window is next week.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const order of (data.shopify as { orders: Array<Record<string, unknown>> }).orders)
    if (order['backordered'] === true) Object.assign(order, { fulfillment_status: 'fulfilled', backordered: false });
  for (const order of (data.shipbot as { orders: Array<Record<string, unknown>> }).orders) if (order['id'] === 'WO-7694') order['promised_ship_in_days'] = 7;
  return data;
}

describe('shipbot late-orders', () => {
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

  const config = () => lateOrdersSettings.load({ FLEET_TZ: ZONE });

  it('is declared hourly 08:00–20:00, skipping missed ticks, with 48 business hours as the DTC promise', () => {
    expect(lateOrdersJob.schedule).toBe('0 8-20 * * *');
    expect(lateOrdersJob.missed).toBe('skip');
    expect(config()).toMatchObject({ SHIP_LATE_DTC_BUSINESS_HOURS: 48, SHIP_LATE_ALERT_COUNT: 25 });
  });

  it('counts only weekday hours in the company zone', () => {
    // Friday 18:00 → Monday 10:00 in Portland: 6 hours on Friday and 10 on Monday.
    expect(businessHoursBetween(new Date('2026-12-05T02:00:00Z'), new Date('2026-12-07T18:00:00Z'), ZONE)).toBe(16);
    expect(businessHoursBetween(new Date('2026-12-07T18:00:00Z'), new Date('2026-12-09T18:00:00Z'), ZONE)).toBe(48);
  });

  it('finds the 9 late DTC orders and the 1 wholesale PO past its window, nothing else', async () => {
    const late = await lateOrdersNow(createConnectors({ db, env: {} }), REFERENCE_NOW, config());
    expect(late.filter((order) => order.channel === 'wholesale').map((order) => [order.id, order.why])).toEqual([
      ['WO-7694', expect.stringMatching(/^ship window ended 2026-12-08$/)],
    ]);
    expect(late.filter((order) => order.channel === 'dtc').map((order) => order.id)).toEqual(LATE_DTC);
    // #48330 is exactly 48 business hours old: not yet late.
    expect(late.map((order) => order.id)).not.toContain('#48330');
  });

  it('finds nothing once the backorders shipped and the window moved', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      expect(await lateOrdersNow(createConnectors({ db: healthyDb, env: {} }), REFERENCE_NOW, config())).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('raises late_orders per channel (wholesale as an alert), posts on change, and one signal for a set that persists', async () => {
    const first = await runShipbotJob(db, lateOrdersJob);
    expect(first.outcome).toBe('10 late orders, posted');
    const signals = await sql<Array<{ severity: string; payload: Record<string, unknown> }>>`
      select severity, payload from bot_signals where signal_type = 'late_orders' order by payload->>'channel'`;
    expect(signals.map((signal) => [signal.payload['channel'], signal.severity, signal.payload['count']])).toEqual([
      ['dtc', 'warning', 9],
      ['wholesale', 'alert', 1],
    ]);
    for (const signal of signals) expect(lateOrders.schema.parse(signal.payload)).toEqual(signal.payload);
    expect(signals[1]?.payload).toMatchObject({ wholesale_pos: ['WO-7694'], orders: [{ id: 'WO-7694', promised: '2026-12-08' }] });

    // The next tick finds the same set: not reposted, no new signal.
    const again = await runShipbotJob(db, lateOrdersJob, { last: first });
    expect(again.outcome).toBe('10 late orders, unchanged since the last run (not reposted)');
    expect((await sql`select 1 from bot_signals where signal_type = 'late_orders'`).length).toBe(2);
    expect((await sql`select 1 from channel_messages where bot = 'shipbot' and text like '%WO-7694 Wildwood Natural Foods%'`).length).toBe(1);

    // An hour later #48330 passes 48 business hours: the set changed, so a new post and a new DTC signal.
    const later = await runShipbotJob(db, lateOrdersJob, { last: again, now: new Date(REFERENCE_NOW.getTime() + 3_600_000) });
    expect(later.outcome).toBe('11 late orders, posted');
    const dtc = await sql<
      Array<{ payload: { count: number } }>
    >`select payload from bot_signals where signal_type = 'late_orders' and payload->>'channel' = 'dtc' order by created_at`;
    expect(dtc.map((signal) => signal.payload.count)).toEqual([9, 10]);
    expect((await sql`select 1 from bot_signals where signal_type = 'late_orders' and payload->>'channel' = 'wholesale'`).length).toBe(1);
  });
});
