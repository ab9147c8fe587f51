import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, shopifyObjectsFromSample, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeShopify, type TestDatabase } from '@jbot/testkit';
import { findReturnSpikes, returnRateSpike, returnsWatch, returnsWatchSettings } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob } from './job-harness.js';

// The same company where the holiday trio was packed well: its 'arrived broken' returns never happened.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const shipbot = data.shipbot as { returns: Array<Record<string, unknown>> };
  shipbot.returns = shipbot.returns.filter((line) => !(line['sku'] === 'DW-109' && line['reason'] === 'DEFECTIVE'));
  return data;
}

describe('shipbot returns-watch', () => {
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

  const config = () => returnsWatchSettings.load({});

  it('is declared daily at 08:00 with 1.5×, 10 returns and 40% as the rules', () => {
    expect(returnsWatch.schedule).toBe('0 8 * * *');
    expect(config()).toEqual({ SHIP_RETURNS_SPIKE_FACTOR: 1.5, SHIP_RETURNS_MIN_COUNT: 10, SHIP_RETURNS_REASON_SHARE: 0.4 });
  });

  it("finds DW-109's 'arrived broken' spike among 60 returns, nothing else", async () => {
    const spikes = await findReturnSpikes(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    expect(spikes.map((spike) => [spike.sku, spike.returns30d, spike.topReason])).toEqual([['DW-109', 14, 'DEFECTIVE']]);
    expect(spikes[0]?.share).toBeCloseTo(12 / 14, 3);
    expect(spikes[0]?.rate30d).toBeGreaterThan(1.5 * (spikes[0]?.baseline90d ?? 1));
    expect(spikes[0]?.notes.some((note) => /arrived broken/i.test(note))).toBe(true);
  });

  it('finds the same through the live Shopify adapter (returns on orders) at the fake', async () => {
    const shopify = await startFakeShopify({ seed: shopifyObjectsFromSample(readSampleCompanyData(), REFERENCE_NOW) });
    try {
      const live = createConnectors({
        db,
        env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url },
      });
      const returns = await live.fulfilment.listReturns(new Date(REFERENCE_NOW.getTime() - 90 * 86_400_000));
      expect(returns).toHaveLength(60);
      const spikes = await findReturnSpikes(live, config(), REFERENCE_NOW);
      expect(spikes.map((spike) => [spike.sku, spike.returns30d, spike.topReason])).toEqual([['DW-109', 14, 'DEFECTIVE']]);
    } finally {
      await shopify.close();
    }
  });

  it('finds nothing when the candles arrived whole', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      expect(await findReturnSpikes(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('raises return_rate_spike in the catalogued shape and posts once, quoting the customers as data', async () => {
    const first = await runShipbotJob(db, returnsWatch);
    expect(first.outcome).toBe('1 return spike, posted');
    const signals = await sql<
      Array<{ severity: string; payload: Record<string, unknown> }>
    >`select severity, payload from bot_signals where signal_type = 'return_rate_spike'`;
    expect(signals.map((signal) => [signal.severity, returnRateSpike.schema.parse(signal.payload).sku])).toEqual([['warning', 'DW-109']]);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'shipbot' and text like '%DW-109 Holiday Trio%'`;
    expect(post?.text).toMatch(/Customers wrote: ".*arrived broken.*"/i);
    expect((await runShipbotJob(db, returnsWatch, { last: first })).detail.posted).toBe(false);
  });
});
