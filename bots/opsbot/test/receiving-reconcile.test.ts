import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, type Receipt } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { findReceivingFindings, opsbot, receivingReconcile, receivingReconcileSettings, runReceivingReconcile, sendVendorClaim } from '../src/index.js';
import { REFERENCE_NOW, runContext, silent, ZONE } from './job-harness.js';

describe('opsbot receiving-reconcile on the sample company', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const config = receivingReconcileSettings.load({ FLEET_TZ: ZONE });

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

  it('is declared weekdays at 11:00', () => {
    expect(receivingReconcile).toMatchObject({ schedule: '0 11 * * 1-5', missed: 'once' });
  });

  it('finds SM-101 short 120 and the damaged pallet; the Hamburg arrival 2 units short (0.2%) reconciles', async () => {
    const { procurement } = createConnectors({ db, env: {} });
    const [receipts, orders] = await Promise.all([procurement.listReceipts(), procurement.listPurchaseOrders()]);
    expect(receipts).toHaveLength(3);
    const findings = findReceivingFindings(receipts, orders, REFERENCE_NOW, config);
    expect(findings.map((finding) => [finding.shipment_id, finding.detail])).toEqual([
      ['NGB0512207', 'SM-101 short 120 (1380/1500)'],
      ['SSZ0520114', 'TH-104 in full (500/500), 48 damaged [DMG-PALLET]'],
    ]);
    // A receipt still unposted three days after arrival is a finding of its own.
    const unposted: Receipt[] = receipts.map((receipt) => (receipt.shipmentId === 'HAM0521876' ? { ...receipt, postedAt: null } : receipt));
    expect(findReceivingFindings(unposted, orders, REFERENCE_NOW, config).find((finding) => finding.shipment_id === 'HAM0521876')).toMatchObject({
      kind: 'receipt_late',
    });
  });

  it('raises receiving_discrepancy per arrival, posts, drafts one claim per arrival, and a claim is sent once', async () => {
    const first = await runReceivingReconcile(runContext(db, receivingReconcile), config, REFERENCE_NOW);
    expect(first.outcome.outcome).toBe('2 receiving issues, posted');
    expect(first.result).toMatchObject({ emitted: 2, modelSkipped: false });
    const signals = await db.rpc('list_signals', { p_signal_type: 'receiving_discrepancy' });
    expect(
      signals.map((signal) => [signal['severity'], signal['payload']]).sort((left, right) => JSON.stringify(left).localeCompare(JSON.stringify(right))),
    ).toEqual([
      ['warning', { shipment_id: 'NGB0512207', po_id: 'PO-4093', lines: [{ sku: 'SM-101', expected: 1500, received: 1380, damaged: 0 }] }],
      ['warning', { shipment_id: 'SSZ0520114', po_id: 'PO-4094', lines: [{ sku: 'TH-104', expected: 500, received: 500, damaged: 48 }] }],
    ]);
    const claims = await sql<Array<{ id: string; title: string; draft: { to: string; evidence: string[] } }>>`
      select id, title, draft from approvals where action = 'send_vendor_claim' order by title`;
    expect(claims.map((claim) => claim.title)).toEqual([
      'Claim $576.00 from Ningbo Seaview Packaging Co. for NGB0512207 (template draft)',
      'Claim $696.00 from Fazenda Serra Alta Exportadora for SSZ0520114 (template draft)',
    ]);
    expect(claims.map((claim) => [claim.draft.to, claim.draft.evidence]).sort()).toEqual([
      ['export@serraalta.com.br', ['TH-104 in full (500/500), 48 damaged [DMG-PALLET]']],
      ['sales@seaview-pack.cn', ['SM-101 short 120 (1380/1500)']],
    ]);
    // The same discrepancies again: no model call, no new claim.
    const stored = {
      outcome: first.outcome.outcome,
      fingerprint: first.outcome.fingerprint ?? '',
      detail: { ...first.outcome.detail, modelInput: first.result.modelInput },
    };
    const again = await runReceivingReconcile(runContext(db, receivingReconcile, { last: stored }), config, REFERENCE_NOW);
    expect(again.result).toMatchObject({ emitted: 0, modelSkipped: true, claims: [] });

    const claim = claims.find((candidate) => candidate.draft.to === 'sales@seaview-pack.cn');
    const approval = await getApproval(db, claim?.id ?? '');
    const context = buildBotServices(opsbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execute = () =>
      sendVendorClaim.execute(
        sendVendorClaim.draft.parse(approval?.draft),
        { ...context, connectors: createConnectors({ db, env: {} }), approvalId: claim?.id ?? '', idempotencyKey: `approval:${claim?.id ?? ''}` },
        approval as never,
      );
    expect((await execute()).sent_now).toBe(true);
    expect((await execute()).sent_now).toBe(false);
    const sent = await db.rpc('sample_procurement_list_messages', { p_kind: 'claim' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to_address: 'sales@seaview-pack.cn', subject: 'Receiving claim: NGB0512207 / PO-4093' });
  });
});
