import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { freightDelay } from '@jbot/opsbot/signals';
import {
  buildBotServices,
  catalogSignalTypes,
  createPostgresDb,
  SignalRegistry,
  decideApproval,
  getApproval,
  startBot,
  type Db,
  type RunningBot,
} from '@jbot/core';
import { createConnectors, hubspotObjectsFromSample, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeHubSpot, testBotConfig, waitFor, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { createHygieneTasks, staleDeals, dealHygiene, dealHygieneSettings, findDealDefects, localDay } from '../src/index.js';
import { salesbot } from '../src/bot.js';

const silent = pino({ level: 'silent' });

// The catalogue's 6 planted defects in the sample pipeline, in report order (owner, then ≥ $10k first).
const PLANTED = [
  ['Daniel Reyes', 'Bramble & Bloom Boutique — Fall reset (Driftwood Candle Co.)', 'no_next_step'],
  ['Daniel Reyes', 'Cobblestone Kitchen Supply — Subscription shelf (Trailhead Coffee Roasters)', 'closed_lost_no_reason'],
  ['Maya Okafor', 'Salt & Stone Apothecary — Spring reorder (Driftwood Candle Co.)', 'past_close_date'],
  ['Maya Okafor', 'Harbor Lights Gifts — Subscription shelf (Trailhead Coffee Roasters)', 'past_close_date'],
  ['Maya Okafor', 'Marigold Spa & Wellness — Endcap program (Saltmarsh Apothecary)', 'no_amount'],
  ['Unassigned', 'Meadowlark Gift Co. — Fall reset (Kettle & Crumb)', 'no_owner'],
];

// The same company with every planted defect repaired: nothing to find.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const hubspot = data.hubspot as { deals: Array<Record<string, unknown>> };
  for (const deal of hubspot.deals) {
    if (deal['stage'] === 'closedwon') continue;
    if (deal['stage'] === 'closedlost') deal['closed_lost_reason'] ??= 'Chose a competing brand';
    else {
      deal['next_step'] ??= 'Call the buyer';
      deal['amount'] ??= 5000;
      deal['owner_id'] ??= '71820011';
      if (typeof deal['close_in_days'] === 'number' && deal['close_in_days'] < 0) deal['close_in_days'] = 14;
    }
  }
  return data;
}

