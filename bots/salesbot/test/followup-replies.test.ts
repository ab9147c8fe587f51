import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { findFollowUpStates, followupReplies, followupRepliesSettings, markDealsReplied, sendFollowUps } from '../src/index.js';
import { approveAndWait, liveConnectors, runSalesJob, startSampleHubSpot } from './sales-job-harness.js';

// The four re-engaged deals: two buyers replied, one silent past 5 business days, one inside the window.
const PLANTED = [
  ['18200340065', 'replied'],
  ['18200340104', 'replied'],
  ['18200340117', 'second_touch'],
  ['18200340169', 'waiting'],
];

describe('salesbot followup-replies', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const settings = followupRepliesSettings.load({});
  const list = (states: Awaited<ReturnType<typeof findFollowUpStates>>) => states.map((state) => [state.deal_id, state.state]).sort();

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

  it('is declared for weekdays at 12:00 and 16:00 with the catalogue window as its default', () => {
    expect(followupReplies.schedule).toBe('0 12,16 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('followup-replies');
    expect(settings.SALES_SECOND_TOUCH_BUSINESS_DAYS).toBe(5);
  });

  it('finds the 2 replies and the 1 follow-up past the second-touch line', async () => {
    expect(list(await findFollowUpStates({ connectors: createConnectors({ db, env: {} }) }, new Date(), settings))).toEqual(PLANTED);
  });

  it('finds the same through the live HubSpot connector (emails search + associations v4) at the fake', async () => {
    expect(list(await findFollowUpStates({ connectors: liveConnectors(db, hubspot) }, new Date(), settings))).toEqual(PLANTED);
  });

  it('finds nothing to do when no deal is waiting on a follow-up', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      const data: SampleCompanyData = structuredClone(readSampleCompanyData());
      (data.hubspot_activity as { reengaged_deals: string[] }).reengaged_deals = [];
      await loadSampleCompany(healthyDb, { data });
      expect(await findFollowUpStates({ connectors: createConnectors({ db: healthyDb, env: {} }) }, new Date(), settings)).toEqual([]);
      expect((await runSalesJob(healthyDb, followupReplies, { runId: 'healthy-1', manual: true })).outcome).toBe('nothing to report');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('asks mark_deals_replied for the two and one second touch; a rerun drafts nothing; approving marks the deals replied once', async () => {
    const first = await runSalesJob(db, followupReplies, { runId: 'replies-1' });
    expect(first.outcome).toBe('3 follow-up updates, posted; 1 second touch drafted');
    const [marking, secondTouch] = first.detail['approvals'] as string[];
    const mark = await getApproval(db, marking ?? '');
    expect(mark).toMatchObject({ action: 'mark_deals_replied', title: 'Mark 2 deals replied in the CRM' });
    const touch = await getApproval(db, secondTouch ?? '');
    expect(touch).toMatchObject({ action: 'send_followups' });
    expect(sendFollowUps.draft.parse(touch?.draft).emails[0]).toMatchObject({ deal_id: '18200340117', subject: expect.stringMatching(/^Re: /) });
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%need a second touch%'`;
    expect(post?.text).toContain('no reply 5 business days after the follow-up: second touch drafted');
    const again = await runSalesJob(db, followupReplies, { runId: 'replies-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.detail['drafts']).toBe(0);
    expect(again.detail['approvals']).toEqual(first.detail['approvals']);

    const done = await approveAndWait(db, marking ?? '');
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const statuses = await sql<Array<{ id: string; status: string }>>`
      select id, properties ->> 'jbot_status' as status from sample_deals where id in ('18200340065', '18200340104', '18200340117') order by id`;
    expect(statuses.map((row) => row.status)).toEqual(['replied', 'replied', 're-engaged']);
    expect((done.result as { deals: unknown[] }).deals).toHaveLength(2);
    // Marked replied: the next check no longer lists them.
    expect(list(await findFollowUpStates({ connectors: createConnectors({ db, env: {} }) }, new Date(), settings))).toEqual(PLANTED.slice(2));
    expect(markDealsReplied.name).toBe('mark_deals_replied');
  });
});
