import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, loadLlmConfig, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { findPoFindings, opsbot, poConfirmations, poConfirmationsSettings, runPoConfirmations, sendSupplierChasers } from '../src/index.js';
import { REFERENCE_NOW, runContext, silent, ZONE } from './job-harness.js';

describe('opsbot po-confirmations on the sample company', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const config = poConfirmationsSettings.load({ FLEET_TZ: ZONE });

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

  it('is declared weekdays at 09:00', () => {
    expect(poConfirmations).toMatchObject({ schedule: '0 9 * * 1-5', missed: 'once' });
  });

  it('finds the 2 unacknowledged POs, the Ningbo packaging slip of 9 days and a ready PO with no booking; a PO sent yesterday is not chased', async () => {
    const { procurement } = createConnectors({ db, env: {} });
    const [orders, suppliers] = await Promise.all([procurement.listPurchaseOrders(), procurement.listSuppliers()]);
    expect(orders.filter((order) => order.status === 'open')).toHaveLength(21);
    expect(new Set(orders.map((order) => order.supplierId)).size).toBe(8);
    const findings = findPoFindings(orders, suppliers, '2026-12-09', config, ZONE);
    expect(findings.map((finding) => [finding.kind, finding.po_id, finding.days])).toEqual([
      ['slipped', 'PO-4120', 9],
      ['unacknowledged', 'PO-4116', 9],
      ['unacknowledged', 'PO-4119', 10],
      ['ready_unbooked', 'PO-4118', 3],
    ]);
    expect(findings.some((finding) => finding.po_id === 'PO-4121')).toBe(false);
    // A slip under the threshold is not one.
    expect(
      findPoFindings(orders, suppliers, '2026-12-09', poConfirmationsSettings.load({ FLEET_TZ: ZONE, PO_SLIP_DAYS: '10' }), ZONE).some(
        (finding) => finding.kind === 'slipped',
      ),
    ).toBe(false);
  });

  it('raises po_slip once, posts, and asks chasers in Portuguese and Spanish once; an unchanged set makes no model call', async () => {
    const first = await runPoConfirmations(runContext(db, poConfirmations), config, REFERENCE_NOW);
    expect(first.outcome.outcome).toBe('4 PO findings, posted');
    expect(first.result).toMatchObject({ slips: 1, modelSkipped: false });
    const [slip] = await db.rpc('list_signals', { p_signal_type: 'po_slip' });
    expect(slip).toMatchObject({ severity: 'alert' });
    expect(slip?.['payload']).toEqual({
      po_id: 'PO-4120',
      supplier: 'Ningbo Seaview Packaging Co.',
      skus: [
        { sku: 'PKG-SM-JAR50', qty: 20000 },
        { sku: 'PKG-SM-CARTON', qty: 20000 },
      ],
      old_ready_date: '2026-12-11',
      new_ready_date: '2026-12-20',
      slip_days: 9,
    });
    const [approval] = await sql<Array<{ id: string; draft: { chasers: Array<{ supplier_id: string; language: string; to: string; po_ids: string[] }> } }>>`
      select id, draft from approvals where action = 'send_supplier_chasers'`;
    expect(approval?.draft.chasers.map((chaser) => [chaser.supplier_id, chaser.language, chaser.to, chaser.po_ids])).toEqual([
      ['SUP-SP-07', 'pt', 'export@serraalta.com.br', ['PO-4116']],
      ['SUP-HU-06', 'es', 'exportaciones@cafehuila.co', ['PO-4119']],
    ]);
    const stored = {
      outcome: first.outcome.outcome,
      fingerprint: first.outcome.fingerprint ?? '',
      detail: { ...first.outcome.detail, modelInput: first.result.modelInput },
    };
    const again = await runPoConfirmations(runContext(db, poConfirmations, { last: stored }), config, REFERENCE_NOW);
    expect(again.result).toMatchObject({ slips: 0, modelSkipped: true, approvalId: null });
    expect(again.outcome.outcome).toContain('not reposted');
    expect(await sql`select id from approvals where action = 'send_supplier_chasers'`).toHaveLength(1);
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'opsbot' and text like '%Not acknowledged%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toContain('• PO-4120 Ningbo Seaview Packaging Co. (PKG-SM-JAR50 × 20000, PKG-SM-CARTON × 20000): cargo-ready date moved 9 days');

    const decided = await getApproval(db, approval?.id ?? '');
    const context = buildBotServices(opsbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execute = () =>
      sendSupplierChasers.execute(
        sendSupplierChasers.draft.parse(decided?.draft),
        { ...context, connectors: createConnectors({ db, env: {} }), approvalId: approval?.id ?? '', idempotencyKey: `approval:${approval?.id ?? ''}` },
        decided as never,
      );
    expect((await execute()).summary).toBe('sent 2 supplier chasers');
    expect((await execute()).summary).toBe('sent 0 supplier chasers (2 already sent)');
    const sent = await db.rpc('sample_procurement_list_messages', { p_kind: 'chaser' });
    expect(sent.map((message) => message['to_address'])).toEqual(['export@serraalta.com.br', 'exportaciones@cafehuila.co']);
    expect(String(sent[0]?.['body'])).toMatch(/^Olá,/);
  });

  it('with a model: one fast-tier call writes the chasers in Portuguese and Spanish, priced in llm_usage; the same set again makes no call', async () => {
    // A company of its own: the template chasers asked above would stand for the same PO set here.
    const own = await freshDatabase();
    const ownDb = createPostgresDb({ url: own.url, poolMax: 2 });
    const ownSql = postgres(own.url, { max: 1, onnotice: () => {} });
    await loadSampleCompany(ownDb, { now: REFERENCE_NOW });
    const anthropic = await startFakeAnthropic();
    anthropic.respondWith(() => ({
      text: JSON.stringify({
        chasers: [
          {
            supplier_id: 'SUP-SP-07',
            subject: 'Confirmação do pedido PO-4116',
            body: 'Olá, ainda não recebemos a confirmação do pedido PO-4116 (TH-104 × 1500). Por favor confirme a data de prontidão. Harbor & Pine purchasing',
          },
          {
            supplier_id: 'SUP-HU-06',
            subject: 'Confirmación de la orden PO-4119',
            body: 'Hola, aún no hemos recibido la confirmación de la orden PO-4119 (TH-110 × 300). Por favor confirme la fecha. Harbor & Pine purchasing',
          },
        ],
      }),
    }));
    try {
      const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
      const first = await runPoConfirmations(runContext(ownDb, poConfirmations, { llm }), config, REFERENCE_NOW);
      expect(first.result).toMatchObject({ modelSkipped: false, offline: false });
      expect(anthropic.requests).toHaveLength(1);
      expect(anthropic.requests[0]?.model).toBe(llm.models.fast);
      expect(JSON.stringify(anthropic.requests[0]?.messages)).toContain('PO-4116 [TH-104 × 1500]');
      const [approval] = await ownSql<Array<{ title: string; draft: { chasers: Array<{ subject: string; language: string }> } }>>`
        select title, draft from approvals where action = 'send_supplier_chasers'`;
      expect(approval?.title).toBe('Chase 2 unacknowledged POs at 2 suppliers');
      expect(approval?.draft.chasers.map((chaser) => [chaser.language, chaser.subject])).toEqual([
        ['pt', 'Confirmação do pedido PO-4116'],
        ['es', 'Confirmación de la orden PO-4119'],
      ]);
      expect(await ownSql`select cost_usd from llm_usage where bot = 'opsbot' and job = 'po-confirmations'`).toHaveLength(1);
      const stored = { outcome: first.outcome.outcome, detail: { modelInput: first.result.modelInput } };
      await runPoConfirmations(runContext(ownDb, poConfirmations, { llm, last: stored }), config, REFERENCE_NOW);
      expect(anthropic.requests).toHaveLength(1);
    } finally {
      await anthropic.close();
      await ownSql.end();
      await ownDb.close();
      await own.drop();
    }
  });
});
