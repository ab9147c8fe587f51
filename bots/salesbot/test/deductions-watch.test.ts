import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, xeroObjectsFromSample, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeXero, type FakeXero, type TestDatabase } from '@jbot/testkit';
import { deductionRulesOf, deductionsWatch, deductionsWatchSettings, findDeductions, sendDeductionDisputes } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { localDay } from '../src/jobs/deal-hygiene.js';
import { approveAndWait, executionContext, runSalesJob } from './sales-job-harness.js';

const silent = pino({ level: 'silent' });
const RULES = deductionRulesOf(deductionsWatchSettings.load({}));

// The catalogue's planted case: 4 disputable deductions (POD on time and in full), 2 of them with
// ≤ 10 days left; Whole Harvest Market's two make $5,600 (≥ $5k → the warning); 1 unreasoned.
const DISPUTABLE = [
  ['DED-702', 'Whole Harvest Market', 5, true],
  ['DED-704', 'Northbound Outfitters', 8, true],
  ['DED-701', 'Whole Harvest Market', 18, false],
  ['DED-703', 'Tidewater General Store', 22, false],
];

type Deductions = { deductions: Array<Record<string, unknown>>; pods: Array<Record<string, unknown>> };

// The same books where every POD shows the shipment late and short, and every deduction has a code.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const books = data.salesbot_deductions as Deductions;
  for (const pod of books.pods) {
    pod['delivered_days_ago'] = Number(pod['promised_days_ago']) - 2;
    pod['units_received'] = Number(pod['units_shipped']) - 10;
  }
  for (const deduction of books.deductions) deduction['reason_code'] ??= 'PROMO-MISC';
  return data;
}

