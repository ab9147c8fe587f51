import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import {
  buildBotServices,
  catalogSignalTypes,
  createPostgresDb,
  decideApproval,
  defineBot,
  getApproval,
  SignalRegistry,
  startBot,
  type Db,
  type RunningBot,
} from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { fleetSignalTypes } from '@jbot/fleet';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { opsbot } from '../src/index.js';
import { silent } from './job-harness.js';

// The consumers of other bots' signals, fed emitted signals of the catalogued shapes.
describe("opsbot's handlers: reorder → PO, stockout → expedite, defects → claim, won deal → PO planning", () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let bot: RunningBot;
  const registry = () => new SignalRegistry([...catalogSignalTypes, ...fleetSignalTypes]);
  const emitAs = (name: string) => buildBotServices(defineBot({ name }), { db, log: silent, host: 'test-host', registry: registry() }).signals;
  const approvalsOf = (action: string) =>
    sql<
      Array<{ id: string; title: string; draft: Record<string, unknown> }>
    >`select id, title, draft from approvals where action = ${action} order by requested_at`;
  const handled = (signalId: string) =>
    waitFor(
      async () => (await sql`select 1 from signal_receipts where signal_id = ${signalId} and consumer_bot = 'opsbot' and status = 'handled'`).length === 1,
      {
        what: `opsbot to handle ${signalId}`,
        timeoutMs: 30_000,
      },
    );

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: new Date() });
    bot = await startBot(opsbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: registry(),
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('reorder_needed drafts send_purchase_order once; approved, the PO exists once, counts as on order, and the supplier is emailed once', async () => {
    const shipbot = emitAs('shipbot');
    const payload = { sku: 'SM-104', supplier_id: 'SUP-HCM-03', position: 1290, reorder_point: 2108, suggested_qty: 3200, moq: 400, need_by: '2027-01-26' };
    const first = await shipbot.emit('reorder_needed', payload, { severity: 'warning' });
    await handled(first.id);
    // The same need again (tomorrow's run, a redelivery): the request is already asked.
    const second = await shipbot.emit('reorder_needed', payload, { severity: 'warning', dedupeKey: 'other-day' });
    await handled(second.id);
    const [approval, ...more] = await approvalsOf('send_purchase_order');
    expect(more).toEqual([]);
    expect(approval?.title).toBe('PO to Saigon Botanicals JSC: SM-104 × 3200 by 2027-01-26 (A-class)');
    expect(approval?.draft).toMatchObject({ to: 'orders@saigonbotanicals.vn', currency: 'VND', quantity: 3200, unit_cost: 4.8, location: 'PDX-1' });

    expect((await decideApproval(db, { approvalId: approval?.id ?? '', decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);
    const done = await waitFor(
      async () => {
        const current = await getApproval(db, approval?.id ?? '');
        return current?.status === 'executed' || current?.status === 'failed' ? current : null;
      },
      { what: 'send_purchase_order to execute', timeoutMs: 30_000 },
    );
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    expect((done.result as { summary: string }).summary).toBe('created PO-5001 (SM-104 × 3200) and emailed Saigon Botanicals JSC');
    const onOrder = (await createConnectors({ db, env: {} }).supply.listOpenPurchaseOrders()).filter((line) => line.sku === 'SM-104');
    expect(onOrder.map((line) => [line.poId, line.quantity, line.eta])).toEqual([['PO-5001', 3200, '2027-01-26']]);
    expect(await db.rpc('sample_procurement_list_messages', { p_kind: 'purchase_order' })).toHaveLength(1);
  });

  it('stockout_risk at alert with the late container landing after the stockout → request_expedite; a warning, or inbound in time, asks nothing', async () => {
    const shipbot = emitAs('shipbot');
    const base = {
      sku: 'DW-104',
      location: 'PDX-1',
      available: 93,
      days_of_cover: 4.2,
      stockout_date: '2026-12-05',
      next_inbound_eta: '2026-12-15',
      channels: ['dtc', 'wholesale'],
    };
    const ignored = [
      await shipbot.emit('stockout_risk', { ...base, sku: 'KC-101' }, { severity: 'warning' }),
      await shipbot.emit('stockout_risk', { ...base, sku: 'SM-110', next_inbound_eta: '2026-12-04' }, { severity: 'alert' }),
    ];
    const alert = await shipbot.emit('stockout_risk', base, { severity: 'alert' });
    const otherLocation = await shipbot.emit('stockout_risk', { ...base, location: 'RNO-2' }, { severity: 'alert' });
    for (const signal of [...ignored, alert, otherLocation]) await handled(signal.id);
    const approvals = await approvalsOf('request_expedite');
    expect(approvals.map((approval) => [approval.title, approval.draft['to'], approval.draft['target']])).toEqual([
      ['Expedite DW-104 (SHKGH0525145): runs out 2026-12-05, 4.2 d of cover', 'export@lumin-fragrance.cn', { kind: 'shipment', id: 'SHKGH0525145' }],
    ]);
  });

  it('a defect return spike and a wax-tunnelling review topic each draft a quality claim; a sizing reason and a scent topic do not', async () => {
    const shipbot = emitAs('shipbot');
    const contentbot = emitAs('contentbot');
    const signals = [
      await shipbot.emit('return_rate_spike', { sku: 'DW-109', rate_30d: 0.082, baseline_90d: 0.021, top_reason: 'DEFECTIVE', share: 0.64 }),
      await shipbot.emit('return_rate_spike', { sku: 'SM-103', rate_30d: 0.06, baseline_90d: 0.02, top_reason: 'NOT_AS_DESCRIBED', share: 0.5 }),
      await contentbot.emit('review_topic_alert', {
        asin: 'B0DW101TUN',
        sku: 'DW-101',
        topic: 'wax tunnelling',
        share: 0.18,
        change_pts: 7,
        rating_change: -0.2,
      }),
      await contentbot.emit('review_topic_alert', {
        asin: 'B0DW103SCN',
        sku: 'DW-103',
        topic: 'scent too strong',
        share: 0.2,
        change_pts: 6,
        rating_change: null,
      }),
    ];
    for (const signal of signals) await handled(signal.id);
    // Handlers run concurrently: compare in a fixed order.
    const claims = (await approvalsOf('send_vendor_claim')).sort((left, right) =>
      String(right.draft['reference']).localeCompare(String(left.draft['reference'])),
    );
    expect(claims.map((claim) => [claim.draft['reference'], claim.draft['kind'], claim.draft['to']])).toEqual([
      ['DW-109 quality', 'quality', 'export@lumin-fragrance.cn'],
      ['DW-101 quality', 'quality', 'export@lumin-fragrance.cn'],
    ]);
    expect(claims[0]?.draft['evidence']).toEqual([
      '30-day return rate 8.2% against a 90-day baseline of 2.1%',
      'top return reason "DEFECTIVE" (64% of returns)',
    ]);
  });

  it('deal_closed_won adds the opening order to PO planning once per deal and SKU, naming the open POs', async () => {
    const salesbot = emitAs('salesbot');
    const payload = {
      deal_id: 'D-1088',
      account_id: 'A-204',
      account: 'Cascade Market Co-op',
      amount: 18400,
      skus: [
        { sku: 'TH-102', qty: 240 },
        { sku: 'KC-105', qty: 120 },
      ],
      first_ship_date: '2026-12-15',
    };
    const first = await salesbot.emit('deal_closed_won', payload);
    await handled(first.id);
    const again = await salesbot.emit('deal_closed_won', payload, { dedupeKey: 'redelivered' });
    await handled(again.id);
    const bumps = await createConnectors({ db, env: {} }).procurement.listDemandBumps();
    expect(bumps.map((bump) => [bump.dealId, bump.sku, bump.quantity, bump.openPoIds])).toEqual([
      ['D-1088', 'TH-102', 240, ['PO-4115']],
      ['D-1088', 'KC-105', 120, []],
    ]);
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'opsbot' and text like '%Cascade Market Co-op won%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toContain('• KC-105 +120: no open PO — reorder-points counts it tomorrow');
  });
});
