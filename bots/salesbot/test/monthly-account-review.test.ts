import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, loadLlmConfig, OFFLINE_LABEL, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData, type WholesaleHistoryOrder } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, startFakeShopify, type TestDatabase } from '@jbot/testkit';
import { monthlyAccountReview, monthlyAccountReviewSettings, reviewAccounts, runMonthlyAccountReview, sendAccountCheckins } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { localDay } from '../src/jobs/deal-hygiene.js';
import { approveAndWait, executionContext, runSalesJob } from './sales-job-harness.js';

const silent = pino({ level: 'silent' });
const SETTINGS = { churnDropPct: 30, minFillRatePct: 95, dsoGraceDays: 15 };

// The planted cases: two accounts down ≥ 30% on the prior 90 days, one shorted by the warehouse,
// one small account carrying a 74-day invoice.
const PLANTED = [
  ['Tidewater General Store', [expect.stringMatching(/^T90 volume -4\d\.\d% vs the prior 90 days/)]],
  ['Harbor Lights Gifts', [expect.stringMatching(/^T90 volume -3\d\.\d% vs the prior 90 days/)]],
  ['Copper Kettle Provisions', ['fill rate 87.9% (< 95%)']],
  ['Sagebrush Mercantile', ['DSO 70 days on net-30 terms']],
];

// The same company with the planted cases undone: steady orders, everything shipped, Sagebrush paid up.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const orders = (data.salesbot_account_history as { orders: Array<Record<string, number | string>> }).orders;
  for (const order of orders) {
    if (Number(order['days_ago']) >= 90) continue;
    const earlier = orders.find((other) => other['account_id'] === order['account_id'] && Number(other['days_ago']) === Number(order['days_ago']) + 90);
    if (earlier !== undefined) order['amount'] = earlier['amount'] ?? 0;
    order['units_shipped'] = order['units_ordered'] ?? 0;
  }
  for (const invoice of (data.accounting as { invoices: Array<Record<string, unknown>> }).invoices)
    if (invoice['account_id'] === '90412063' && invoice['status'] === 'open') Object.assign(invoice, { status: 'paid', amount_due: 0 });
  return data;
}

