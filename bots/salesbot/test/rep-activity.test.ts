import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { findRepActivity, repActivity, repActivitySettings } from '../src/index.js';
import { liveConnectors, runSalesJob, startSampleHubSpot } from './sales-job-harness.js';

// Yesterday per rep, lowest first: [rep, calls, emails, meetings, total, previous business day, low two days running].
const PLANTED = [
  ['Tom Lindqvist', 2, 2, 1, 5, 6, true],
  ['Daniel Reyes', 3, 2, 1, 6, 17, false],
  ['Maya Okafor', 8, 7, 2, 17, 18, false],
  ['Priya Natarajan', 9, 8, 2, 19, 19, false],
];

describe('salesbot rep-activity', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const settings = repActivitySettings.load({});
  const table = (rows: Awaited<ReturnType<typeof findRepActivity>>) =>
    rows.map((row) => [row.owner, row.calls, row.emails, row.meetings, row.total, row.previous_total, row.low_two_days]);

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

  it('is declared for weekdays at 08:45 with the catalogue target as its default', () => {
    expect(repActivity.schedule).toBe('45 8 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('rep-activity');
    expect(settings).toMatchObject({ SALES_REP_DAILY_TOUCH_TARGET: 15, SALES_REP_LOW_ACTIVITY_PCT: 50 });
  });

  it('counts yesterday per rep and flags the rep under half the target two weekdays running (not the one slow day)', async () => {
    expect(table(await findRepActivity({ connectors: createConnectors({ db, env: {} }) }, new Date(), settings))).toEqual(PLANTED);
  });

  it('counts the same through the live HubSpot connector (calls, emails, meetings search) at the fake', async () => {
    expect(table(await findRepActivity({ connectors: liveConnectors(db, hubspot) }, new Date(), settings))).toEqual(PLANTED);
    const searched = hubspot.requests
      .filter((request) => /\/crm\/v3\/objects\/(calls|emails|meetings)\/search$/.test(request.path))
      .map((request) => request.path);
    expect(new Set(searched)).toEqual(new Set(['/crm/v3/objects/calls/search', '/crm/v3/objects/emails/search', '/crm/v3/objects/meetings/search']));
  });

  it('flags nobody when every rep kept pace', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      const data: SampleCompanyData = structuredClone(readSampleCompanyData());
      for (const day of (data.hubspot_activity as { activity_days: Array<{ calls: number }> }).activity_days) day.calls = Math.max(day.calls, 12);
      await loadSampleCompany(healthyDb, { data });
      const rows = await findRepActivity({ connectors: createConnectors({ db: healthyDb, env: {} }) }, new Date(), settings);
      expect(rows.filter((row) => row.low_two_days)).toEqual([]);
      const result = await runSalesJob(healthyDb, repActivity, { runId: 'healthy-1' });
      expect(result.detail['noteId']).toBeNull();
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the table and a bot_note for the sales manager; an unchanged table is not reposted', async () => {
    const first = await runSalesJob(db, repActivity, { runId: 'rep-1' });
    expect(first.outcome).toBe('4 active reps, posted; bot_note to the sales manager');
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%touches a day%'`;
    expect(post?.text).toMatch(/Tom Lindqvist\s+2\s+2\s+1\s+5\s+33% {2}⚠ low 2 days/);
    expect(post?.text).toContain('Sales manager: Tom Lindqvist (6 then 5) under half the target two weekdays running.');
    const [note] = await sql<Array<{ signal_type: string; severity: string; payload: { detail: { kind: string; reps: Array<{ owner: string }> } } }>>`
      select signal_type, severity, payload from bot_signals where id = ${String(first.detail['noteId'])}`;
    expect(note).toMatchObject({ signal_type: 'bot_note', severity: 'info' });
    expect(note?.payload.detail).toMatchObject({ kind: 'rep_activity', reps: [{ owner: 'Tom Lindqvist' }] });
    const again = await runSalesJob(db, repActivity, { runId: 'rep-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.outcome).toBe('4 active reps, unchanged since the last run (not reposted); bot_note to the sales manager');
    expect(again.detail['noteId']).toBe(first.detail['noteId']);
    expect(await sql`select 1 from channel_messages where bot = 'salesbot' and text like '%touches a day%'`).toHaveLength(1);
  });
});