describe('salesbot deal-hygiene', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), new Date());
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
  });
  afterAll(async () => {
    await hubspot?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const today = () => localDay(new Date(), 'UTC');
  const run = async (runId: string, manual: boolean, lastFingerprint: string | null) => {
    const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, {
      job: 'deal-hygiene',
      runId,
    });
    return (await dealHygiene.run({
      ...context,
      connectors: createConnectors({ db, env: {} }),
      config: dealHygieneSettings.load({}),
      job: 'deal-hygiene',
      runId,
      scheduledFor: new Date(),
      attempt: 1,
      manual,
      idempotencyKey: runId,
      lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
    })) as { outcome: string; fingerprint: string; detail: { findings: number; posted: boolean; approvalId: string | null } };
  };

  it('is declared on salesbot for weekdays at 08:50 with the catalogue threshold as its default', () => {
    expect(dealHygiene.schedule).toBe('50 8 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('deal-hygiene');
    expect(dealHygieneSettings.load({}).SALES_HYGIENE_LARGE_DEAL_USD).toBe(10_000);
  });

  it('finds the 6 planted defects, one line each, grouped by owner with deals of $10k or more first', async () => {
    const defects = await findDealDefects(createConnectors({ db, env: {} }), today(), 10_000);
    expect(defects.map((defect) => [defect.owner, defect.deal, defect.kind])).toEqual(PLANTED);
  });

  it('finds the same defects through the live HubSpot connector at the fake', async () => {
    const live = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    const defects = await findDealDefects(live, today(), 10_000);
    expect(defects.map((defect) => [defect.owner, defect.deal, defect.kind])).toEqual(PLANTED);
  });

  it('finds nothing on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant() });
      expect(await findDealDefects(createConnectors({ db: healthyDb, env: {} }), today(), 10_000)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the per-owner list and asks create_hygiene_tasks; an unchanged set is not reposted nor asked again', async () => {
    const first = await run('hygiene-1', false, null);
    expect(first.detail).toMatchObject({ findings: 6, posted: true });
    expect(first.outcome).toBe('6 deal defects, posted; create_hygiene_tasks asked');
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%Deal hygiene: 6 defects%'`;
    expect(posts).toHaveLength(1);
    const text = posts[0]?.text ?? '';
    expect(text).toContain('**Maya Okafor**');
    expect(text).toContain('• Salt & Stone Apothecary — Spring reorder (Driftwood Candle Co.) ($11,200): close date');
    expect(text.indexOf('Salt & Stone')).toBeLessThan(text.indexOf('Harbor Lights Gifts — Subscription shelf'));
    expect(text.indexOf('**Unassigned**')).toBeGreaterThan(text.indexOf('**Maya Okafor**'));

    const approval = await getApproval(db, first.detail.approvalId ?? '');
    expect(approval).toMatchObject({
      action: 'create_hygiene_tasks',
      status: 'pending',
      bot: 'salesbot',
      title: 'Create 6 HubSpot hygiene tasks for 2 owners and 1 unassigned',
    });
    expect((approval?.draft as { tasks: unknown[] }).tasks).toHaveLength(6);

    const again = await run('hygiene-2', false, first.fingerprint);
    expect(again.outcome).toBe('6 deal defects, unchanged since the last run (not reposted); create_hygiene_tasks already asked');
    expect(again.detail.approvalId).toBe(first.detail.approvalId);
    expect((await sql`select 1 from channel_messages where bot = 'salesbot' and text like '%Deal hygiene: 6 defects%'`).length).toBe(1);
  });

  it('approving creates each task once in the sample CRM; running the executor again creates none', async () => {
    const first = await run('hygiene-3', true, null);
    const approvalId = first.detail.approvalId ?? '';
    const bot: RunningBot = await startBot(salesbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: new SignalRegistry([...catalogSignalTypes, staleDeals, freightDelay]),
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
    try {
      expect((await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);
      const done = await waitFor(
        async () => {
          const approval = await getApproval(db, approvalId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'create_hygiene_tasks to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    // The sample company's own tasks (overdue-tasks reads them) carry no key: count the approval's.
    const approvalTasks = async () => (await db.rpc('sample_crm_list_tasks')).filter((task) => task['idempotency_key'] !== null);
    const tasks = await approvalTasks();
    expect(tasks).toHaveLength(6);
    expect(tasks.map((task) => task['idempotency_key']).every((key) => String(key).startsWith(`approval:${approvalId}:task:`))).toBe(true);
    expect(tasks.find((task) => String(task['subject']).startsWith('Assign an owner'))?.['owner_id']).toBeNull();

    // The executor again under the same approval key (a retry, a second host): nothing new.
    const approval = await getApproval(db, approvalId);
    const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const rerun = await createHygieneTasks.execute(
      createHygieneTasks.draft.parse(approval?.draft),
      { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` },
      approval as never,
    );
    expect(rerun.tasks.filter((task) => task.created_now)).toEqual([]);
    expect(await approvalTasks()).toHaveLength(6);
  });

  it('creates each task once at the fake HubSpot, associated with its deal, across a retry', async () => {
    const live = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    const defects = await findDealDefects(live, today(), 10_000);
    const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const draft = createHygieneTasks.draft.parse({
      due_at: new Date(Date.now() + 86_400_000).toISOString(),
      tasks: defects.map((defect) => ({ ...defect, subject: `Fix: ${defect.deal}`, body: defect.detail })),
    });
    const execution = { ...context, connectors: live, approvalId: 'live-1', idempotencyKey: 'approval:live-1' };
    const first = await createHygieneTasks.execute(draft, execution, {} as never);
    expect(first.tasks.every((task) => task.created_now)).toBe(true);
    const again = await createHygieneTasks.execute(draft, execution, {} as never);
    expect(again.tasks.some((task) => task.created_now)).toBe(false);
    const tasks = hubspot.tasksCreated();
    expect(tasks).toHaveLength(6);
    expect(tasks.map((task) => task.associations['deals']?.[0]).sort()).toEqual(defects.map((defect) => defect.deal_id).sort());
    expect(tasks.every((task) => task.properties['hs_timestamp'] !== undefined && task.properties['hs_task_status'] === 'NOT_STARTED')).toBe(true);
    const unowned = tasks.find((task) => task.associations['deals']?.[0] === defects.find((defect) => defect.kind === 'no_owner')?.deal_id);
    expect(unowned?.properties['hubspot_owner_id']).toBeUndefined();
    expect(tasks.filter((task) => task.properties['hubspot_owner_id'] === '71820011')).toHaveLength(3);
  });
});
