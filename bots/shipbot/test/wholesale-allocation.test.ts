import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import {
  allocateWholesale,
  allocationShortfall,
  answerFbaFinding,
  answerOperator,
  applyAllocation,
  shipbot,
  shipbotSettings,
  wholesaleAllocation,
  wholesaleAllocationSettings,
} from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent, ZONE } from './job-harness.js';

type Level = { sku: string; location: string; on_hand: number };

// The same company with the SKUs short for wholesale stocked like the rest (DW-101 and the three planted stockouts).
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const level of (data.shopify as { inventory: Level[] }).inventory)
    if (['DW-101', 'DW-104', 'DW-109', 'SM-110'].includes(level.sku) && level.location === 'PDX-1') level.on_hand += 900;
  return data;
}

describe('shipbot wholesale-allocation', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const config = () => wholesaleAllocationSettings.load({ FLEET_TZ: ZONE });

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

  it('is declared weekdays at 10:00 with a 10-day horizon and a week of DTC safety stock', () => {
    expect(wholesaleAllocation.schedule).toBe('0 10 * * 1-5');
    expect(config()).toMatchObject({ SHIP_ALLOC_HORIZON_DAYS: 10, SHIP_ALLOC_SAFETY_DAYS: 7 });
  });

  it('weighs the 6 open wholesale POs due within 10 days (WO-7702 at 12 days waits) and finds DW-101 short, with the planted stockouts', async () => {
    const { considered, shortfalls } = await allocateWholesale(createConnectors({ db, env: {} }), config(), REFERENCE_NOW);
    expect(considered.map((order) => order.orderId)).toEqual(['WO-7715', 'WO-7722', 'WO-7694', 'WO-7708', 'WO-7731', 'WO-7719']);
    expect(
      shortfalls.map((shortfall) => [
        shortfall.order.orderId,
        shortfall.lines.filter((line) => line.allocatable < line.ordered).map((line) => [line.sku, line.allocatable, line.ordered]),
      ]),
    ).toEqual([
      ['WO-7715', [['SM-110', 0, 60]]],
      [
        'WO-7722',
        [
          ['DW-101', 3, 48],
          ['DW-104', 0, 72],
          ['DW-109', 0, 36],
        ],
      ],
      [
        'WO-7719',
        [
          ['DW-104', 0, 48],
          ['SM-110', 0, 24],
        ],
      ],
    ]);
    // DW-101: 180 on hand at 16 a day, 4 days to the window's end + 7 days of safety stock leaves 3.
    expect(shortfalls[1]?.lines[0]).toEqual({ sku: 'DW-101', ordered: 48, allocatable: 3, atp: 3 });
    expect(shortfalls[1]?.fine).toBe(105.48);
  });

  it('finds nothing when those SKUs are stocked like the rest', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: REFERENCE_NOW });
      const { considered, shortfalls } = await allocateWholesale(createConnectors({ db: healthyDb, env: {} }), config(), REFERENCE_NOW);
      expect([considered.length, shortfalls]).toEqual([6, []]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('raises allocation_shortfall per short order in the catalogued shape, asks apply_allocation, which edits the order once; a reply explains', async () => {
    const first = await runShipbotJob(db, wholesaleAllocation);
    expect(first.outcome).toBe('3 wholesale orders short, posted');
    const signals = await sql<
      Array<{ id: string; severity: string; payload: unknown }>
    >`select id, severity, payload from bot_signals where signal_type = 'allocation_shortfall' order by created_at`;
    const harborLights = signals.map((signal) => allocationShortfall.schema.parse(signal.payload)).find((payload) => payload.order_id === 'WO-7722');
    expect(signals.map((signal) => signal.severity)).toEqual(['warning', 'warning', 'warning']);
    expect(harborLights).toEqual({
      order_id: 'WO-7722',
      account_id: '90412056',
      lines: [
        { sku: 'DW-101', ordered: 48, allocatable: 3 },
        { sku: 'DW-104', ordered: 72, allocatable: 0 },
        { sku: 'DW-109', ordered: 36, allocatable: 0 },
      ],
      ship_window: { start: '2026-12-09', end: '2026-12-13' },
    });
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'shipbot' and text like 'Wholesale allocation:%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(
      /WO-7722 Harbor Lights Gifts \(tier A, window 2026-12-09…2026-12-13\): DW-101 3\/48 \(ATP 3\), DW-104 0\/72 \(ATP -149\), DW-109 0\/36 \(ATP -96\); short-ship fine ≈ \$105\.48/,
    );
    const again = await runShipbotJob(db, wholesaleAllocation, { last: first });
    expect([again.detail.posted, again.detail['approvalIds']]).toEqual([false, first.detail['approvalIds']]);

    const approvals = await sql<Array<{ id: string; draft: { order_id: string } }>>`select id, draft from approvals where action = 'apply_allocation'`;
    const approvalId = approvals.find((approval) => approval.draft.order_id === 'WO-7722')!.id;
    const approval = await getApproval(db, approvalId);
    expect(approval?.title).toBe('Allocate WO-7722 (Harbor Lights Gifts, tier A): DW-101 3/48, DW-104 0/72, DW-109 0/36');
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` };
    const draft = applyAllocation.draft.parse(approval?.draft);
    expect((await applyAllocation.execute(draft, execution, approval as never)).summary).toMatch(
      /^allocated WO-7722 \(Harbor Lights Gifts\): DW-101 3\/48, DW-104 0\/72, DW-109 0\/36; the rest ships \d{4}-\d{2}-\d{2}$/,
    );
    expect((await applyAllocation.execute(draft, execution, approval as never)).summary).toMatch(/^already allocated WO-7722/);
    expect(await db.rpc('sample_wholesale_list_allocations')).toHaveLength(1);
    const [order] = await sql<Array<{ lines: Array<{ sku: string; quantity: number }> }>>`select lines from sample_orders where id = 'WO-7722'`;
    expect(order?.lines.map((line) => [line.sku, line.quantity])).toEqual([
      ['DW-101', 3],
      ['DW-104', 0],
      ['DW-109', 0],
    ]);

    const handlerContext = { ...context, connectors: createConnectors({ db, env: {} }), config: shipbotSettings.load({ FLEET_TZ: ZONE }) };
    const signalFor = (orderId: string) => signals.find((signal) => (signal.payload as { order_id: string }).order_id === orderId)!;
    expect(await answerFbaFinding('allocation_shortfall', signalFor('WO-7715').payload, 'what now?', handlerContext, REFERENCE_NOW)).toBe(
      'WO-7715 Anchor & Oak Hotels, window 2026-12-12…2026-12-19: SM-110 0/60 (ATP -145). Approve apply_allocation to ship what we have, the rest after 2026-12-25; salesbot drafts the buyer notice',
    );
    // Through the bot's reply handler (at the wall clock): an answer, never a silent no-op.
    const instruction: OperatorInstruction = {
      text: 'what now?',
      operatorMessageId: 'op-1',
      signalId: signalFor('WO-7715').id,
      approvalId: null,
      instructionSignalId: 'instr',
      channel: 'local',
      senderId: 'operator',
    };
    expect(await answerOperator(instruction, handlerContext)).toMatch(/^WO-7715 /);
  });
});
