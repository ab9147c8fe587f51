import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, loadLlmConfig, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData, type WholesaleHistoryOrder } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, startFakeShopify, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { findLateAccounts, reorderCadence, reorderCadenceSettings, runReorderCadence, sendReorderNudges } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { localDay } from '../src/jobs/deal-hygiene.js';
import { approveAndWait, executionContext, runSalesJob } from './sales-job-harness.js';

const silent = pino({ level: 'silent' });
const SETTINGS = { lateFactorPct: 150, minOrders: 3, historyDays: 365, usualSkus: 5, atpDays: 7, blockingStages: ['decisionmakerboughtin', 'contractsent'] };
const today = () => localDay(new Date(), 'UTC');

// The planted case: four monthly accounts silent since a top-up order 47–50 days ago.
const PLANTED = [
  ['Summit Ridge Lodge Shop', 50, ['KC-103', 'KC-104', 'KC-105']],
  ['Meadowlark Gift Co.', 49, ['DW-105', 'DW-106']],
  ['Evergreen Grocers', 48, ['TH-103', 'TH-104', 'TH-105']],
  ['The Paper Lantern', 47, ['SM-109', 'SM-110', 'DW-101']],
];

// The same company with the planted case undone: every account on its usual monthly rhythm.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  data.salesbot_reorder_cadence = { late_orders: [] };
  return data;
}

/** Run the job with a given model service (the fake Messages API) as the scheduler would. */
async function runWithLlm(db: Db, llm: ReturnType<typeof loadLlmConfig>, runId: string, lastFingerprint: string | null) {
  const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host', llm }).context(new AbortController().signal, silent, {
    job: 'reorder-cadence',
    runId,
  });
  return runReorderCadence({
    ...context,
    connectors: createConnectors({ db, env: {} }),
    job: 'reorder-cadence',
    runId,
    scheduledFor: new Date(),
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
  } as never);
}

