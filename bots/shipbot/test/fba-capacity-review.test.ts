import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { answerOperator, fbaCapacityReview, fbaCapacityReviewSettings, fbaCapacityRisk, reviewFbaCapacity, shipbot, shipbotSettings } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob, silent, ZONE } from './job-harness.js';

function withIpi(ipi: number | null): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const fba = data.shipbot_fba as { capacity_inputs?: Record<string, unknown> };
  if (ipi === null) delete fba.capacity_inputs;
  else fba.capacity_inputs = { ...fba.capacity_inputs, ipi };
  return data;
}

async function reviewOn(data: SampleCompanyData) {
  const database = await freshDatabase();
  const db = createPostgresDb({ url: database.url, poolMax: 2 });
  try {
    await loadSampleCompany(db, { data, now: REFERENCE_NOW });
    return await reviewFbaCapacity(createConnectors({ db, env: {} }), fbaCapacityReviewSettings.load({}), REFERENCE_NOW);
  } finally {
    await db.close();
    await database.drop();
  }
}

describe('shipbot fba-capacity-review', () => {
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

  it('is declared weekly, Monday 06:45, catching up once, with the 2026 thresholds', () => {
    expect(fbaCapacityReview.schedule).toBe('45 6 * * 1');
    expect(fbaCapacityReview.missed).toBe('once');
    expect(fbaCapacityReviewSettings.load({})).toMatchObject({
      SHIP_FBA_IPI_WARNING: 450,
      SHIP_FBA_IPI_ALERT: 400,
      SHIP_FBA_EXCESS_PCT: 10,
      SHIP_FBA_MIN_SELL_THROUGH: 2,
      SHIP_FBA_CAPACITY_PCT: 85,
    });
  });

  it("finds the operator's IPI 430 under 450; excess, sell-through and capacity are within limits", async () => {
    const review = await reviewFbaCapacity(createConnectors({ db, env: {} }), fbaCapacityReviewSettings.load({}), REFERENCE_NOW);
    expect(review).toMatchObject({
      ipi: 430,
      capacityUsedPct: 78.3,
      usedCubicFeet: 940,
      excessPct: 7.8,
      sellThrough: 2.07,
      breaches: ['IPI 430 < 450'],
      severity: 'warning',
    });
    expect(review.excessSkus.map((item) => item.sku)).toEqual(['DW-106', 'KC-110', 'KC-107']);
  });

  it('IPI 470 is healthy; IPI 380 is an alert; no entry this week asks for one and judges no IPI', async () => {
    expect(await reviewOn(withIpi(470))).toMatchObject({ breaches: [], severity: null });
    expect(await reviewOn(withIpi(380))).toMatchObject({ breaches: ['IPI 380 < 400: storage limits tighten'], severity: 'alert' });
    expect(await reviewOn(withIpi(null))).toMatchObject({ inputsStale: true, ipi: null, capacityUsedPct: null, breaches: [], severity: null });
  });

  it('raises fba_capacity_risk (warning), posts the excess task once; the reply "IPI 455 capacity 1200" records the week and clears it', async () => {
    const first = await runShipbotJob(db, fbaCapacityReview);
    expect(first.outcome).toBe('1 capacity risk, posted');
    const signals = await sql<
      Array<{ id: string; severity: string; payload: unknown }>
    >`select id, severity, payload from bot_signals where signal_type = 'fba_capacity_risk'`;
    expect(signals.map((signal) => [signal.severity, fbaCapacityRisk.schema.parse(signal.payload)])).toEqual([
      ['warning', { ipi: 430, capacity_used_pct: 78.3, excess_pct: 7.8, sell_through: 2.07 }],
    ]);
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'shipbot' and text like 'FBA capacity review%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(
      /IPI 430 · capacity 78\.3% \(940 of 1200 ft³\) · excess 7\.8% · sell-through 2\.07[\s\S]*☐ Task \(Seller Central → Manage Excess Inventory\): DW-106 180 excess, 220 aged > 180 d; KC-110 40 excess, 140 stranded/,
    );
    expect((await runShipbotJob(db, fbaCapacityReview, { last: first })).detail.posted).toBe(false);

    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const instruction: OperatorInstruction = {
      text: 'IPI 455 capacity 1200',
      operatorMessageId: 'op-1',
      signalId: signals[0]!.id,
      approvalId: null,
      instructionSignalId: 'instr',
      channel: 'local',
      senderId: 'operator',
    };
    const handlerContext = { ...context, connectors: createConnectors({ db, env: {} }), config: shipbotSettings.load({ FLEET_TZ: ZONE }) };
    expect(await answerOperator(instruction, handlerContext)).toBe('recorded IPI 455, capacity 1200 ft³. Within limits now');
    expect(await db.rpc('fba_capacity_input_latest')).toMatchObject([{ ipi: 455, entered_by: 'operator' }]);
    expect(await answerOperator({ ...instruction, text: 'why?' }, handlerContext)).toMatch(
      /^FBA capacity now: IPI 455 \(was 430\), capacity 78\.3%, excess 7\.8%, sell-through 2\.07\. Within limits\./,
    );
  });
});
