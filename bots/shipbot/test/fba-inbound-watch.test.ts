import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { fbaInboundWatch, fbaInboundWatchSettings, findInboundDiscrepancies } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob } from './job-harness.js';

type Shipment = { shipment_id: string; status: string; shipped_days_ago: number; items: Array<{ sku: string; shipped: number; received: number }> };

function variant(change: (shipments: Shipment[]) => void): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  change((data.shipbot_fba as { inbound: Shipment[] }).inbound);
  return data;
}

async function discrepanciesOn(data: SampleCompanyData) {
  const database = await freshDatabase();
  const db = createPostgresDb({ url: database.url, poolMax: 2 });
  try {
    await loadSampleCompany(db, { data, now: REFERENCE_NOW });
    return await findInboundDiscrepancies(createConnectors({ db, env: {} }), fbaInboundWatchSettings.load({}), REFERENCE_NOW);
  } finally {
    await db.close();
    await database.drop();
  }
}

describe('shipbot fba-inbound-watch', () => {
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

  it('is declared daily at 09:00 with 10 days in transit and 2% short', () => {
    expect(fbaInboundWatch.schedule).toBe('0 9 * * *');
    expect(fbaInboundWatchSettings.load({})).toEqual({ SHIP_FBA_INBOUND_STUCK_DAYS: 10, SHIP_FBA_INBOUND_SHORT_PCT: 2 });
  });

  it('finds the one shipment of three received 36 short; the one a unit short (0.2%) and the one 5 days in transit pass', async () => {
    const found = await findInboundDiscrepancies(createConnectors({ db, env: {} }), fbaInboundWatchSettings.load({}), REFERENCE_NOW);
    expect(found.map((item) => [item.shipment.shipmentId, item.kind, item.shipped, item.received, item.shortLines])).toEqual([
      ['FBA17HPG0001', 'short', 600, 564, [{ sku: 'SM-101', shipped: 600, received: 564, missing: 36 }]],
    ]);
  });

  it('finds nothing when that shipment was received in full, and a shipment 12 days in transit as stuck', async () => {
    expect(await discrepanciesOn(variant((shipments) => (shipments[0]!.items[0]!.received = 600)))).toEqual([]);
    const stuck = await discrepanciesOn(
      variant((shipments) => {
        shipments[0]!.items[0]!.received = 600;
        shipments[2]!.shipped_days_ago = 12;
      }),
    );
    expect(stuck.map((item) => [item.shipment.shipmentId, item.kind, item.daysSinceShipped])).toEqual([['FBA17HPG0003', 'stuck', 12]]);
  });

  it('posts the reconciliation-case packet and task once and notes it for the digest (bot_note, kind fba_inbound_discrepancy)', async () => {
    const first = await runShipbotJob(db, fbaInboundWatch);
    expect(first.outcome).toBe('1 inbound shipment to reconcile, posted');
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'shipbot' and text like 'FBA inbound:%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(
      /FBA17HPG0001 .*closed 36 units short \(564\/600\): SM-101 564\/600 \(−36\)\. Request reconciliation; attach the packing list[\s\S]*☐ Task: open the case in Seller Central/,
    );
    const notes = await sql<
      Array<{ severity: string; payload: { detail: Record<string, unknown> } }>
    >`select severity, payload from bot_signals where signal_type = 'bot_note'`;
    expect(notes.map((note) => [note.severity, note.payload.detail])).toEqual([
      [
        'info',
        {
          kind: 'fba_inbound_discrepancy',
          shipments: [
            {
              shipment_id: 'FBA17HPG0001',
              problem: 'short',
              shipped: 600,
              received: 564,
              lines: [{ sku: 'SM-101', shipped: 600, received: 564, missing: 36 }],
            },
          ],
        },
      ],
    ]);
    const again = await runShipbotJob(db, fbaInboundWatch, { last: first });
    expect(again.detail.posted).toBe(false);
    expect(await sql`select id from bot_signals where signal_type = 'bot_note'`).toHaveLength(1);
  });
});
