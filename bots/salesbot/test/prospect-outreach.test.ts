import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { prospectOutreach, prospectOutreachSettings, scoreProspects, sendOutreach } from '../src/index.js';
import { approveAndWait, executionContext, liveConnectors, runSalesJob, startSampleHubSpot } from './sales-job-harness.js';

// Today's five: ICP score (segment fit + distribution), ties to more stores.
const PLANTED = [
  ['Ironwood Hardware & Home', 70],
  ['Sagebrush Supply', 65],
  ['Birch Hollow Market', 60],
  ['Dune Grass Gifts', 55],
  ['Driftless Co-op', 55],
];

describe('salesbot prospect-outreach', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const settings = prospectOutreachSettings.load({});
  const rules = {
    minStores: settings.SALES_ICP_MIN_STORES,
    maxStores: settings.SALES_ICP_MAX_STORES,
    distributionStates: settings.SALES_DISTRIBUTION_STATES,
    contactGapDays: settings.SALES_OUTREACH_CONTACT_GAP_DAYS,
  };
  const pick = async (connectors: ReturnType<typeof createConnectors>, now = new Date()) => {
    const { crm } = connectors;
    const routing = { owners: await crm.listOwners(), teams: await crm.listOwnerTeams(), territories: await crm.listTerritories() };
    return scoreProspects(await crm.listProspects(), rules, now, new Set(), routing)
      .slice(0, 5)
      .map((scored) => [scored.prospect.name, scored.score]);
  };

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

  it('is declared for weekdays at 10:30 with the catalogue limits as defaults', () => {
    expect(prospectOutreach.schedule).toBe('30 10 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('prospect-outreach');
    expect(settings).toMatchObject({ SALES_OUTREACH_PER_DAY: 5, SALES_OUTREACH_CONTACT_GAP_DAYS: 90, SALES_ICP_MIN_STORES: 3, SALES_ICP_MAX_STORES: 200 });
  });

  it('picks the five best-fitting target retailers; recently contacted, suppressed, with an open deal or outside 3–200 stores are left out', async () => {
    expect(await pick(createConnectors({ db, env: {} }))).toEqual(PLANTED);
  });

  it('picks the same through the live HubSpot connector (target-account companies search, buyers via associations v4)', async () => {
    expect(await pick(liveConnectors(db, hubspot))).toEqual(PLANTED);
  });

  it('picks nobody when every target was contacted within 90 days', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      const data: SampleCompanyData = structuredClone(readSampleCompanyData());
      for (const prospect of (data.hubspot_activity as { prospects: Array<Record<string, unknown>> }).prospects) prospect['last_contacted_days_ago'] = 10;
      await loadSampleCompany(healthyDb, { data });
      expect(await pick(createConnectors({ db: healthyDb, env: {} }))).toEqual([]);
      expect((await runSalesJob(healthyDb, prospectOutreach, { runId: 'healthy-1', manual: true })).outcome).toBe('nothing to report');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('asks one send_outreach with five drafts; a rerun the same day drafts nothing', async () => {
    const first = await runSalesJob(db, prospectOutreach, { runId: 'outreach-1' });
    expect(first.outcome).toBe('5 target retailers, posted; send_outreach asked');
    const approval = await getApproval(db, String(first.detail['approvalId']));
    const draft = sendOutreach.draft.parse(approval?.draft);
    expect(draft.emails.map((email) => email.company)).toEqual(PLANTED.map((row) => row[0]));
    expect(draft.emails[0]).toMatchObject({ owner: 'Daniel Reyes', to: expect.stringMatching(/@ironwoodhardwarehome\.com$/) });
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%intro emails drafted%'`;
    expect(post?.text).toContain('**Ironwood Hardware & Home** (VA, gift, 5 stores) — ICP 70, Daniel Reyes writes to');
    const again = await runSalesJob(db, prospectOutreach, { runId: 'outreach-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.outcome).toBe('5 target retailers, unchanged since the last run (not reposted); send_outreach already asked today');
    expect(again.detail['approvalId']).toBe(first.detail['approvalId']);
  });

  it('approving sends each intro once and marks the companies contacted, so the next picks move on', async () => {
    const approvalId = String((await runSalesJob(db, prospectOutreach, { runId: 'outreach-3', manual: true })).detail['approvalId']);
    const done = await approveAndWait(db, approvalId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    expect(await sql`select 1 from sample_engagements where idempotency_key like ${`approval:${approvalId}:email:%`}`).toHaveLength(5);
    const approval = await getApproval(db, approvalId);
    const rerun = await sendOutreach.execute(
      sendOutreach.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), approvalId),
      approval as never,
    );
    expect(rerun.emails.filter((email) => email.sent_now)).toEqual([]);
    expect((await pick(createConnectors({ db, env: {} }))).map((row) => row[0])).toEqual([
      'Everly Home Goods',
      'Larkspur Apothecary',
      'Yarrow Wellness',
      'Valley Fresh Foods',
      'Nettle & Thyme',
    ]);
  });

  it('at the fake HubSpot: one email per company, associated with the company and its buyer, and the company then counts as contacted', async () => {
    const live = liveConnectors(db, hubspot);
    const approval = await getApproval(db, String((await runSalesJob(db, prospectOutreach, { runId: 'outreach-4', manual: true })).detail['approvalId']));
    // The buyer's HubSpot contact id comes from the live read (the sample CRM has none).
    const buyers = new Map((await live.crm.listProspects()).map((prospect) => [prospect.id, prospect.buyer?.contactId ?? null]));
    const sampleDraft = sendOutreach.draft.parse(approval?.draft);
    const draft = { emails: sampleDraft.emails.map((email) => ({ ...email, contact_id: buyers.get(email.prospect_id) ?? null })) };
    const execution = executionContext(db, live, 'live-outreach');
    await sendOutreach.execute(draft, execution, {} as never);
    await sendOutreach.execute(draft, execution, {} as never);
    const emails = hubspot.emailsCreated().filter((email) => (email.associations['companies'] ?? []).length > 0);
    expect(emails).toHaveLength(5);
    expect(emails[0]?.associations['contacts']).toEqual([`${draft.emails[0]?.prospect_id}1`]);
    expect((await pick(live)).map((row) => row[0])).not.toContain('Ironwood Hardware & Home');
  });
});
