import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { businessDaysOverdue, findOverdueTasks, overdueTasks, overdueTasksSettings } from '../src/index.js';
import { liveConnectors, runSalesJob, startSampleHubSpot } from './sales-job-harness.js';

// The 9 planted overdue tasks: per rep, late-stage deals first, then oldest: [rep, deal, business days overdue].
const PLANTED = [
  ['Maya Okafor', '18200340533', 6],
  ['Maya Okafor', '18200340013', 9],
  ['Maya Okafor', '18200340416', 7],
  ['Maya Okafor', '18200340091', 3],
  ['Priya Natarajan', '18200340468', 3],
  ['Priya Natarajan', '18200340637', 4],
  ['Tom Lindqvist', '18200340260', 4],
  ['Tom Lindqvist', '18200340299', 12],
  ['Tom Lindqvist', '18200340182', 5],
];

describe('salesbot overdue-tasks', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const list = (tasks: Awaited<ReturnType<typeof findOverdueTasks>>) => tasks.map((task) => [task.owner, task.deal_id, task.business_days_overdue]);

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

  it('is declared for weekdays at 09:00 with the catalogue threshold as its default', () => {
    expect(overdueTasks.schedule).toBe('0 9 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('overdue-tasks');
    expect(overdueTasksSettings.load({}).SALES_TASK_OVERDUE_BUSINESS_DAYS).toBe(2);
  });

  it('counts business days, not calendar days: a task due Thursday is one day overdue on Monday; a weekend adds nothing', () => {
    expect(businessDaysOverdue('2026-12-03', '2026-12-07')).toBe(1);
    expect(businessDaysOverdue('2026-11-30', '2026-12-05')).toBe(4);
    expect(businessDaysOverdue('2026-11-30', '2026-12-07')).toBe(4);
  });

  it('lists the 9 planted overdue tasks per rep, late-stage deals first; tasks 1–2 business days late and completed ones are left out', async () => {
    const tasks = await findOverdueTasks({ connectors: createConnectors({ db, env: {} }) }, new Date(), 2, 'UTC');
    expect(list(tasks)).toEqual(PLANTED);
    expect(tasks.filter((task) => task.late_stage).map((task) => task.deal_id)).toEqual(['18200340533', '18200340468', '18200340260']);
  });

  it('finds the same through the live HubSpot connector (tasks search + associations v4 to deals) at the fake', async () => {
    const tasks = await findOverdueTasks({ connectors: liveConnectors(db, hubspot) }, new Date(), 2, 'UTC');
    expect(list(tasks)).toEqual(PLANTED);
    expect(hubspot.requests.some((request) => request.path === '/crm/v4/associations/tasks/deals/batch/read')).toBe(true);
  });

  it('finds nothing when the overdue tasks are done', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      const data: SampleCompanyData = structuredClone(readSampleCompanyData());
      for (const task of (data.hubspot_activity as { tasks: Array<{ due_weekdays_ago: number; status: string }> }).tasks)
        if (task.due_weekdays_ago > 3) task.status = 'COMPLETED';
      await loadSampleCompany(healthyDb, { data });
      expect(await findOverdueTasks({ connectors: createConnectors({ db: healthyDb, env: {} }) }, new Date(), 2, 'UTC')).toEqual([]);
      const result = await runSalesJob(healthyDb, overdueTasks, { runId: 'healthy-1', manual: true });
      expect(result.outcome).toBe('nothing to report');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts one mention per rep and a bot_note for the digest; an unchanged list is not reposted', async () => {
    const first = await runSalesJob(db, overdueTasks, { runId: 'tasks-1' });
    expect(first.outcome).toBe('9 overdue tasks, posted');
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%business days overdue%'`;
    expect(post?.text).toContain('**@Maya Okafor** — 4 overdue');
    expect(post?.text).toMatch(
      /• 🔥 .*Fieldstone Market — Holiday program \(Saltmarsh Apothecary\) \(Contract sent\) — due \d{4}-\d{2}-\d{2}, 6 business days overdue/,
    );
    const [note] = await sql<Array<{ severity: string; payload: { detail: { kind: string; tasks: unknown[] } } }>>`
      select severity, payload from bot_signals where id = ${String(first.detail['noteId'])}`;
    expect(note?.severity).toBe('info');
    expect(note?.payload.detail.kind).toBe('overdue_tasks');
    expect(note?.payload.detail.tasks).toHaveLength(9);
    const again = await runSalesJob(db, overdueTasks, { runId: 'tasks-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.outcome).toBe('9 overdue tasks, unchanged since the last run (not reposted)');
  });
});
