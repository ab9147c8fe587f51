import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { fulfilmentSlaMiss, fulfillmentSla, fulfillmentSlaSettings, scoreFulfilment } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, ZONE } from './job-harness.js';

// The same company where Reno shipped everything on time yesterday.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const row of (data.shipbot as { shipment_confirmations: Array<Record<string, unknown>> }).shipment_confirmations)
    if (row['location'] === 'RNO-2' && row['ordered_days_ago'] === 1 && Number(row['ordered_minute']) < 14 * 60)
      Object.assign(row, { shipped_days_ago: 1, shipped_minute: Math.min(Number(row['ordered_minute']) + 90, 17 * 60) });
  return data;
}

describe('shipbot fulfillment-sla', () => {
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

  const config = () => fulfillmentSlaSettings.load({ FLEET_TZ: ZONE });

  it('is declared daily at 07:00 with the 14:00 cutoff, 95% same-day, 1 day of backlog and 0.5% mis-ships', () => {
    expect(fulfillmentSla.schedule).toBe('0 7 * * *');
    expect(config()).toMatchObject({ SHIP_SLA_CUTOFF_HOUR: 14, SHIP_SLA_SAME_DAY_RATE: 0.95, SHIP_SLA_BACKLOG_DAYS: 1, SHIP_SLA_MIS_SHIP_RATE: 0.005 });
  });

  it('scores yesterday: RNO-2 at 88% same-day misses, PDX-1 passes', async () => {
    const result = await scoreFulfilment(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    expect(result.yesterday).toBe('2026-12-08');
    expect(result.scores.map((score) => [score.location, score.shippedSameDay, score.beforeCutoff, score.misses])).toEqual([
      ['PDX-1', 45, 45, []],
      ['RNO-2', 15, 17, ['same_day']],
    ]);
    expect(result.scores[1]?.sameDayRate).toBe(0.882);
    expect(result.history.every((rows) => rows.length === 7)).toBe(true);
  });

  it('finds no miss when Reno shipped on time', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      const result = await scoreFulfilment(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW);
      expect(result.scores.flatMap((score) => score.misses)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the scorecard once a day and raises fulfilment_sla_miss for RNO-2', async () => {
    const first = await runShipbotJob(db, fulfillmentSla);
    expect(first.outcome).toBe('2 warehouse scorecards, posted');
    const signals = await sql<
      Array<{ severity: string; payload: Record<string, unknown> }>
    >`select severity, payload from bot_signals where signal_type = 'fulfilment_sla_miss'`;
    expect(signals).toHaveLength(1);
    expect(signals[0]?.severity).toBe('warning');
    expect(fulfilmentSlaMiss.schema.parse(signals[0]?.payload)).toEqual({
      day: '2026-12-08',
      location: 'RNO-2',
      same_day_rate: 0.882,
      backlog_orders: 2,
      mis_ship_rate: 0,
    });
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'shipbot' and text like '%RNO-2: 15/17 same-day (88.2%%'`;
    expect(posts).toHaveLength(1);
    const again = await runShipbotJob(db, fulfillmentSla, { last: first });
    expect(again.detail.posted).toBe(false);
    expect((await sql`select 1 from bot_signals where signal_type = 'fulfilment_sla_miss'`).length).toBe(1);
  });
});
