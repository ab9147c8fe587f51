import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildBotServices, createPostgresDb, type BotContext, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { findLateShipments, freightWatch, runFreightWatch } from '../src/jobs/freight-watch.js';
import { opsbot } from '../src/bot.js';

describe('opsbot freight-watch', () => {
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

  const log = pino({ level: 'silent' });
  const context = (): BotContext =>
    buildBotServices(opsbot, { db, log, host: 'test', extensions: { connectors: createConnectors({ db }) } }).context(new AbortController().signal, log);

  it('is declared on opsbot every 30 minutes', () => {
    expect(opsbot.jobs?.map((job) => job.id)).toEqual([
      'freight-watch',
      'demurrage-watch',
      'po-confirmations',
      'vendor-intel',
      'receiving-reconcile',
      'vendor-scorecard',
    ]);
    expect(freightWatch.schedule).toBe('*/30 * * * *');
  });

  it('finds SHKGH0525145 21 days late; a one-day slip and arrived shipments are not news', async () => {
    const late = await findLateShipments(createConnectors({ db, env: {} }));
    expect(late.map((shipment) => [shipment.id, shipment.delayDays])).toEqual([['SHKGH0525145', 21]]);
    const strict = await findLateShipments(createConnectors({ db, env: {} }), { thresholdDays: 1 });
    expect(strict.map((shipment) => shipment.id)).toEqual(['SHKGH0525145', 'NGB0611028']);
  });

  it('emits one freight_delay alert per late shipment per day', async () => {
    const first = await runFreightWatch(context());
    expect(first.emitted).toBe(1);
    expect(first.late[0]).toMatchObject({
      shipment_id: 'SHKGH0525145',
      delay_days: 21,
      supplier: 'Shenzhen Lumin Home Fragrance Co., Ltd.',
      skus: ['DW-104', 'DW-109', 'DW-101', 'SM-110'],
    });
    const second = await runFreightWatch(context());
    expect(second).toMatchObject({ checked: 1, emitted: 0 });
    const signals = await db.rpc('list_signals', { p_signal_type: 'freight_delay' });
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ severity: 'alert', repeat_count: 2 });
  });
});