describe('salesbot deductions-watch', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let xero: FakeXero;
  const now = new Date();
  const today = () => localDay(now, 'UTC');

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
    const data = readSampleCompanyData();
    const books = xeroObjectsFromSample(data, now);
    const contactOf = (accountId: unknown) => books.contacts.find((contact) => contact.AccountNumber === accountId);
    // Xero holds deductions as ACCREC credit notes whose Reference is the reason code.
    const creditNotes = (data.salesbot_deductions as Deductions).deductions.map((deduction) => {
      const contact = contactOf(deduction['account_id']);
      return {
        CreditNoteID: `cn-${String(deduction['id'])}`,
        Type: 'ACCRECCREDIT',
        Status: 'AUTHORISED',
        Contact: { ContactID: contact?.ContactID ?? '', Name: contact?.Name ?? '' },
        Date: `/Date(${now.getTime() - Number(deduction['taken_days_ago']) * 86_400_000}+0000)/`,
        Total: deduction['amount'],
        ...(deduction['reason_code'] === null ? {} : { Reference: deduction['reason_code'] }),
      };
    });
    xero = await startFakeXero({ seed: { contacts: books.contacts, invoices: books.invoices, payments: books.payments, creditNotes } });
  });
  afterAll(async () => {
    await xero?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for weekdays at 09:45 with the catalogue thresholds as defaults', () => {
    expect(deductionsWatch.schedule).toBe('45 9 * * 1-5');
    expect(deductionsWatch.missed).toBe('once');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('deductions-watch');
    expect(salesbot.actions?.map((action) => action.name)).toContain('send_deduction_disputes');
    expect(deductionsWatchSettings.load({})).toMatchObject({
      SALES_DEDUCTION_UNREASONED_MIN_USD: 100,
      SALES_DEDUCTION_PRIORITY_DAYS: 10,
      SALES_DEDUCTION_WARN_TOTAL_USD: 5000,
    });
    expect(() => deductionsWatchSettings.load({ SALES_DEDUCTION_PRIORITY_DAYS: 'soon' })).toThrow(/SALES_DEDUCTION_PRIORITY_DAYS/);
  });

  it('finds the 4 planted disputable deductions (2 priority) and the unreasoned one, and nothing else', async () => {
    const flagged = await findDeductions(createConnectors({ db, env: {} }), today(), RULES);
    expect(
      flagged.filter((deduction) => deduction.disputable).map((deduction) => [deduction.id, deduction.account, deduction.days_left, deduction.priority]),
    ).toEqual(DISPUTABLE);
    expect(flagged.filter((deduction) => deduction.unreasoned).map((deduction) => [deduction.id, deduction.account, deduction.amount])).toEqual([
      ['DED-708', 'Greenline Co-op', 340],
    ]);
    // Short POD, late POD, expired window, no POD on record, promo with a code, $60 unreasoned: not flagged.
    expect(flagged).toHaveLength(5);
    expect(flagged.find((deduction) => deduction.id === 'DED-701')?.pod).toMatchObject({ shipmentId: 'POD-4103', unitsReceived: 480, unitsShipped: 480 });
  });

  it('reads the deductions from live Xero credit notes at the fake (reason from Reference; no POD in the books, so none disputable)', async () => {
    const live = createConnectors({
      db,
      env: {
        XERO_CLIENT_ID: xero.clientId,
        XERO_CLIENT_SECRET: xero.clientSecret,
        XERO_REFRESH_TOKEN: xero.currentRefreshToken(),
        XERO_TENANT_ID: xero.tenantId,
        XERO_API_BASE: xero.apiBase,
        XERO_TOKEN_URL: xero.tokenUrl,
      },
    });
    const deductions = await live.accounting.listDeductions({ since: localDay(new Date(now.getTime() - 90 * 86_400_000), 'UTC') });
    expect(deductions).toHaveLength(12);
    expect(deductions.find((deduction) => deduction.id === 'cn-DED-701')).toMatchObject({
      customerName: 'Whole Harvest Market',
      accountId: '90412000',
      kind: 'shortage',
      reasonCode: 'SHORT-SHIP',
      amount: 3200,
      disputeBy: null,
    });
    expect(deductions.find((deduction) => deduction.id === 'cn-DED-704')?.kind).toBe('late_delivery');
    const flagged = await findDeductions(live, today(), RULES);
    expect(flagged.map((deduction) => [deduction.id, deduction.unreasoned, deduction.disputable])).toEqual([['cn-DED-708', true, false]]);
  });

  it('finds nothing on a healthy variant of the deductions', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now });
      expect(await findDeductions(createConnectors({ db: healthyDb, env: {} }), today(), RULES)).toEqual([]);
      const outcome = await runSalesJob(healthyDb, deductionsWatch, { runId: 'ded-healthy' });
      expect(outcome.detail).toMatchObject({ findings: 0, disputesApprovalId: null, signalIds: [] });
      const [post] = await healthyDb.rpc('sample_accounting_deductions', { p_since: '2000-01-01' });
      expect(post).toBeDefined();
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the list, asks send_deduction_disputes and raises deduction_dispute_due for Whole Harvest Market; an unchanged set asks nothing again', async () => {
    const first = await runSalesJob(db, deductionsWatch, { runId: 'ded-1' });
    expect(first.outcome).toBe('5 deductions, posted; asked send_deduction_disputes');
    const [post] = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'salesbot' and text like '%Deductions: 4 disputable, 1 without a reason code%'`;
    expect(post?.text).toContain('**Whole Harvest Market** DED-702 $2,400 late delivery (OTIF-LATE)');
    expect(post?.text).toContain('[PRIORITY]');
    expect(post?.text).toContain('[no reason code]');

    const approval = await getApproval(db, String(first.detail['disputesApprovalId']));
    expect(approval).toMatchObject({ action: 'send_deduction_disputes', status: 'pending' });
    const draft = sendDeductionDisputes.draft.parse(approval?.draft);
    expect(draft.packets.map((packet) => packet.deduction_id)).toEqual(['DED-702', 'DED-704', 'DED-701', 'DED-703']);
    expect(draft.packets[0]?.body).toMatch(
      /shipment POD-4103 shows it delivered on \d{4}-\d{2}-\d{2} against a promised date of \d{4}-\d{2}-\d{2}, 480 of 480 units/,
    );
    expect(draft.packets[0]?.to).toBe('ap@wholeharvestmarket.com');

    const signals = await sql<Array<{ severity: string; payload: { account: string; disputable_total: number; deductions: unknown[]; approval_id: string } }>>`
      select severity, payload from bot_signals where signal_type = 'deduction_dispute_due'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.account, signal.payload.disputable_total, signal.payload.deductions.length])).toEqual([
      ['warning', 'Whole Harvest Market', 5600, 2],
    ]);
    expect(signals[0]?.payload.approval_id).toBe(approval?.id);

    const again = await runSalesJob(db, deductionsWatch, { runId: 'ded-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.detail).toMatchObject({ posted: false, disputesApprovalId: approval?.id });
    expect((await sql`select 1 from approvals where action = 'send_deduction_disputes'`).length).toBe(1);
    expect((await sql`select 1 from bot_signals where signal_type = 'deduction_dispute_due'`).length).toBe(1);
  });

  it('sends each dispute packet once on approval, logged on the account deal; a second execution sends none', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'send_deduction_disputes' limit 1`;
    const approvalId = row?.id ?? '';
    const done = await approveAndWait(db, approvalId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const mine = async () =>
      (await db.rpc('sample_crm_list_emails')).filter((email) => String(email['idempotency_key']).startsWith(`approval:${approvalId}:deduction-dispute:`));
    const emails = await mine();
    expect(emails).toHaveLength(4);
    expect(emails.map((email) => email['to_email']).sort()).toEqual([
      'ap@wholeharvestmarket.com',
      'ap@wholeharvestmarket.com',
      'chloe.rossi@northboundoutfitters.com',
      'grace.novak@tidewatergeneralstore.com',
    ]);
    expect(emails.map((email) => email['subject'])).toContain('Deduction dispute DED-702: invoice INV-4103 ($2,400)');

    const approval = await getApproval(db, approvalId);
    const rerun = await sendDeductionDisputes.execute(
      sendDeductionDisputes.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), approvalId) as never,
      approval as never,
    );
    expect(rerun.packets.filter((packet) => packet.sent_now)).toEqual([]);
    expect(await mine()).toHaveLength(4);
  });

  it('answers a reply to deduction_dispute_due with the deductions now, and drafts the account’s disputes on "dispute"', async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'deduction_dispute_due' limit 1`;
    const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const instruction = (text: string): OperatorInstruction => ({
      text,
      operatorMessageId: `op-${text.length}`,
      signalId: signal?.id ?? '',
      approvalId: null,
      instructionSignalId: `ins-${text.length}`,
      channel: 'local',
      senderId: 'operator',
    });
    const explained = await salesbot.onInstruction?.(instruction('what is this?'), { ...context, connectors: createConnectors({ db, env: {} }) } as never);
    expect(explained).toMatch(/^Whole Harvest Market: 2 disputable deductions, \$5,600 \(DED-702 \$2,400 by \d{4}-\d{2}-\d{2}, 5 d left; DED-701/);
    expect(explained).toMatch(/Disputes: approval [0-9a-f]{8} is executed\. Reply "dispute"/);
    const drafted = await salesbot.onInstruction?.(instruction('dispute them'), { ...context, connectors: createConnectors({ db, env: {} }) } as never);
    expect(drafted).toMatch(/Drafted the dispute packets: approval [0-9a-f]{8} waits in #sales-bot/);
    const asked = await sql<Array<{ draft: { packets: Array<{ deduction_id: string }> } }>>`
      select draft from approvals where action = 'send_deduction_disputes' and request_key like 'deduction-disputes:operator:%'`;
    expect(asked.map((row) => row.draft.packets.map((packet) => packet.deduction_id))).toEqual([['DED-702', 'DED-701']]);
  });
});
