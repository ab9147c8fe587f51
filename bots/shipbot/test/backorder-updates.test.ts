import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { backorderUpdates, backorderUpdatesSettings, findBackorderUpdates, sendBackorderUpdates, shipbot } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent, ZONE } from './job-harness.js';

// The nine customers waiting on the late container's SKUs, oldest first.
const WAITING = ['#48408', '#48407', '#48402', '#48404', '#48400', '#48401', '#48405', '#48406', '#48403'];

// The same company where the waiting customers were already told the restock date.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const order of (data.shopify as { orders: Array<Record<string, unknown>> }).orders)
    if (order['backordered'] === true) order['promised_ship_in_days'] = 16;
  return data;
}

describe('shipbot backorder-updates', () => {
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

  const config = () => backorderUpdatesSettings.load({ FLEET_TZ: ZONE });

  it('is declared daily at 11:00 with a 3-day slip and a refund offer past 21 days', () => {
    expect(backorderUpdates.schedule).toBe('0 11 * * *');
    expect(config()).toMatchObject({ SHIP_BACKORDER_SLIP_DAYS: 3, SHIP_BACKORDER_OFFER_CANCEL_DAYS: 21 });
  });

  it('finds the 9 backordered customers on DW-104, DW-109 and SM-110 with the restock after SHKGH0525145', async () => {
    const updates = await findBackorderUpdates(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    expect(updates.map((update) => update.order.id)).toEqual(WAITING);
    // The container lands 2026-12-23 and is shelved 2 days later.
    expect(new Set(updates.map((update) => update.newDate))).toEqual(new Set(['2026-12-25']));
    expect(updates.every((update) => update.slipDays >= 3)).toBe(true);
    // Placed 2–4 days ago, shipping 12-25: under 21 days of waiting, so no refund is offered yet.
    expect(updates.every((update) => update.waitingDays <= 21 && !update.offerCancel)).toBe(true);
    const later = await findBackorderUpdates(
      createConnectors({ db, env: {} }),
      backorderUpdatesSettings.load({ FLEET_TZ: ZONE, SHIP_BACKORDER_OFFER_CANCEL_DAYS: '19' }),
      REFERENCE_NOW,
    );
    expect(later.filter((update) => update.offerCancel).map((update) => update.order.id)).toEqual(['#48408', '#48407', '#48402']);
  });

  it('finds nothing when the customers were already told the restock date', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      expect(await findBackorderUpdates(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('asks send_backorder_updates once; sending records the date told, so the next run finds nothing', async () => {
    const first = await runShipbotJob(db, backorderUpdates);
    expect(first.outcome).toBe('9 backorder updates, posted');
    const again = await runShipbotJob(db, backorderUpdates, { last: first });
    expect(again.detail['approvalId']).toBe(first.detail['approvalId']);
    const approvalId = String(first.detail['approvalId']);
    const approval = await getApproval(db, approvalId);
    expect(approval?.title).toBe('Tell 9 waiting customers their new ship date');
    const draft = sendBackorderUpdates.draft.parse(approval?.draft);
    expect(draft.updates[0]?.body).toContain('Our new ship date is 2026-12-25');
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` };
    expect((await sendBackorderUpdates.execute(draft, execution, approval as never)).summary).toBe('sent 9 backorder updates');
    expect((await sendBackorderUpdates.execute(draft, execution, approval as never)).summary).toBe('sent 0 backorder updates (9 already sent)');
    expect(await db.rpc('sample_fulfilment_list_customer_notices')).toHaveLength(9);
    const [order] = await sql<Array<{ promised_ship_date: Date }>>`select promised_ship_date from sample_orders where id = '#48403'`;
    expect(order?.promised_ship_date).toBeDefined();
    expect(await findBackorderUpdates(createConnectors({ db, env: {} }), config(), REFERENCE_NOW)).toEqual([]);
  });
});
