import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { opsbot, runVendorScorecard, scoreSuppliers, sendScorecards, vendorScorecard, vendorScorecardSettings } from '../src/index.js';
import { REFERENCE_NOW, runContext, silent, ZONE } from './job-harness.js';

describe('opsbot vendor-scorecard on the sample company', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const config = vendorScorecardSettings.load({ FLEET_TZ: ZONE });

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

  it('is declared on the 1st of the month at 07:00 and catches up once', () => {
    expect(vendorScorecard).toMatchObject({ schedule: '0 7 1 * *', missed: 'once' });
  });

  it('marks Shenzhen Lumin (late ready dates) and the Huila cooperative (lead time swinging) below the bar; the other six pass', async () => {
    const { procurement } = createConnectors({ db, env: {} });
    const history = await procurement.listPurchaseOrderHistory('2026-09-10');
    const cards = scoreSuppliers(history, await procurement.listSuppliers(), config);
    expect(cards).toHaveLength(8);
    expect(cards.filter((card) => card.risks.length > 0).map((card) => [card.supplier_id, card.risks])).toEqual([
      ['SUP-HU-06', ['OTIF 50% < 85%', 'lead time σ 12.2 d is 25% of its 48 d mean']],
      ['SUP-SZ-01', ['OTIF 50% < 85%']],
    ]);
    // The healthy variant: a looser bar passes everyone.
    const loose = vendorScorecardSettings.load({ FLEET_TZ: ZONE, VENDOR_OTIF_MIN_PCT: '40', VENDOR_LEAD_TIME_CV_MAX_PCT: '30' });
    expect(scoreSuppliers(history, await procurement.listSuppliers(), loose).filter((card) => card.risks.length > 0)).toEqual([]);
  });

  it('writes lead time μ/σ per supplier-SKU, raises vendor_risk (scorecard) for the two, posts, and shares the scorecards once', async () => {
    const run = await runVendorScorecard(runContext(db, vendorScorecard), config, REFERENCE_NOW);
    expect(run.outcome.outcome).toBe('8 supplier scorecards, posted');
    expect(run.result).toMatchObject({ emitted: 2, offline: true });
    const stats = await createConnectors({ db, env: {} }).procurement.listLeadTimes();
    expect(stats.length).toBe(run.result.stats);
    expect(stats.find((stat) => stat.supplierId === 'SUP-HU-06' && stat.sku === 'TH-106')).toMatchObject({ meanDays: 58, samples: 1 });
    const signals = await db.rpc('list_signals', { p_signal_type: 'vendor_risk' });
    expect(
      signals
        .map((signal) => [(signal['payload'] as { supplier_id: string }).supplier_id, (signal['payload'] as { kind: string }).kind, signal['severity']])
        .sort(),
    ).toEqual([
      ['SUP-HU-06', 'scorecard', 'warning'],
      ['SUP-SZ-01', 'scorecard', 'warning'],
    ]);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'opsbot' and text like '%Vendor scorecard 2026-12%'`;
    expect(post?.text).toContain('⚠ **Cooperativa Cafetera del Huila** — OTIF 50%');
    const [approval] = await sql<Array<{ id: string; draft: { scorecards: unknown[] } }>>`select id, draft from approvals where action = 'send_scorecards'`;
    expect(approval?.draft.scorecards).toHaveLength(8);
    // Run again the same month (a catch-up): the same approval, no second request.
    await runVendorScorecard(runContext(db, vendorScorecard), config, REFERENCE_NOW);
    expect(await sql`select id from approvals where action = 'send_scorecards'`).toHaveLength(1);

    const decided = await getApproval(db, approval?.id ?? '');
    const context = buildBotServices(opsbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execute = () =>
      sendScorecards.execute(
        sendScorecards.draft.parse(decided?.draft),
        { ...context, connectors: createConnectors({ db, env: {} }), approvalId: approval?.id ?? '', idempotencyKey: `approval:${approval?.id ?? ''}` },
        decided as never,
      );
    expect((await execute()).summary).toBe('sent 8 2026-12 scorecards');
    expect((await execute()).summary).toBe('sent 0 2026-12 scorecards (8 already sent)');
    expect(await db.rpc('sample_procurement_list_messages', { p_kind: 'scorecard' })).toHaveLength(8);
  });
});