describe('salesbot monthly-account-review', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const today = () => localDay(new Date(), 'UTC');

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: new Date() });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for 09:00 on the 1st, catching up once, with the catalogue thresholds as defaults', () => {
    expect(monthlyAccountReview.schedule).toBe('0 9 1 * *');
    expect(monthlyAccountReview.missed).toBe('once');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('monthly-account-review');
    expect(monthlyAccountReviewSettings.load({})).toMatchObject({
      SALES_REVIEW_CHURN_DROP_PCT: 30,
      SALES_REVIEW_MIN_FILL_RATE_PCT: 95,
      SALES_REVIEW_DSO_GRACE_DAYS: 15,
      SALES_REVIEW_COMMENTED_ACCOUNTS: 10,
    });
    expect(() => monthlyAccountReviewSettings.load({ SALES_REVIEW_CHURN_DROP_PCT: 'lots' })).toThrow(/SALES_REVIEW_CHURN_DROP_PCT/);
  });

  it('finds the planted churn risks, the shorted account and the slow payer; every other account is healthy', async () => {
    const reviews = await reviewAccounts(createConnectors({ db, env: {} }), today(), SETTINGS);
    expect(reviews).toHaveLength(25);
    expect(reviews.filter((review) => review.reasons.length > 0).map((review) => [review.account, review.reasons])).toEqual(PLANTED);
    expect(reviews.filter((review) => review.churnRisk).map((review) => review.account)).toEqual(['Tidewater General Store', 'Harbor Lights Gifts']);
    const tidewater = reviews[0];
    expect(tidewater).toMatchObject({ ordersT90: 3, fillRatePct: 100, email: 'grace.novak@tidewatergeneralstore.com' });
    expect(tidewater?.yoyPct).toBeLessThan(-30);
  });

  it('finds nothing on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: new Date() });
      const reviews = await reviewAccounts(createConnectors({ db: healthyDb, env: {} }), today(), SETTINGS);
      expect(reviews).toHaveLength(25);
      expect(reviews.filter((review) => review.reasons.length > 0)).toEqual([]);
      const outcome = await runSalesJob(healthyDb, monthlyAccountReview, { runId: 'healthy-1', manual: true });
      expect(outcome.outcome).toBe('nothing to report');
      expect(outcome.detail).toMatchObject({ checkinsApprovalId: null, signalIds: [] });
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the review with commentary, raises account_churn_risk per churn risk and asks send_account_checkins once a month', async () => {
    const first = await runSalesJob(db, monthlyAccountReview, { runId: 'review-1' });
    expect(first.outcome).toBe('4 at-risk accounts, posted; asked send_account_checkins');
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%Top risks (4)%'`;
    expect(post?.text).toContain('**Tidewater General Store** (');
    expect(post?.text).toContain('fill rate 87.9% (< 95%)');
    expect(post?.text).toContain('**Growth opportunities (3)**');
    // The offline drafter stands in for the smart model in tests: commentary for each top account.
    expect(first.detail['commented']).toBe(7);
    expect(post?.text).toMatch(/Owner to call the buyer this week/);
    // Labelled once, at the top, not on every comment.
    expect(post?.text).toContain(`${OFFLINE_LABEL}\n25 wholesale accounts`);
    expect(post?.text.split(OFFLINE_LABEL)).toHaveLength(2);

    const approval = await getApproval(db, String(first.detail['checkinsApprovalId']));
    expect(approval).toMatchObject({ action: 'send_account_checkins', status: 'pending' });
    const draft = sendAccountCheckins.draft.parse(approval?.draft);
    expect(draft.checkins.map((checkin) => [checkin.account, checkin.to])).toEqual([
      ['Tidewater General Store', 'grace.novak@tidewatergeneralstore.com'],
      ['Harbor Lights Gifts', 'leah.ellison@harborlightsgifts.com'],
    ]);
    const signals = await sql<Array<{ severity: string; payload: { account: string; change_pct: number; approval_id: string } }>>`
      select severity, payload from bot_signals where signal_type = 'account_churn_risk' order by created_at`;
    expect(signals.map((signal) => [signal.severity, signal.payload.account, signal.payload.approval_id])).toEqual([
      ['warning', 'Tidewater General Store', approval?.id],
      ['warning', 'Harbor Lights Gifts', approval?.id],
    ]);
    expect(signals[0]?.payload.change_pct).toBeLessThanOrEqual(-30);

    // A rerun the same month: not reposted, no second approval, no second warning, no model call.
    const again = await runSalesJob(db, monthlyAccountReview, { runId: 'review-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.outcome).toBe('4 at-risk accounts, unchanged since the last run (not reposted); asked send_account_checkins');
    expect(again.detail).toMatchObject({ posted: false, commented: 0, checkinsApprovalId: approval?.id });
    expect((await sql`select 1 from approvals where action = 'send_account_checkins'`).length).toBe(1);
    expect((await sql`select 1 from bot_signals where signal_type = 'account_churn_risk'`).length).toBe(2);
  });

  it('sends each check-in once on approval, logged on the account deal; a second execution sends none', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'send_account_checkins' limit 1`;
    const approvalId = row?.id ?? '';
    const done = await approveAndWait(db, approvalId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const sent = () =>
      db
        .rpc('sample_crm_list_emails')
        .then((emails) => emails.filter((email) => String(email['idempotency_key']).startsWith(`approval:${approvalId}:account-checkin:`)));
    expect((await sent()).map((email) => email['to_email'] ?? email['to'])).toHaveLength(2);

    const approval = await getApproval(db, approvalId);
    const rerun = await sendAccountCheckins.execute(
      sendAccountCheckins.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), approvalId),
      approval as never,
    );
    expect(rerun.checkins.filter((checkin) => checkin.sent_now)).toEqual([]);
    expect(rerun.summary).toBe('sent 2 account check-ins (2 already sent)');
    expect(await sent()).toHaveLength(2);
  });

  it('answers a reply to account_churn_risk with the figures now, and drafts a check-in on "check in with them"', async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'account_churn_risk' order by created_at limit 1`;
    const context = {
      ...buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent),
      connectors: createConnectors({ db, env: {} }),
    };
    const instruction = (text: string): OperatorInstruction => ({
      text,
      operatorMessageId: `op-${text.length}`,
      signalId: signal?.id ?? '',
      approvalId: null,
      instructionSignalId: `ins-${text.length}`,
      channel: 'local',
      senderId: 'operator',
    });
    const explained = await salesbot.onInstruction?.(instruction('why?'), context as never);
    expect(explained).toMatch(
      /^Tidewater General Store \(.+\): T90 \$7,920 vs prior \$14,120 \(-43\.9%\); T90 volume .+ Check-ins: approval [0-9a-f]{8} is executed\. Reply "check in"/,
    );
    const drafted = await salesbot.onInstruction?.(instruction('check in with them please'), context as never);
    expect(drafted).toMatch(/Drafted the check-in: approval [0-9a-f]{8} waits in #sales-bot\.$/);
    const asked = await sql<Array<{ draft: { checkins: Array<{ account: string }> } }>>`
      select draft from approvals where action = 'send_account_checkins' and request_key like 'account-checkins:operator:%'`;
    expect(asked.map((row) => row.draft.checkins.map((checkin) => checkin.account))).toEqual([['Tidewater General Store']]);
  });
});

