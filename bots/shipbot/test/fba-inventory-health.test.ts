import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import {
  answerFbaFinding,
  checkFbaInventory,
  createFbaInboundPlan,
  fbaInventoryHealth,
  fbaInventoryHealthSettings,
  fbaStranded,
  shipbot,
  shipbotSettings,
} from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent, ZONE } from './job-harness.js';

type Rows = Array<Record<string, unknown>>;

// The same company with SM-104 selling at the pace of the rest, KC-110's listing fixed and DW-106's old stock gone.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const fba = data.shipbot_fba as { planning: Rows; stranded: Rows };
  for (const row of fba.planning) {
    if (row['sku'] === 'SM-104') Object.assign(row, { 'short-term-historical-days-of-supply': 45, 'long-term-historical-days-of-supply': 44 });
    if (row['sku'] === 'DW-106') Object.assign(row, { 'inv-age-181-to-270-days': 0, 'inv-age-271-to-365-days': 0 });
  }
  fba.stranded = [];
  return data;
}

describe('shipbot fba-inventory-health', () => {
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

  const config = () => fbaInventoryHealthSettings.load({ FLEET_TZ: ZONE });

  it('is declared daily at 06:30 with the catalogue thresholds', () => {
    expect(fbaInventoryHealth.schedule).toBe('30 6 * * *');
    expect(fbaInventoryHealth.missed).toBe('once');
    expect(config()).toMatchObject({ SHIP_FBA_LOW_SUPPLY_DAYS: 28, SHIP_FBA_PLANNING_SWING: 0.5 });
  });

  it('finds the planted cases among the 12 FBA SKUs: SM-104 under 28 days on both views, 140 KC-110 units stranded, DW-106 aged', async () => {
    const report = await checkFbaInventory(createConnectors({ db, env: {} }), config(), null);
    expect(report.planningRows).toBe(12);
    expect(report.lowSupply.map((item) => [item.row.sku, item.row.shortTermDaysOfSupply, item.row.longTermDaysOfSupply, item.replenish])).toEqual([
      ['SM-104', 18.9, 20.8, 452],
    ]);
    expect(report.stranded).toEqual([
      { sku: 'KC-110', asin: 'B0XXXXHBK7', reason: 'Listing suppressed: missing main image', units: 140, dateStranded: '2026-12-03' },
    ]);
    expect(report.aged.map((item) => [item.row.sku, item.row.agedOver180, item.storagePerUnitUntilSold, item.unitMargin])).toEqual([
      ['DW-106', 220, 9.6, 5.18],
    ]);
  });

  it('finds nothing on the healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      const report = await checkFbaInventory(createConnectors({ db: healthyDb, env: {} }), config(), 12);
      expect([report.lowSupply, report.stranded, report.aged, report.partial]).toEqual([[], [], [], null]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('a planning report half the size of the last good one is partial: no low-supply or aged findings from it', async () => {
    const report = await checkFbaInventory(createConnectors({ db, env: {} }), config(), 30);
    expect(report.partial).toEqual({ rows: 12, lastRows: 30 });
    expect([report.lowSupply, report.aged]).toEqual([[], []]);
    expect(report.stranded.map((row) => row.sku)).toEqual(['KC-110']);
  });

  it('raises fba_stranded, posts once, and asks create_fba_inbound_plan, which creates one plan', async () => {
    const first = await runShipbotJob(db, fbaInventoryHealth);
    expect(first.outcome).toBe('3 FBA findings, posted');
    const signals = await sql<Array<{ payload: unknown; severity: string }>>`select payload, severity from bot_signals where signal_type = 'fba_stranded'`;
    expect(signals.map((signal) => [signal.severity, fbaStranded.schema.parse(signal.payload)])).toEqual([
      ['warning', { sku: 'KC-110', asin: 'B0XXXXHBK7', units: 140, reason: 'Listing suppressed: missing main image' }],
    ]);
    const posts = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'shipbot' and text like '%FBA inventory health%' order by id`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(
      /SM-104 .*18\.9 \/ 20\.8 days of supply.*send 452[\s\S]*KC-110 .*140 units stranded[\s\S]*DW-106: 220 units aged > 180 d.*removal \(Seller Central task/,
    );

    const again = await runShipbotJob(db, fbaInventoryHealth, { last: first });
    expect(again.detail.posted).toBe(false);
    expect(await sql`select id from channel_messages where bot = 'shipbot' and text like '%FBA inventory health%'`).toHaveLength(1);
    expect(again.detail['approvalId']).toBe(first.detail['approvalId']);
    expect((await sql`select count(*)::int as n from bot_signals where signal_type = 'fba_stranded'`)[0]?.['n']).toBe(1);

    const approvalId = String(first.detail['approvalId']);
    const approval = await getApproval(db, approvalId);
    expect(approval?.title).toBe('Send 452 units to FBA (SM-104) before the low-inventory fee');
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` };
    const draft = createFbaInboundPlan.draft.parse(approval?.draft);
    expect((await createFbaInboundPlan.execute(draft, execution, approval as never)).summary).toMatch(
      /^created FBA inbound plan wf[0-9a-f]{8}-[0-9a-f]{4}: 452 units of SM-104/,
    );
    expect((await createFbaInboundPlan.execute(draft, execution, approval as never)).summary).toMatch(/^already created/);
    expect(await db.rpc('sample_fba_list_inbound_plans')).toHaveLength(1);

    // The operator's reply on the stranded units says where they stand and who fixes the listing.
    const [stranded] = await sql<Array<{ payload: unknown }>>`select payload from bot_signals where signal_type = 'fba_stranded'`;
    const handlerContext = { ...context, connectors: createConnectors({ db, env: {} }), config: shipbotSettings.load({ FLEET_TZ: ZONE }) };
    expect(await answerFbaFinding('fba_stranded', stranded?.payload, 'why?', handlerContext, REFERENCE_NOW)).toBe(
      'KC-110 (B0XXXXHBK7): 140 units still stranded since 2026-12-03 — Listing suppressed: missing main image. contentbot drafts the listing fix (patch_listing); once it is live the units sell again',
    );
  });

  it('a run after a good one of 30 planning rows withholds the planning findings and says so; the run after it is not baselined on the partial one', async () => {
    const partial = await runShipbotJob(db, fbaInventoryHealth, {
      last: { outcome: '3 FBA findings, posted', detail: { findings: 3, posted: true, planningRows: 30, partial: false } },
    });
    expect([partial.detail['partial'], partial.detail['lowSupply'], partial.detail['removal'], partial.detail['stranded']]).toEqual([true, [], [], ['KC-110']]);
    const posts = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'shipbot' and text like '%planning report partial (12 rows, 30 last good run)%'`;
    expect(posts).toHaveLength(1);
    const next = await runShipbotJob(db, fbaInventoryHealth, { last: partial });
    expect([next.detail['partial'], next.detail['lowSupply']]).toEqual([false, ['SM-104']]);
  });
});
