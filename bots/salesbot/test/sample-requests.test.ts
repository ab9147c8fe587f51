import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, hubspotObjectsFromSample, hubspotSampleRequestsFromSample, loadSampleCompany, readSampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { createSampleOrder, findSampleRequests, runSampleRequests, sampleRequests, sampleRequestsSettings } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { jobContext } from './pipeline-fixtures.js';
import { approveAndWait, executionContext, liveConnectors } from './sales-job-harness.js';

// The catalogue's planted case: 3 sample requests, 1 overdue (Whole Harvest, 4 weekdays, no draft
// order). Cobblestone asked yesterday; Marigold has its sample draft order and was delivered 3 days ago.
describe('salesbot sample-requests', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const now = new Date();
  const settings = sampleRequestsSettings.load({});
  const context = () => ({ connectors: createConnectors({ db, env: {} }) });
  const shape = (findings: Awaited<ReturnType<typeof findSampleRequests>>) => findings.map((finding) => [finding.kind, finding.deal_id]);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for weekdays at 11:15 with the catalogue thresholds', () => {
    expect(sampleRequests.schedule).toBe('15 11 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('sample-requests');
    expect(salesbot.actions?.map((action) => action.name)).toContain('create_sample_order');
    expect(settings.SALES_SAMPLE_SHIP_BUSINESS_DAYS).toBe(2);
    expect(settings.SALES_SAMPLE_FOLLOWUP_DAYS).toBe(7);
    expect(() => sampleRequestsSettings.load({ SALES_SAMPLE_SHIP_BUSINESS_DAYS: '-1' })).toThrow(/SALES_SAMPLE_SHIP_BUSINESS_DAYS/);
  });

  it('finds the overdue request only: not the fresh one, not the one with its sample order', async () => {
    expect(shape(await findSampleRequests(context(), now, settings))).toEqual([['overdue', '18200340013']]);
  });

  it('reads the same requests from the HubSpot deal properties at the fake', async () => {
    const data = readSampleCompanyData();
    const objects = hubspotObjectsFromSample(data, now);
    const requests = hubspotSampleRequestsFromSample(data, now);
    const hubspot = await startFakeHubSpot({
      seed: {
        owners: objects.owners,
        objects: {
          deals: objects.deals.map((deal) => ({ ...deal, properties: { ...deal.properties, ...requests.get(deal.id) } })),
          contacts: objects.contacts,
        },
      },
    });
    try {
      expect(shape(await findSampleRequests({ connectors: liveConnectors(db, hubspot) }, now, settings))).toEqual([['overdue', '18200340013']]);
      // The fake renders only the properties asked for: finding it means the sample_* properties were read.
      expect(hubspot.requests.some((request) => request.path.startsWith('/crm/v3/objects/deals'))).toBe(true);
    } finally {
      await hubspot.close();
    }
  });

  it('posts once, asks create_sample_order once; approving creates one 100%-off sample draft order, once', async () => {
    const first = await runSampleRequests(jobContext(db, 'sample-requests', 'sr-1', settings, now, null), settings, now);
    expect(first.outcome.outcome).toBe('1 sample request, posted');
    expect(first.result.approvals).toHaveLength(1);
    const again = await runSampleRequests(jobContext(db, 'sample-requests', 'sr-2', settings, now, first.outcome.fingerprint ?? null), settings, now);
    expect(again.result.approvals).toEqual(first.result.approvals);
    expect(again.outcome.outcome).toBe('1 sample request, unchanged since the last run (not reposted)');
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%no sample order yet%'`;
    expect(post?.text).toMatch(/\n• \*\*Whole Harvest Market\*\* — samples requested \d business days ago, no sample order yet/);

    const approvalId = first.result.approvals[0] ?? '';
    const [approval] = await sql<
      Array<{ draft: { email: string; lines: Array<{ sku: string; quantity: number }> } }>
    >`select draft from approvals where id = ${approvalId}`;
    expect(approval?.draft.email).toBe('sarah.bennett@wholeharvestmarket.com');
    expect(approval?.draft.lines.map((line) => [line.sku, line.quantity])).toEqual([
      ['DW-101', 1],
      ['DW-107', 1],
      ['DW-108', 1],
    ]);
    expect((await approveAndWait(db, approvalId)).status).toBe('executed');
    const orders = await sql<Array<{ deal_id: string; tags: string[]; discount_pct: string; lines: unknown }>>`
      select deal_id, tags, discount_pct::text, lines from sample_draft_orders where deal_id = '18200340013'`;
    expect(orders).toEqual([
      { deal_id: '18200340013', tags: ['sample'], discount_pct: '100.00', lines: approval?.draft.lines.map(({ sku, quantity }) => ({ sku, quantity })) },
    ]);

    // A retry of the executor (a crash after the write, a second host) creates no second order.
    const retry = await createSampleOrder.execute(
      createSampleOrder.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), approvalId),
      {} as never,
    );
    expect(retry.created_now).toBe(false);
    const [count] = await sql<Array<{ n: number }>>`select count(*)::int as n from sample_draft_orders where deal_id = '18200340013'`;
    expect(count?.n).toBe(1);
    // With its sample order in the store the request is no longer overdue.
    expect(await findSampleRequests(context(), now, settings)).toEqual([]);
  });

  it('asks a follow-up task a week after delivery, and not once the rep has followed up', async () => {
    const weekLater = new Date(now.getTime() + 5 * 86_400_000);
    const later = await findSampleRequests(context(), weekLater, settings);
    expect(later.filter((finding) => finding.kind === 'follow_up').map((finding) => [finding.deal_id, finding.days])).toEqual([['18200340052', 8]]);
    const run = await runSampleRequests(jobContext(db, 'sample-requests', 'sr-3', settings, weekLater, null), settings, weekLater);
    const [task] = await sql<Array<{ draft: { tasks: Array<{ kind: string; subject: string }> } }>>`
      select draft from approvals where request_key = 'sample-followup:18200340052'`;
    expect(run.result.approvals.length).toBeGreaterThan(0);
    expect(task?.draft.tasks[0]).toMatchObject({ kind: 'sample_followup', subject: 'Follow up on the samples at Marigold Spa & Wellness' });

    await createConnectors({ db, env: {} }).crm.sendEmail({
      dealId: '18200340052',
      to: 'buyer@marigoldspa.example',
      subject: 'How did the samples test?',
      body: 'Checking in on the samples.',
      idempotencyKey: 'test:marigold-followup',
    });
    const after = await findSampleRequests(context(), weekLater, settings);
    expect(after.map((finding) => finding.kind)).not.toContain('follow_up');
  });

  it('says so, and asks nothing, when an overdue request has no line items to sample', async () => {
    await sql`delete from sample_line_items where deal_id = '18200340039'`;
    await sql`update sample_deals set properties = properties || jsonb_build_object('sample_status', 'requested', 'sample_requested_at', ${new Date(now.getTime() - 8 * 86_400_000).toISOString()}::text)
               where id = '18200340039'`;
    const run = await runSampleRequests(jobContext(db, 'sample-requests', 'sr-4', settings, now, null), settings, now);
    expect(run.result.findings.map((finding) => finding.deal_id)).toContain('18200340039');
    const [asked] = await sql<Array<{ n: number }>>`select count(*)::int as n from approvals where request_key = 'sample-order:18200340039'`;
    expect(asked?.n).toBe(0);
    expect(run.result.skipped).toEqual(['Greenline Co-op (no line items on the deal)']);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%Greenline%not drafted%'`;
    expect(post?.text).toContain('not drafted: the deal has no line items or buyer email');
  });
});
