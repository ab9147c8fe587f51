import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { findQuoteFollowUps, quoteExpiry, quoteExpirySettings, sendQuoteFollowUps } from '../src/index.js';
import { approveAndWait, executionContext, liveConnectors, runSalesJob, startSampleHubSpot } from './sales-job-harness.js';

// 2 expiring (soonest first) and 1 silent; the answered ones, the fresh ones and the one on a won deal are left out.
const PLANTED = [
  ['3310001', 'expiring', 2],
  ['3310002', 'expiring', 3],
  ['3310003', 'silent', 24],
];

describe('salesbot quote-expiry', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const settings = quoteExpirySettings.load({});
  const list = (findings: Awaited<ReturnType<typeof findQuoteFollowUps>>) =>
    findings.map((finding) => [finding.quote_id, finding.reason, finding.days_to_expiry]);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    hubspot = await startSampleHubSpot();
  });
  afterAll(async () => {
    await hubspot?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for weekdays at 11:00 with the catalogue thresholds as defaults', () => {
    expect(quoteExpiry.schedule).toBe('0 11 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('quote-expiry');
    expect(settings).toMatchObject({ SALES_QUOTE_EXPIRY_DAYS: 3, SALES_QUOTE_SILENT_BUSINESS_DAYS: 5 });
  });

  it('finds the 2 expiring quotes and the silent one', async () => {
    expect(list(await findQuoteFollowUps({ connectors: createConnectors({ db, env: {} }) }, new Date(), settings))).toEqual(PLANTED);
  });

  it('finds the same through the live HubSpot connector (quotes search, inbound emails, associations v4) at the fake', async () => {
    expect(list(await findQuoteFollowUps({ connectors: liveConnectors(db, hubspot) }, new Date(), settings))).toEqual(PLANTED);
    expect(hubspot.requests.some((request) => request.path === '/crm/v4/associations/quotes/deals/batch/read')).toBe(true);
  });

  it('finds nothing when the quotes run longer and the silent buyer has answered', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      const data: SampleCompanyData = structuredClone(readSampleCompanyData());
      const activity = data.hubspot_activity as { quotes: Array<{ expires_in_days: number; sent_weekdays_ago: number }> };
      for (const quote of activity.quotes) {
        quote.expires_in_days = Math.max(quote.expires_in_days, 10);
        quote.sent_weekdays_ago = Math.min(quote.sent_weekdays_ago, 3);
      }
      await loadSampleCompany(healthyDb, { data });
      expect(await findQuoteFollowUps({ connectors: createConnectors({ db: healthyDb, env: {} }) }, new Date(), settings)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the list and asks one send_quote_followups per quote; a rerun drafts nothing', async () => {
    const first = await runSalesJob(db, quoteExpiry, { runId: 'quotes-1' });
    expect(first.outcome).toBe('3 stalled quotes, posted; 3 send_quote_followups asked');
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%Quotes: 3 to follow up%'`;
    expect(post?.text).toMatch(
      /🔇 \*\*Quote — Riverbend Hardware & Home — Holiday program \(Saltmarsh Apothecary\)\*\* sent \d{4}-\d{2}-\d{2}, 5 business days without a reply/,
    );
    const approval = await getApproval(db, (first.detail['approvals'] as string[])[0] ?? '');
    expect(approval).toMatchObject({ action: 'send_quote_followups', status: 'pending' });
    expect(sendQuoteFollowUps.draft.parse(approval?.draft)).toMatchObject({ quote_id: '3310001', reason: 'expiring', deal_id: '18200340468' });
    const again = await runSalesJob(db, quoteExpiry, { runId: 'quotes-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.outcome).toBe('3 stalled quotes, unchanged since the last run (not reposted)');
    expect(again.detail['drafts']).toBe(0);
  });

  it('approving sends the follow-up once, logged on the deal; the executor again sends nothing', async () => {
    const approvalId = ((await runSalesJob(db, quoteExpiry, { runId: 'quotes-3', manual: true })).detail['approvals'] as string[])[2] ?? '';
    const done = await approveAndWait(db, approvalId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    expect(await sql`select 1 from sample_emails where deal_id = '18200340273'`).toHaveLength(1);
    const approval = await getApproval(db, approvalId);
    const rerun = await sendQuoteFollowUps.execute(
      sendQuoteFollowUps.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), approvalId),
      approval as never,
    );
    expect(rerun.sent_now).toBe(false);
    expect(await sql`select 1 from sample_emails where deal_id = '18200340273'`).toHaveLength(1);
  });
});
