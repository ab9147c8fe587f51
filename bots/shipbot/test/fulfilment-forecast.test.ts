import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, dayNumber, dayString, forecastFulfilment, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';

describe('shipbot fulfilment forecast after a freight delay', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('projects stockouts and new ship dates for the orders waiting on SHKGH0525145', async () => {
    const now = new Date();
    const connectors = createConnectors({ db, env: {} });
    // Only the fields opsbot always sends: the forecast fills the rest from the freight connector.
    const forecast = await forecastFulfilment(connectors, { shipment_id: 'SHKGH0525145', delay_days: 21 }, now);
    const today = dayNumber(now);
    expect(forecast.expectedEta).toBe(dayString(today + 14));
    expect(forecast.restockDate).toBe(dayString(today + 16));
    expect(forecast.skus.map((runway) => runway.sku)).toEqual(['DW-104', 'DW-109', 'DW-101', 'SM-110']);
    expect(forecast.stockoutSkus.sort()).toEqual(['DW-101', 'DW-104', 'DW-109', 'SM-110']);
    const coastalFog = forecast.skus.find((runway) => runway.sku === 'DW-104');
    // More units are promised than are on hand: out today, out for the whole gap.
    expect(coastalFog?.available).toBeLessThan(0);
    expect(coastalFog?.stockoutDate).toBe(dayString(today));
    expect(coastalFog?.daysOutOfStock).toBe(16);

    const wholesale = forecast.affectedOrders.filter((order) => order.channel === 'wholesale');
    // Stock on hand goes to the oldest orders first: WO-7719 (six days old) is served, WO-7722 waits.
    expect(wholesale.map((order) => [order.orderId, order.skus])).toEqual([['WO-7722', ['DW-104']]]);
    expect(wholesale[0]?.newShipDate).toBe(forecast.restockDate);
    expect(wholesale[0]?.slipDays).toBe(16 - 4);
    expect(forecast.affectedOrders.every((order) => order.newShipDate >= forecast.restockDate)).toBe(true);
    expect(forecast.affectedOrders.every((order) => order.slipDays === dayNumber(order.newShipDate) - dayNumber(order.originalShipDate))).toBe(true);
    expect(forecast.affectedOrders.some((order) => order.channel === 'dtc')).toBe(true);
    expect(forecast.wholesaleCustomers.map((customer) => customer.customerName)).toContain('Harbor Lights Gifts');
    expect(forecast.wholesaleCustomers.every((customer) => customer.customerEmail.includes('@'))).toBe(true);
    // Orders for SKUs not on the shipment are untouched.
    expect(forecast.affectedOrders.flatMap((order) => order.skus).every((sku) => forecast.skus.some((runway) => runway.sku === sku))).toBe(true);
  });
});
