import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { accountOnboarding, accountOnboardingSettings, dealClosedWon, findOnboarding, sendOnboardingPack } from '../src/index.js';
import { approveAndWait, executionContext, liveConnectors, runSalesJob, startSampleHubSpot } from './sales-job-harness.js';

const NORTHBOUND = '18200340078';

describe('salesbot account-onboarding', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const settings = accountOnboardingSettings.load({});
  const summary = (findings: Awaited<ReturnType<typeof findOnboarding>>) =>
    findings.map((finding) => [finding.account, finding.newly_won, finding.open_items.length, finding.milestone_days]);

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

  it('is declared for weekdays at 10:15 with the catalogue reminder days as its default; a bad list stops start-up', () => {
    expect(accountOnboarding.schedule).toBe('15 10 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('account-onboarding');
    expect(settings.SALES_ONBOARDING_NUDGE_DAYS).toEqual([3, 7, 14]);
    expect(() => accountOnboardingSettings.load({ SALES_ONBOARDING_NUDGE_DAYS: '3,soon' })).toThrow(/SALES_ONBOARDING_NUDGE_DAYS/);
  });

  it('finds the deal won yesterday with its whole checklist open; Lakeside Living (complete) needs nothing', async () => {
    expect(summary(await findOnboarding({ connectors: createConnectors({ db, env: {} }) }, new Date(), settings))).toEqual([
      ['Northbound Outfitters', true, 4, 0],
    ]);
  });

  it('finds the same through the live HubSpot connector (deal → company association v4, company batch read) at the fake', async () => {
    expect(summary(await findOnboarding({ connectors: liveConnectors(db, hubspot) }, new Date(), settings))).toEqual([['Northbound Outfitters', true, 4, 0]]);
    expect(hubspot.requests.some((request) => request.path === '/crm/v4/associations/deals/companies/batch/read')).toBe(true);
  });

  it('reminds on day 14 when an older win still has items open, and finds nothing once every checklist is complete', async () => {
    const variant = async (edit: (rows: Array<Record<string, unknown>>) => void) => {
      const data: SampleCompanyData = structuredClone(readSampleCompanyData());
      edit((data.hubspot_activity as { onboarding: Array<Record<string, unknown>> }).onboarding);
      const other = await freshDatabase();
      const otherDb = createPostgresDb({ url: other.url, poolMax: 2 });
      try {
        await loadSampleCompany(otherDb, { data });
        return summary(await findOnboarding({ connectors: createConnectors({ db: otherDb, env: {} }) }, new Date(), settings));
      } finally {
        await otherDb.close();
        await other.drop();
      }
    };
    expect(
      await variant((rows) => {
        for (const row of rows) if (row['account_id'] === '90412119') row['first_po'] = false;
      }),
    ).toEqual([
      ['Northbound Outfitters', true, 4, 0],
      ['Lakeside Living', false, 1, 14],
    ]);
    // Healthy: Northbound's setup done too — tracked (newly won) but nothing to send.
    expect(
      await variant((rows) => {
        for (const row of rows) Object.assign(row, { credit_application: true, resale_certificate: true, item_setup: true, first_po: true });
      }),
    ).toEqual([['Northbound Outfitters', true, 0, null]]);
  });

  it('raises deal_closed_won once with the opening-order SKUs, posts the tracker and asks for the welcome pack once', async () => {
    const first = await runSalesJob(db, accountOnboarding, { runId: 'onboarding-1' });
    expect(first.outcome).toBe('1 onboarding account, posted; deal_closed_won ×1');
    const [signal] = await sql<Array<{ signal_type: string; severity: string; payload: unknown }>>`
      select signal_type, severity, payload from bot_signals where id = ${(first.detail['signals'] as string[])[0] ?? ''}`;
    expect(signal).toMatchObject({ signal_type: 'deal_closed_won', severity: 'info' });
    const payload = dealClosedWon.schema.parse(signal?.payload);
    expect(payload).toMatchObject({ deal_id: NORTHBOUND, account_id: '90412028', account: 'Northbound Outfitters', amount: 21500 });
    expect(payload.skus.map((line) => line.sku)).toEqual(['KC-101', 'KC-102']);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%Northbound Outfitters** — won%'`;
    expect(post?.text).toContain('open: credit application, W-9 / resale certificate, item setup, first PO → welcome pack drafted');
    const approval = await getApproval(db, (first.detail['approvals'] as string[])[0] ?? '');
    expect(approval).toMatchObject({ action: 'send_onboarding_pack', status: 'pending', title: 'Send the welcome pack to Northbound Outfitters' });

    const again = await runSalesJob(db, accountOnboarding, { runId: 'onboarding-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.outcome).toBe('1 onboarding account, unchanged since the last run (not reposted); deal_closed_won ×1');
    expect(again.detail['signals']).toEqual(first.detail['signals']);
    expect(again.detail['approvals']).toEqual(first.detail['approvals']);
    expect(await sql`select 1 from bot_signals where signal_type = 'deal_closed_won'`).toHaveLength(1);
  });

  it('approving sends the welcome pack once to the buyer, logged on the deal; the executor again sends nothing', async () => {
    const [approvalId] = (await runSalesJob(db, accountOnboarding, { runId: 'onboarding-3', manual: true })).detail['approvals'] as string[];
    const done = await approveAndWait(db, approvalId ?? '');
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const emails = await sql<Array<{ to_email: string; subject: string }>>`select to_email, subject from sample_emails where deal_id = ${NORTHBOUND}`;
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toBe('Welcome to Harbor & Pine — vendor setup for Northbound Outfitters');
    const approval = await getApproval(db, approvalId ?? '');
    const rerun = await sendOnboardingPack.execute(
      sendOnboardingPack.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), approvalId ?? ''),
      approval as never,
    );
    expect(rerun.sent_now).toBe(false);
    expect(await sql`select 1 from sample_emails where deal_id = ${NORTHBOUND}`).toHaveLength(1);
  });
});
