import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { answerOperator, fulfillmentSla, inventoryCover, lateOrdersJob, reorderPoints, shipbot, shipbotSettings } from '../src/index.js';
import { runShipbotJob, silent, ZONE } from './job-harness.js';

// Replies reach shipbot at wall-clock time, so the company is loaded at the wall clock here.
describe("shipbot's answer to the operator's reply on its findings", () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const now = new Date();

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
    for (const job of [inventoryCover, reorderPoints, lateOrdersJob, fulfillmentSla]) await runShipbotJob(db, job, { now });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const reply = async (text: string, signalId: string | null) => {
    const context = buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const instruction: OperatorInstruction = {
      text,
      operatorMessageId: `op-${Math.random()}`,
      signalId,
      approvalId: null,
      instructionSignalId: 'instr',
      channel: 'local',
      senderId: 'operator',
    };
    return answerOperator(instruction, { ...context, connectors: createConnectors({ db, env: {} }), config: shipbotSettings.load({ FLEET_TZ: ZONE }) });
  };
  const signalOf = async (type: string, where = 'true') =>
    String((await sql.unsafe(`select id from bot_signals where signal_type = $1 and ${where} order by created_at limit 1`, [type]))[0]?.['id']);

  it('a stockout: the cover, the stockout date and the gap before the late container, read again', async () => {
    const answer = await reply('why?', await signalOf('stockout_risk', "payload->>'sku' = 'DW-104'"));
    expect(answer).toMatch(
      /^DW-104 Coastal Fog Candle 14oz @ PDX-1: 93 available at 22\/day → 4\.2 d, out \d{4}-\d{2}-\d{2}; runs out .* before SHKGH0525145 lands/,
    );
    expect(answer).toMatch(/units of demand fall in the \d+-day gap/);
  });

  it('late orders: which are still unshipped', async () => {
    const answer = await reply('status?', await signalOf('late_orders', "payload->>'channel' = 'wholesale'"));
    expect(answer).toBe('wholesale late orders: 1 of 1 still unshipped (WO-7694)');
  });

  it("a warehouse miss: that day's numbers and the week", async () => {
    const answer = await reply('what happened', await signalOf('fulfilment_sla_miss'));
    expect(answer).toMatch(
      /^RNO-2 on \d{4}-\d{2}-\d{2}: 15\/17 orders before the cutoff shipped the same day, 2 left at close, 0 mis-ships\. Same-day over the week, newest first: 88%/,
    );
  });

  it('a reorder: the arithmetic', async () => {
    const answer = await reply('explain', await signalOf('reorder_needed', "payload->>'sku' = 'SM-104'"));
    expect(answer).toMatch(
      /^SM-104: position 1290 \(on hand 1315 \+ on order 0 − committed 25\) < ROP 2108 = 39\.8\/day × 48 d \+ 197 safety stock; order 3200 \(MOQ 400\)/,
    );
  });

  it('"cancel #48420" drafts a cancellation with refund once', async () => {
    expect(await reply('cancel #48420 and refund', null)).toMatch(/^drafted the cancellation of #48420 with a refund for approval/);
    expect(await reply('please cancel 48420', null)).toMatch(/^already drafted the cancellation of #48420/);
    const approvals = await sql<Array<{ draft: { kind: string; order_id: string } }>>`select draft from approvals where action = 'hold_or_cancel_order'`;
    expect(approvals.map((approval) => [approval.draft.kind, approval.draft.order_id])).toEqual([['cancel', '#48420']]);
    expect(await reply('cancel #99999', null)).toBe('#99999 is not an unfulfilled order I can cancel (already shipped, held or unknown)');
  });
});
