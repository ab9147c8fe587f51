import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { linkStrandedUnits, shipbot } from '../src/index.js';
import { REFERENCE_NOW, silent } from './job-harness.js';

// contentbot's amazon-listing-health is the producer; here the signal is emitted in its catalogued shape.
async function suppressed(db: Db, sku: string, asin: string) {
  const payload = {
    asin,
    sku,
    issues: [{ code: '18027', message: 'Missing main image', severity: 'ERROR', enforcement: 'LISTING_SUPPRESSED' }],
    approval_id: null,
  };
  const [row] = await db.rpc('emit_signal', {
    p_source_bot: 'contentbot',
    p_signal_type: 'amazon_listing_suppressed',
    p_severity: 'alert',
    p_payload: payload,
  });
  return { id: String(row?.['signal_id']), type: 'amazon_listing_suppressed', sourceBot: 'contentbot', severity: 'alert', payload, repeatCount: 1 } as never;
}

describe("shipbot links contentbot's suppressed listing to the FBA units it strands", () => {
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

  it('is subscribed, posts KC-110’s 140 stranded units once however often the signal is delivered, and nothing for an FBM listing', async () => {
    expect(Object.keys(shipbot.on ?? {})).toContain('amazon_listing_suppressed');
    const context = {
      ...buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent),
      connectors: createConnectors({ db, env: {} }),
    };
    const signal = await suppressed(db, 'KC-110', 'B0XXXXHBK7');
    await linkStrandedUnits(signal, context as never);
    await linkStrandedUnits(signal, context as never);
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'shipbot' and text like '%suppressed on Amazon%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(
      /^KC-110 suppressed on Amazon: 140 FBA units stranded\nKC-110 \(B0XXXXHBK7\): 140 units stranded since 2026-12-03 — Listing suppressed: missing main image; 282 units in FBA in all\.\nThey sell again once contentbot's listing fix is live/,
    );
    // TH-103 ships from our warehouse (FBM): no FBA units to link.
    await linkStrandedUnits(await suppressed(db, 'TH-103', 'B0XXXXHODK'), context as never);
    expect(await sql`select id from channel_messages where bot = 'shipbot' and text like '%TH-103%'`).toHaveLength(0);
  });
});
