import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { freightDelay } from '@jbot/opsbot/signals';
import {
  buildBotServices,
  catalogSignalTypes,
  createPostgresDb,
  decideApproval,
  getApproval,
  SignalRegistry,
  startBot,
  type Db,
  type OperatorInstruction,
} from '@jbot/core';
import {
  createConnectors,
  hubspotCompaniesFromSample,
  hubspotObjectsFromSample,
  loadSampleCompany,
  readSampleCompanyData,
  xeroObjectsFromSample,
  type SampleCompanyData,
} from '@jbot/connectors';
import { freshDatabase, startFakeHubSpot, startFakeXero, testBotConfig, waitFor, type FakeHubSpot, type FakeXero, type TestDatabase } from '@jbot/testkit';
import { arCollections, arCollectionsSettings, findOverdueAccounts, placeCreditHold, sendArReminders, signalTypes } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { localDay } from '../src/jobs/deal-hygiene.js';

const silent = pino({ level: 'silent' });
const SETTINGS = { politeMaxDays: 30, firmMaxDays: 60 };

// The catalogue's planted AR case: 7 invoices past due in 7 accounts, Sagebrush Mercantile 74 days (credit hold).
const PLANTED = [
  ['Sagebrush Mercantile', 74, 'hold'],
  ['Riverbend Hardware & Home', 52, 'firm'],
  ['Old Town Emporium', 45, 'firm'],
  ['Summit Ridge Lodge Shop', 38, 'firm'],
  ['Lakeside Living', 21, 'polite'],
  ['The Paper Lantern', 12, 'polite'],
  ['Pinecone & Petal', 5, 'polite'],
];

// The same books with every open invoice current: nothing to chase.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const invoice of (data.accounting as { invoices: Array<Record<string, unknown>> }).invoices)
    if (invoice['status'] === 'open' && Number(invoice['issued_days_ago']) > 29) invoice['issued_days_ago'] = 10;
  return data;
}