describe('salesbot reorder-cadence', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;
  let firstApprovalId = '';

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: new Date() });
    anthropic = await startFakeAnthropic();
    anthropic.respondWith((request) => {
      const facts = String(request.messages[0]?.content);
      const account = /account: ([^\n]+)/.exec(facts)?.[1] ?? '?';
      return { text: JSON.stringify({ note: `Claude for ${account}: your shelves are probably getting thin.` }) };
    });
  });
  afterAll(async () => {
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for 10:00 on weekdays, catching up once, with the catalogue rule as defaults', () => {
    expect(reorderCadence.schedule).toBe('0 10 * * 1-5');
    expect(reorderCadence.missed).toBe('once');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('reorder-cadence');
    expect(reorderCadenceSettings.load({})).toMatchObject({
      SALES_REORDER_LATE_FACTOR_PCT: 150,
      SALES_REORDER_MIN_ORDERS: 3,
      SALES_REORDER_HISTORY_DAYS: 365,
      SALES_REORDER_ATP_DAYS: 7,
      SALES_REORDER_BLOCKING_STAGES: ['decisionmakerboughtin', 'contractsent'],
    });
    expect(() => reorderCadenceSettings.load({ SALES_REORDER_LATE_FACTOR_PCT: '1.5x' })).toThrow(/SALES_REORDER_LATE_FACTOR_PCT/);
    expect(() => reorderCadenceSettings.load({ SALES_REORDER_MIN_ORDERS: '2' })).toThrow(/SALES_REORDER_MIN_ORDERS/);
  });

  it('finds the four planted late accounts, leaving out the SKU shipbot cannot promise (DW-104)', async () => {
    const { late, heldBack } = await findLateAccounts(createConnectors({ db, env: {} }), today(), SETTINGS);
    expect(late.map((account) => [account.account, account.days_since_last_order, account.skus.map((line) => line.sku)])).toEqual(PLANTED);
    expect(late.every((account) => account.median_interval_days === 30 && account.orders >= 3)).toBe(true);
    expect(late.find((account) => account.account === 'Meadowlark Gift Co.')?.out_of_stock).toEqual(['DW-104']);
    expect(late[0]).toMatchObject({ email: 'iris.whitaker@summitridgelodgeshop.com', owner: 'Priya Natarajan' });
    expect(heldBack).toEqual([]);
  });

  it('finds nothing on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: new Date() });
      expect(await findLateAccounts(createConnectors({ db: healthyDb, env: {} }), today(), SETTINGS)).toEqual({ late: [], heldBack: [] });
      const outcome = await runSalesJob(healthyDb, reorderCadence, { runId: 'healthy-1', manual: true });
      expect(outcome.outcome).toBe('nothing to report');
      expect(outcome.detail).toMatchObject({ nudgesApprovalId: null, drafted: 0 });
      const healthySql = postgres(healthy.url, { max: 1, onnotice: () => {} });
      const posts = await healthySql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot'`;
      await healthySql.end();
      expect(posts).toHaveLength(1);
      expect(posts[0]?.text).toContain('No wholesale account is later than 1.5× its usual reorder interval.');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the late accounts and asks send_reorder_nudges with one fast draft per account; an unchanged rerun makes no model call', async () => {
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
    const first = await runWithLlm(db, llm, 'reorder-1', null);
    expect(first.outcome.outcome).toBe('4 late accounts, posted');
    expect(first.result.drafted).toBe(4);
    expect(anthropic.requests.map((request) => request.model)).toEqual(Array(4).fill('claude-haiku-5-5'));
    // The account's facts go to the model fenced as data.
    expect(String(anthropic.requests[0]?.messages[0]?.content)).toMatch(/<data label="account facts">[\s\S]*account: Summit Ridge Lodge Shop/);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%Summit Ridge Lodge Shop%'`;
    expect(post?.text).toContain('**Meadowlark Gift Co.** (Daniel Reyes): 49 days since the last order');
    expect(post?.text).toContain('left out (out of stock): DW-104');

    const approval = await getApproval(db, String(first.result.nudgesApprovalId));
    expect(approval).toMatchObject({ action: 'send_reorder_nudges', status: 'pending' });
    const draft = sendReorderNudges.draft.parse(approval?.draft);
    expect(draft.kind).toBe('reorder');
    expect(draft.emails.map((email) => [email.account, email.to])).toEqual([
      ['Summit Ridge Lodge Shop', 'iris.whitaker@summitridgelodgeshop.com'],
      ['Meadowlark Gift Co.', 'isabel.sato@meadowlarkgiftco.com'],
      ['Evergreen Grocers', 'ruby.castillo@evergreengrocers.com'],
      ['The Paper Lantern', 'isabel.yamamoto@thepaperlantern.com'],
    ]);
    const meadowlark = draft.emails[1];
    expect(meadowlark?.body).toContain('Claude for Meadowlark Gift Co.: your shelves are probably getting thin.');
    expect(meadowlark?.body).toContain('• DW-105 — ');
    expect(meadowlark?.body).not.toContain('DW-104');
    const usage = await sql`select job, status from llm_usage`;
    expect(usage.map((row) => [row['job'], row['status']])).toEqual(Array(4).fill(['reorder-cadence', 'settled']));

    // The same late set the next morning: not reposted, the approval already asked, no model call.
    const again = await runWithLlm(db, llm, 'reorder-2', first.outcome.fingerprint ?? null);
    expect(again.outcome.outcome).toBe('4 late accounts, unchanged since the last run (not reposted)');
    expect(again.result).toMatchObject({ drafted: 0, nudgesApprovalId: first.result.nudgesApprovalId });
    expect(anthropic.requests).toHaveLength(4);
    expect((await sql`select 1 from approvals where action = 'send_reorder_nudges'`).length).toBe(1);

    // Evergreen goes on credit hold: a smaller late set, a new approval, but no new account → no model call.
    await createConnectors({ db, env: {} }).crm.updateCompany({
      companyId: '90412168',
      properties: { credit_hold: 'true' },
      idempotencyKey: 'test:hold:evergreen',
    });
    const smaller = await runWithLlm(db, llm, 'reorder-3', first.outcome.fingerprint ?? null);
    expect(smaller.outcome.outcome).toBe('3 late accounts, posted');
    expect(smaller.result.heldBack).toEqual([{ account: 'Evergreen Grocers', reason: 'on credit hold' }]);
    expect(smaller.result.drafted).toBe(0);
    expect(anthropic.requests).toHaveLength(4);
    const reused = sendReorderNudges.draft.parse((await getApproval(db, String(smaller.result.nudgesApprovalId)))?.draft);
    expect(reused.emails).toEqual(draft.emails.filter((email) => email.account !== 'Evergreen Grocers'));
    firstApprovalId = String(first.result.nudgesApprovalId);
  });

  it('sends each nudge once on approval, logged on the account deal; a second execution sends none', async () => {
    const approvalId = firstApprovalId;
    const done = await approveAndWait(db, approvalId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const sent = () =>
      db
        .rpc('sample_crm_list_emails')
        .then((emails) => emails.filter((email) => String(email['idempotency_key']).startsWith(`approval:${approvalId}:nudge:reorder:`)));
    expect(await sent()).toHaveLength(4);
    const approval = await getApproval(db, approvalId);
    const rerun = await sendReorderNudges.execute(
      sendReorderNudges.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), approvalId),
      approval as never,
    );
    expect(rerun.emails.filter((email) => email.sent_now)).toEqual([]);
    expect(rerun.summary).toBe('sent 4 reorder nudges (4 already sent)');
    expect(await sent()).toHaveLength(4);
  });

  it('holds back a late account on credit hold or with an order being closed; an account nudged this spell is not nudged again', async () => {
    const connectors = createConnectors({ db, env: {} });
    const deal = (await connectors.crm.listDeals()).find((candidate) => candidate.accountName === 'The Paper Lantern' && !candidate.isClosed);
    await connectors.crm.updateDeal({ dealId: deal?.id ?? '', properties: { dealstage: 'contractsent' }, idempotencyKey: 'test:stage:lantern' });
    const { late, heldBack } = await findLateAccounts(connectors, today(), SETTINGS);
    expect(late.map((account) => account.account)).toEqual(['Summit Ridge Lodge Shop', 'Meadowlark Gift Co.']);
    expect(heldBack).toEqual([
      { account: 'Evergreen Grocers', reason: 'on credit hold' },
      { account: 'The Paper Lantern', reason: expect.stringMatching(/^open deal .+ \(contractsent\)$/) },
    ]);
    // Both were nudged (executed) for this late spell: posted, but no third approval and no draft.
    const outcome = await runSalesJob(db, reorderCadence, { runId: 'reorder-4' });
    expect(outcome.outcome).toBe('2 late accounts, posted');
    expect(outcome.detail).toMatchObject({ nudgesApprovalId: null, drafted: 0, heldBack: 2 });
    expect((await sql`select 1 from approvals where action = 'send_reorder_nudges'`).length).toBe(2);
  });
});

