import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { assignLeadAndReply, inboundLeadRouter, inboundLeadRouterSettings, routeLeads } from '../src/index.js';
import { approveAndWait, executionContext, liveConnectors, runSalesJob, startSampleHubSpot } from './sales-job-harness.js';

// The catalogue's 4 planted inquiries, oldest first: lead, rep, flagged.
const PLANTED = [
  ['Sam Ortiz', 'Tom Lindqvist', false],
  ['Jenna Walsh', 'Daniel Reyes', true],
  ['Olivia Park', 'Maya Okafor', false],
  ['Marcus Hill', 'Priya Natarajan', false],
];

describe('salesbot inbound-lead-router', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;

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

  const routesOn = async (connectors: ReturnType<typeof createConnectors>) => {
    const { crm } = connectors;
    const leads = await crm.listLeads({ since: new Date(Date.now() - 7 * 86_400_000) });
    const routes = routeLeads(leads, await crm.listOwners(), await crm.listOwnerTeams(), await crm.listTerritories(), new Date(), 15);
    return routes.map((route) => [`${route.lead.firstName} ${route.lead.lastName}`, `${route.owner.firstName} ${route.owner.lastName}`, route.flag !== null]);
  };

  it('is declared every 15 minutes 08–17 on weekdays with the catalogue threshold as its default', () => {
    expect(inboundLeadRouter.schedule).toBe('*/15 8-17 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('inbound-lead-router');
    expect(inboundLeadRouterSettings.load({}).SALES_LEAD_ROUTE_AFTER_MINUTES).toBe(15);
    expect(() => inboundLeadRouterSettings.load({ SALES_LEAD_ROUTE_AFTER_MINUTES: 'soon' })).toThrow(/SALES_LEAD_ROUTE_AFTER_MINUTES/);
  });

  it('routes the 4 waiting inquiries by territory and flags the free-mail one; the 5-minute-old and assigned leads wait', async () => {
    expect(await routesOn(createConnectors({ db, env: {} }))).toEqual(PLANTED);
  });

  it('routes the same leads through the live HubSpot connector at the fake (contacts search, owner teams)', async () => {
    // HubSpot keeps no territory table, so the live router spreads over every owner; the teams come from the owners API.
    const live = liveConnectors(db, hubspot);
    expect((await live.crm.listOwnerTeams()).find((row) => row.ownerId === '71820013')?.team).toBe('Key Accounts');
    const leads = await live.crm.listLeads({ since: new Date(Date.now() - 7 * 86_400_000) });
    expect(leads.filter((lead) => lead.ownerId === null).map((lead) => lead.lastName)).toEqual(['Ortiz', 'Walsh', 'Park', 'Hill', 'Chen']);
    expect(leads.find((lead) => lead.lastName === 'Hill')).toMatchObject({ state: 'OH', segment: 'distributor', storeCount: 120 });
    const routed = await routesOn(live);
    // Fewest leads first (Priya holds none yet), ties to the lowest owner id.
    expect(routed.map((route) => route[1])).toEqual(['Priya Natarajan', 'Maya Okafor', 'Daniel Reyes', 'Priya Natarajan']);
    expect(routed.map((route) => route[0])).toEqual(PLANTED.map((route) => route[0]));
  });

  it('finds nothing when every waiting lead has an owner', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      const data: SampleCompanyData = structuredClone(readSampleCompanyData());
      for (const lead of (data.hubspot_activity as { leads: Array<Record<string, unknown>> }).leads) lead['owner_id'] ??= '71820011';
      await loadSampleCompany(healthyDb, { data });
      const result = await runSalesJob(healthyDb, inboundLeadRouter, { runId: 'healthy-1' });
      expect(result.outcome).toBe('nothing to report');
      expect((await healthyDb.rpc('list_approvals', { p_status: null, p_bot: 'salesbot', p_limit: 100 })).length).toBe(0);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the queue and asks one assign_lead_and_reply per lead; a second run drafts nothing and does not repost', async () => {
    const first = await runSalesJob(db, inboundLeadRouter, { runId: 'router-1' });
    expect(first.outcome).toBe('4 new wholesale leads, posted; 4 assign_lead_and_reply asked');
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%waiting for a rep%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toContain('Marcus Hill, Pinecrest Distribution (OH, distributor, 120 stores) → **Priya Natarajan** (Key Accounts)');
    expect(posts[0]?.text).toContain('⚠ free-mail address (gmail.com) and no stores yet');
    const approvals = first.detail['approvals'] as string[];
    const jenna = await getApproval(db, approvals[1] ?? '');
    expect(jenna).toMatchObject({
      action: 'assign_lead_and_reply',
      status: 'pending',
      title: "Assign Jenna Walsh (Jenna's Corner) to Daniel Reyes and send the first reply",
    });
    const draft = assignLeadAndReply.draft.parse(jenna?.draft);
    expect(draft).toMatchObject({ to: 'jenna.walsh.shop@gmail.com', owner_id: '71820012', team: 'Wholesale East' });
    // The form's "ignore previous instructions" never reaches the offline draft, and the draft is labelled.
    expect(draft.body).not.toContain('key account');

    const again = await runSalesJob(db, inboundLeadRouter, { runId: 'router-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.outcome).toBe('4 new wholesale leads, unchanged since the last run (not reposted)');
    expect(again.detail['drafts']).toBe(0);
    expect(again.detail['approvals']).toEqual(approvals);
  });

  it('approving sets the owner and logs the first reply once in the sample CRM; the executor again changes nothing', async () => {
    const [approvalId] = (await runSalesJob(db, inboundLeadRouter, { runId: 'router-3', manual: true })).detail['approvals'] as string[];
    const done = await approveAndWait(db, approvalId ?? '');
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const [lead] = await sql<Array<{ owner_id: string }>>`select owner_id from sample_leads where id = '51309004'`;
    expect(lead?.owner_id).toBe('71820014');
    const emails = await sql`select * from sample_engagements where lead_id = '51309004'`;
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ type: 'EMAIL', direction: 'EMAIL', owner_id: '71820014', contact_email: 'sam@lakeshorepantry.com' });

    const approval = await getApproval(db, approvalId ?? '');
    const rerun = await assignLeadAndReply.execute(
      assignLeadAndReply.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), approvalId ?? ''),
      approval as never,
    );
    expect({ assigned: rerun.assigned_now, sent: rerun.sent_now }).toEqual({ assigned: false, sent: false });
    expect(await sql`select 1 from sample_engagements where lead_id = '51309004'`).toHaveLength(1);
    // Routed now: the next run no longer lists Sam.
    const next = await runSalesJob(db, inboundLeadRouter, { runId: 'router-4' });
    expect(next.outcome).toMatch(/^3 new wholesale leads/);
  });

  it('at the fake HubSpot: sets hubspot_owner_id on the contact and logs one email associated with it, across a lost response', async () => {
    const live = liveConnectors(db, hubspot);
    const run = await runSalesJob(db, inboundLeadRouter, { runId: 'router-live', connectors: live });
    const approvalId = (run.detail['approvals'] as string[]).find(async () => true);
    const approval = (await Promise.all((run.detail['approvals'] as string[]).map((id) => getApproval(db, id)))).find(
      (candidate) => (candidate?.draft as { lead_id?: string } | undefined)?.lead_id === '51309003',
    );
    expect(approvalId).toBeDefined();
    const draft = assignLeadAndReply.draft.parse(approval?.draft);
    // The email create lands at HubSpot but its response is lost: the retry finds it by our key instead of sending again.
    hubspot.failNext({ method: 'POST', path: /\/crm\/v3\/objects\/emails$/, afterApply: true });
    const execution = executionContext(db, live, 'live-lead-1');
    await expect(assignLeadAndReply.execute(draft, execution, {} as never)).rejects.toThrow(/HubSpot email create failed/);
    const retried = await assignLeadAndReply.execute(draft, execution, {} as never);
    expect(retried.sent_now).toBe(false);
    expect(hubspot.store.table('contacts').get('51309003')?.properties['hubspot_owner_id']).toBe(draft.owner_id);
    const emails = hubspot.emailsCreated().filter((email) => email.associations['contacts']?.includes('51309003'));
    expect(emails).toHaveLength(1);
    expect(emails[0]?.properties).toMatchObject({
      hs_email_direction: 'EMAIL',
      hs_email_to_email: 'jenna.walsh.shop@gmail.com',
      hubspot_owner_id: draft.owner_id,
    });
  });
});