describe('salesbot ar-collections', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  let xero: FakeXero;
  const now = new Date();
  const today = () => localDay(now, 'UTC');

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
    const data = readSampleCompanyData();
    const objects = hubspotObjectsFromSample(data, now);
    hubspot = await startFakeHubSpot({
      seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts, companies: hubspotCompaniesFromSample(data) } },
    });
    const books = xeroObjectsFromSample(data, now);
    xero = await startFakeXero({ seed: { contacts: books.contacts, invoices: books.invoices, payments: books.payments } });
  });
  afterAll(async () => {
    await hubspot?.close();
    await xero?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const services = () => buildBotServices(salesbot, { db, log: silent, host: 'test-host' });
  const run = async (runId: string, manual: boolean, lastFingerprint: string | null) => {
    const context = services().context(new AbortController().signal, silent, { job: 'ar-collections', runId });
    return (await arCollections.run({
      ...context,
      connectors: createConnectors({ db, env: {} }),
      config: arCollectionsSettings.load({}),
      job: 'ar-collections',
      runId,
      scheduledFor: now,
      attempt: 1,
      manual,
      idempotencyKey: runId,
      lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
    })) as {
      outcome: string;
      fingerprint: string;
      detail: { findings: number; posted: boolean; remindersApprovalId: string | null; holdApprovalIds: string[]; drafted: boolean };
    };
  };
  const execute = async (approvalId: string) => {
    const bot = await startBot(salesbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: new SignalRegistry([...catalogSignalTypes, ...signalTypes, freightDelay]),
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
    try {
      expect((await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);
      return await waitFor(
        async () => {
          const approval = await getApproval(db, approvalId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'the approval to execute', timeoutMs: 30_000 },
      );
    } finally {
      await bot.stop();
    }
  };

  it('is declared for weekdays at 09:30 with the catalogue buckets as defaults', () => {
    expect(arCollections.schedule).toBe('30 9 * * 1-5');
    expect(arCollections.missed).toBe('once');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('ar-collections');
    expect(arCollectionsSettings.load({})).toMatchObject({ SALES_AR_POLITE_MAX_DAYS: 30, SALES_AR_FIRM_MAX_DAYS: 60 });
  });

  it('finds the 7 planted past-due invoices by bucket, Sagebrush Mercantile due a credit hold', async () => {
    const accounts = await findOverdueAccounts(createConnectors({ db, env: {} }), today(), SETTINGS);
    expect(accounts.map((account) => [account.account, account.invoices[0]?.days_past_due, account.invoices[0]?.bucket])).toEqual(PLANTED);
    expect(accounts.filter((account) => account.hold_reason !== null).map((account) => [account.account, account.hold_reason])).toEqual([
      ['Sagebrush Mercantile', expect.stringMatching(/74 days past due/)],
    ]);
  });

  it('finds the same case on live Xero and HubSpot at their fakes', async () => {
    const live = createConnectors({
      db,
      env: {
        HUBSPOT_ACCESS_TOKEN: hubspot.accessToken,
        HUBSPOT_API_BASE: hubspot.url,
        XERO_CLIENT_ID: xero.clientId,
        XERO_CLIENT_SECRET: xero.clientSecret,
        XERO_REFRESH_TOKEN: xero.currentRefreshToken(),
        XERO_TENANT_ID: xero.tenantId,
        XERO_API_BASE: xero.apiBase,
        XERO_TOKEN_URL: xero.tokenUrl,
      },
    });
    const accounts = await findOverdueAccounts(live, today(), SETTINGS);
    expect(accounts.map((account) => [account.account, account.invoices[0]?.days_past_due, account.invoices[0]?.bucket])).toEqual(PLANTED);
    expect(accounts.find((account) => account.account === 'Sagebrush Mercantile')).toMatchObject({ owner: 'Daniel Reyes', credit_limit: 20_000 });
  });

  it('finds nothing on a healthy variant of the books', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now });
      expect(await findOverdueAccounts(createConnectors({ db: healthyDb, env: {} }), today(), SETTINGS)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the aging table, asks send_ar_reminders and the credit hold, raises ar_overdue; an unchanged set asks nothing again', async () => {
    const first = await run('ar-1', false, null);
    expect(first.outcome).toBe('7 past-due accounts, posted; asked send_ar_reminders and 1 credit hold');
    expect(first.detail).toMatchObject({ findings: 7, posted: true, drafted: true });
    const [post] = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'salesbot' and text like '%AR collections: 7 accounts past due%'`;
    expect(post?.text).toContain('**Sagebrush Mercantile** (Daniel Reyes)');
    expect(post?.text).toContain('credit hold proposed (invoice INV-');

    const reminders = await getApproval(db, first.detail.remindersApprovalId ?? '');
    expect(reminders).toMatchObject({ action: 'send_ar_reminders', status: 'pending' });
    const draft = sendArReminders.draft.parse(reminders?.draft);
    expect(draft.reminders.map((reminder) => reminder.bucket).sort()).toEqual(['firm', 'firm', 'firm', 'hold', 'polite', 'polite', 'polite']);
    expect(draft.reminders.filter((reminder) => reminder.owner_task !== undefined)).toHaveLength(4);
    expect(draft.reminders.find((reminder) => reminder.bucket === 'polite')?.body).not.toContain('[offline draft');

    const hold = await getApproval(db, first.detail.holdApprovalIds[0] ?? '');
    expect(hold).toMatchObject({ action: 'place_credit_hold', status: 'pending', title: expect.stringContaining('Sagebrush Mercantile') });
    const signals = await sql<Array<{ severity: string; payload: { account: string; credit_hold: boolean; approval_id: string } }>>`
      select severity, payload from bot_signals where signal_type = 'ar_overdue'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.account, signal.payload.credit_hold])).toEqual([
      ['warning', 'Sagebrush Mercantile', false],
    ]);
    expect(signals[0]?.payload.approval_id).toBe(hold?.id);

    // ⟳ and post on change: the same set is not reposted, asked again, nor drafted (no model call).
    const again = await run('ar-2', false, first.fingerprint);
    expect(again.detail).toMatchObject({
      posted: false,
      drafted: false,
      remindersApprovalId: first.detail.remindersApprovalId,
      holdApprovalIds: first.detail.holdApprovalIds,
    });
    expect((await sql`select 1 from approvals where action in ('send_ar_reminders', 'place_credit_hold')`).length).toBe(2);
  });

  it('sends each reminder once, logged on the account deal, with call tasks for the owners; a second execution sends none', async () => {
    const first = await run('ar-3', true, null);
    const approvalId = first.detail.remindersApprovalId ?? '';
    const done = await execute(approvalId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const emails = (await db.rpc('sample_crm_list_emails')).filter((email) =>
      String(email['idempotency_key']).startsWith(`approval:${approvalId}:ar-reminder:`),
    );
    expect(emails).toHaveLength(7);
    const tasks = (await db.rpc('sample_crm_list_tasks')).filter((task) => String(task['idempotency_key']).startsWith(`approval:${approvalId}:ar-task:`));
    expect(tasks).toHaveLength(4);

    const approval = await getApproval(db, approvalId);
    const context = services().context(new AbortController().signal, silent);
    const rerun = await sendArReminders.execute(
      sendArReminders.draft.parse(approval?.draft),
      { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` },
      approval as never,
    );
    expect(rerun.reminders.filter((reminder) => reminder.sent_now)).toEqual([]);
    expect((await db.rpc('sample_crm_list_emails')).filter((email) => String(email['idempotency_key']).startsWith(`approval:${approvalId}:`))).toHaveLength(7);
  });

  it('places the credit hold once on approval and raises ar_overdue with credit_hold = true; the next run asks no hold', async () => {
    const first = await run('ar-4', true, null);
    const holdId = first.detail.holdApprovalIds[0] ?? '';
    const done = await execute(holdId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const company = (await db.rpc('sample_crm_list_companies')).find((row) => row['name'] === 'Sagebrush Mercantile');
    expect((company?.['properties'] as Record<string, string>)['credit_hold']).toBe('true');
    const held = await sql<
      Array<{ payload: { credit_hold: boolean } }>
    >`select payload from bot_signals where signal_type = 'ar_overdue' and (payload ->> 'credit_hold')::boolean`;
    expect(held).toHaveLength(1);

    // A retry of the executor (a second host) places nothing and raises nothing new.
    const approval = await getApproval(db, holdId);
    const context = services().context(new AbortController().signal, silent);
    const rerun = await placeCreditHold.execute(
      placeCreditHold.draft.parse(approval?.draft),
      { ...context, connectors: createConnectors({ db, env: {} }), approvalId: holdId, idempotencyKey: `approval:${holdId}` },
      approval as never,
    );
    expect(rerun.applied_now).toBe(false);
    expect((await sql`select 1 from bot_signals where signal_type = 'ar_overdue' and (payload ->> 'credit_hold')::boolean`).length).toBe(1);

    const after = await run('ar-5', true, null);
    expect(after.detail.holdApprovalIds).toEqual([]);
    const [post] = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'salesbot' and text like '%ON CREDIT HOLD%' order by id desc limit 1`;
    expect(post?.text).toContain('**Sagebrush Mercantile** (Daniel Reyes)');
  });

  it('answers a reply to ar_overdue with the books now, and drafts the reminder on "remind them"', async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'ar_overdue' order by created_at limit 1`;
    const context = services().context(new AbortController().signal, silent);
    const instruction = (text: string): OperatorInstruction => ({
      text,
      operatorMessageId: `op-${text.length}`,
      signalId: signal?.id ?? '',
      approvalId: null,
      instructionSignalId: `ins-${text.length}`,
      channel: 'local',
      senderId: 'operator',
    });
    const explained = await salesbot.onInstruction?.(instruction('why?'), { ...context, connectors: createConnectors({ db, env: {} }) } as never);
    expect(explained).toMatch(
      /^Sagebrush Mercantile owes \$[\d,]+ past due \(INV-\d+ \$[\d,]+ 74 d\); no payment in the last 30 days\. The account is on credit hold\./,
    );
    const drafted = await salesbot.onInstruction?.(instruction('remind them please'), { ...context, connectors: createConnectors({ db, env: {} }) } as never);
    expect(drafted).toMatch(/Drafted the reminder: approval [0-9a-f]{8} waits in #sales-bot/);
    const asked = await sql<Array<{ draft: { reminders: Array<{ account: string }> } }>>`
      select draft from approvals where action = 'send_ar_reminders' and request_key like 'ar-reminders:operator:%'`;
    expect(asked.map((row) => row.draft.reminders.map((reminder) => reminder.account))).toEqual([['Sagebrush Mercantile']]);
  });
});