// The sample's order history as Shopify B2B orders (tagged wholesale, the company's CRM id as externalId).
function shopifyHistoryOrders(orders: readonly WholesaleHistoryOrder[]) {
  const money = (amount: number) => ({ shopMoney: { amount: amount.toFixed(2), currencyCode: 'USD' } });
  return orders.map((order, index) => ({
    id: `gid://shopify/Order/${8_900_000 + index}`,
    name: order.orderId,
    createdAt: `${order.orderedOn}T15:00:00Z`,
    cancelledAt: null,
    email: null,
    displayFinancialStatus: 'PAID',
    displayFulfillmentStatus: 'FULFILLED',
    customer: null,
    billingAddress: { countryCodeV2: 'US' },
    shippingAddress: null,
    totalPriceSet: money(order.amount),
    originalTotalPriceSet: money(order.amount),
    lineItems: {
      nodes: order.lines.map((line) => ({
        sku: line.sku,
        quantity: line.units,
        currentQuantity: line.units,
        unfulfilledQuantity: 0,
        originalUnitPriceSet: money(order.amount / Math.max(1, order.unitsOrdered)),
      })),
    },
    risk: { assessments: [] },
    fulfillmentOrders: { nodes: [] },
    tags: ['wholesale'],
    purchasingEntity: { company: { id: `gid://shopify/Company/${order.accountId}`, name: order.accountName, externalId: order.accountId } },
  }));
}

describe('reorder-cadence on the live Shopify wholesale history (fake Admin GraphQL API)', () => {
  it('finds the same late accounts and usual SKUs from the B2B orders’ lines', async () => {
    const database = await freshDatabase();
    const db = createPostgresDb({ url: database.url, poolMax: 4 });
    try {
      await loadSampleCompany(db, { now: new Date() });
      const sample = createConnectors({ db, env: {} });
      const since = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
      const shopify = await startFakeShopify({ seed: { orders: shopifyHistoryOrders(await sample.wholesaleHistory.listOrdersSince(since)) } });
      try {
        const live = createConnectors({
          db,
          env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url },
        });
        expect(live.wholesaleHistory.source).toBe('shopify');
        const found = await findLateAccounts({ ...sample, wholesaleHistory: live.wholesaleHistory }, today(), SETTINGS);
        expect(found.late.map((account) => [account.account, account.days_since_last_order, account.skus.map((line) => line.sku)])).toEqual(PLANTED);
      } finally {
        await shopify.close();
      }
    } finally {
      await db.close();
      await database.drop();
    }
  }, 60_000);
});
