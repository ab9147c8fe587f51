import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, easypostShipmentsFromSample, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeEasyPost, type TestDatabase } from '@jbot/testkit';
import { carrierException, carrierExceptions, carrierExceptionsSettings, parcelsInTrouble, sendCarrierExceptionNotices, shipbot } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent, ZONE } from './job-harness.js';

const EXCEPTIONS = ['#47141', '#47142', '#47143', '#47144', '#47145'];
const STALLED = ['#47146', '#47147', '#47148'];

// The same company where every parcel moved normally.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const parcel of (data.shipbot as { parcel_shipments: Array<Record<string, unknown>> }).parcel_shipments)
    if ([...EXCEPTIONS, ...STALLED].includes(String(parcel['order_id'])))
      Object.assign(parcel, { status: 'delivered', status_detail: 'arrived_at_destination', last_scan_hours_ago: 30 });
  return data;
}

describe('shipbot carrier-exceptions', () => {
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

  const config = () => carrierExceptionsSettings.load({ FLEET_TZ: ZONE });

  it('is declared every 2 hours at :30 from 08:30 to 20:30 with 4 days of silence as stalled', () => {
    expect(carrierExceptions.schedule).toBe('30 8-20/2 * * *');
    expect(config()).toMatchObject({ SHIP_CARRIER_STALL_DAYS: 4, SHIP_CARRIER_LATE_DAYS: 2, SHIP_CARRIER_WARN_COUNT: 20 });
  });

  it('finds the 5 exceptions and 3 stalled parcels among 400 labels, nothing else', async () => {
    const troubles = await parcelsInTrouble(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    expect(troubles.filter((trouble) => trouble.kind === 'exception').map((trouble) => trouble.parcel.orderId)).toEqual(EXCEPTIONS);
    expect(troubles.filter((trouble) => trouble.kind === 'stalled').map((trouble) => trouble.parcel.orderId)).toEqual(STALLED);
    expect(troubles).toHaveLength(8);
  });

  it('finds the same parcels through the EasyPost client at the fake EasyPost API, paging with before_id', async () => {
    const easypost = await startFakeEasyPost({ shipments: easypostShipmentsFromSample(readSampleCompanyData(), REFERENCE_NOW) });
    try {
      const live = createConnectors({ db, env: { EASYPOST_API_KEY: easypost.apiKey, EASYPOST_API_BASE: easypost.url } });
      expect(live.parcel.source).toBe('easypost');
      const troubles = await parcelsInTrouble(live, config(), REFERENCE_NOW);
      expect(troubles.map((trouble) => [trouble.parcel.orderId, trouble.kind])).toEqual([
        ...EXCEPTIONS.map((id) => [id, 'exception']),
        ...STALLED.map((id) => [id, 'stalled']),
      ]);
      expect(easypost.requests.filter((request) => request.path === '/v2/shipments').length).toBeGreaterThan(1);
      expect(easypost.requests.some((request) => request.query['before_id'] !== undefined)).toBe(true);
      const wrong = createConnectors({ db, env: { EASYPOST_API_KEY: 'EZAKwrong', EASYPOST_API_BASE: easypost.url } });
      await expect(parcelsInTrouble(wrong, config(), REFERENCE_NOW)).rejects.toThrow(/^EasyPost shipments failed: APIKEY.INACTIVE/);
    } finally {
      await easypost.close();
    }
  });

  it('finds nothing when every parcel moved', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      expect(await parcelsInTrouble(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('raises carrier_exception (info under 20), asks the notices once, and sends each email once', async () => {
    const first = await runShipbotJob(db, carrierExceptions);
    expect(first.outcome).toBe('8 troubled parcels, posted');
    const again = await runShipbotJob(db, carrierExceptions, { last: first });
    expect(again.detail['approvalId']).toBe(first.detail['approvalId']);
    const signals = await sql<
      Array<{ severity: string; payload: Record<string, unknown> }>
    >`select severity, payload from bot_signals where signal_type = 'carrier_exception'`;
    expect(signals.map((signal) => [signal.severity, signal.payload['count']])).toEqual([['info', 8]]);
    expect(carrierException.schema.parse(signals[0]?.payload)).toEqual(signals[0]?.payload);

    const approvalId = String(first.detail['approvalId']);
    const approval = await getApproval(db, approvalId);
    expect(approval?.title).toBe('Email 8 customers about parcels in trouble (3 replacements)');
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` };
    const draft = sendCarrierExceptionNotices.draft.parse(approval?.draft);
    const sent = await sendCarrierExceptionNotices.execute(draft, execution, approval as never);
    expect(sent.summary).toBe('sent 8 carrier-exception notices; 3 reship/refund for the team');
    const rerun = await sendCarrierExceptionNotices.execute(draft, execution, approval as never);
    expect(rerun.summary).toBe('sent 0 carrier-exception notices (8 already sent); 3 reship/refund for the team');
    expect(await db.rpc('sample_fulfilment_list_customer_notices')).toHaveLength(8);
  });
});