// With Claude (the fake Messages API): one smart-tier call for the top accounts, their figures
// fenced as data, the comments in the post unlabelled, the call priced under the job.
describe('salesbot monthly-account-review with Claude commentary', () => {
  it('makes one smart call for the top accounts and records its cost', async () => {
    const database = await freshDatabase();
    const db = createPostgresDb({ url: database.url, poolMax: 4 });
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    const anthropic = await startFakeAnthropic();
    try {
      await loadSampleCompany(db, { now: new Date() });
      anthropic.respondWith((request) => {
        const figures = String(request.messages[0]?.content);
        const accounts = [...figures.matchAll(/^([^:\n<>]+): T90 \$/gm)].map((match) => (match[1] ?? '').trim());
        return {
          text: JSON.stringify({ comments: accounts.map((account) => ({ account, comment: `Claude on ${account}: call the buyer about the trend.` })) }),
        };
      });
      const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
      const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host', llm }).context(new AbortController().signal, silent, {
        job: 'monthly-account-review',
        runId: 'claude-1',
      });
      const { result } = await runMonthlyAccountReview({
        ...context,
        connectors: createConnectors({ db, env: {} }),
        job: 'monthly-account-review',
        runId: 'claude-1',
        scheduledFor: new Date(),
        attempt: 1,
        manual: false,
        idempotencyKey: 'claude-1',
        lastRun: async () => null,
      } as never);
      expect(result.commented).toBe(7);
      expect(anthropic.requests.map((request) => request.model)).toEqual(['claude-sonnet-5-5']);
      expect(String(anthropic.requests[0]?.messages[0]?.content)).toMatch(/<data label="account figures">[\s\S]*Tidewater General Store: T90 \$7920/);
      const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%Top risks (4)%'`;
      expect(post?.text).toContain('Claude on Tidewater General Store: call the buyer about the trend.');
      expect(post?.text).not.toContain(OFFLINE_LABEL);
      const usage = await sql`select job, status, cost_usd::float8 as cost from llm_usage`;
      expect(usage.map((row) => [row['job'], row['status']])).toEqual([['monthly-account-review', 'settled']]);
      expect(Number(usage[0]?.['cost'])).toBeGreaterThan(0);
    } finally {
      await anthropic.close();
      await sql.end();
      await db.close();
      await database.drop();
    }
  }, 60_000);
});

// The sample's order history as Shopify B2B orders: tagged wholesale, the buying company's CRM id
// as externalId, a shorted line left unfulfilled.
function shopifyHistoryOrders(orders: readonly WholesaleHistoryOrder[]) {
  const money = (amount: number) => ({ shopMoney: { amount: amount.toFixed(2), currencyCode: 'USD' } });
  return orders.map((order, index) => ({
    id: `gid://shopify/Order/${8_800_000 + index}`,
    name: order.orderId,
    createdAt: `${order.orderedOn}T15:00:00Z`,
    cancelledAt: null,
    email: null,
    displayFinancialStatus: 'PAID',
    displayFulfillmentStatus: order.unitsShipped === order.unitsOrdered ? 'FULFILLED' : 'PARTIALLY_FULFILLED',
    customer: null,
    billingAddress: { countryCodeV2: 'US' },
    shippingAddress: null,
    totalPriceSet: money(order.amount),
    originalTotalPriceSet: money(order.amount),
    lineItems: {
      // The shortfall sits on the first line, as a warehouse short-ship would.
      nodes: order.lines.map((line, position) => ({
        sku: line.sku,
        quantity: line.units,
        currentQuantity: line.units,
        unfulfilledQuantity: position === 0 ? order.unitsOrdered - order.unitsShipped : 0,
        originalUnitPriceSet: money(order.amount / Math.max(1, order.unitsOrdered)),
      })),
    },
    risk: { assessments: [] },
    fulfillmentOrders: { nodes: [] },
    tags: ['wholesale'],
    purchasingEntity: { company: { id: `gid://shopify/Company/${order.accountId}`, name: order.accountName, externalId: order.accountId } },
  }));
}

describe('wholesale order history live on Shopify (B2B orders) at the fake Admin GraphQL API', () => {
  it('reads the same history as the sample, and the review finds the same accounts', async () => {
    const database = await freshDatabase();
    const db = createPostgresDb({ url: database.url, poolMax: 4 });
    try {
      await loadSampleCompany(db, { now: new Date() });
      const sample = createConnectors({ db, env: {} });
      const since = new Date(Date.now() - 455 * 86_400_000).toISOString().slice(0, 10);
      const history = await sample.wholesaleHistory.listOrdersSince(since);
      const shopify = await startFakeShopify({ seed: { orders: shopifyHistoryOrders(history) } });
      try {
        const live = createConnectors({
          db,
          env: { SHOPIFY_STORE_DOMAIN: shopify.storeDomain, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_API_BASE: shopify.url },
        });
        expect(live.wholesaleHistory.source).toBe('shopify');
        expect(await live.wholesaleHistory.listOrdersSince(since)).toEqual(history);
        expect(shopify.requests.some((request) => request.variables['query'] === `tag:wholesale created_at:>='${since}T00:00:00Z'`)).toBe(true);
        const today = localDay(new Date(), 'UTC');
        const flagged = async (connectors: typeof sample) =>
          (await reviewAccounts(connectors, today, SETTINGS)).filter((review) => review.reasons.length > 0).map((review) => [review.account, review.reasons]);
        expect(await flagged({ ...sample, wholesaleHistory: live.wholesaleHistory })).toEqual(PLANTED);
        await expect(live.wholesaleHistory.listOrdersSince('last year')).rejects.toThrow(/since must be YYYY-MM-DD/);
      } finally {
        await shopify.close();
      }
    } finally {
      await db.close();
      await database.drop();
    }
  }, 60_000);
});
