import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import {
  createConnectors,
  hubspotCompaniesFromSample,
  hubspotObjectsFromSample,
  hubspotTurnoverFromSample,
  loadSampleCompany,
  readSampleCompanyData,
  type SampleCompanyData,
} from '@jbot/connectors';
import { freshDatabase, startFakeHubSpot, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { buyerTurnover, buyerTurnoverSettings, createHygieneTasks, findDepartedBuyers, runBuyerTurnover } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { jobContext } from './pipeline-fixtures.js';
import { approveAndWait, executionContext, liveConnectors } from './sales-job-harness.js';

// The catalogue's planted case: 2 bounced buyers and 1 "no longer with" auto-reply. The bounced AP
// clerk at Tidewater (no deal's primary contact, no recent order) and the out-of-office reply are
// the healthy look-alikes.
const PLANTED = [
  ['auto_reply', 'Greenline Co-op', 'nora.brennan@greenlinecoop.com'],
  ['hard_bounce', 'Cobblestone Kitchen Supply', 'rosa.thornton@cobblestonekitchensupply.com'],
  ['hard_bounce', 'Northbound Outfitters', 'chloe.rossi@northboundoutfitters.com'],
];

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const turnover = data.salesbot_turnover as { bounces: Array<{ contact_id: string }>; inbound_emails: Array<{ id: string }> };
  turnover.bounces = turnover.bounces.filter((bounce) => bounce.contact_id === '51300031');
  turnover.inbound_emails = turnover.inbound_emails.filter((email) => email.id === 'inbound-2');
  return data;
}

describe('salesbot buyer-turnover', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const now = new Date();
  const settings = buyerTurnoverSettings.load({});
  const shape = (buyers: Awaited<ReturnType<typeof findDepartedBuyers>>) => buyers.map((buyer) => [buyer.evidence, buyer.account, buyer.email]);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
    const data = readSampleCompanyData();
    const objects = hubspotObjectsFromSample(data, now);
    const turnover = hubspotTurnoverFromSample(data, now);
    hubspot = await startFakeHubSpot({
      seed: {
        owners: objects.owners,
        objects: {
          deals: objects.deals,
          contacts: objects.contacts.map((contact) => ({ ...contact, properties: { ...contact.properties, ...turnover.contactProperties.get(contact.id) } })),
          companies: hubspotCompaniesFromSample(data),
          emails: turnover.emails,
        },
      },
    });
  });
  afterAll(async () => {
    await hubspot?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for weekdays at 15:00 with the catalogue windows', () => {
    expect(buyerTurnover.schedule).toBe('0 15 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('buyer-turnover');
    expect(settings.SALES_TURNOVER_ORDER_DAYS).toBe(180);
    expect(settings.SALES_TURNOVER_AUTO_REPLY_DAYS).toBe(7);
    expect(() => buyerTurnoverSettings.load({ SALES_TURNOVER_AUTO_REPLY_DAYS: 'soon' })).toThrow(/SALES_TURNOVER_AUTO_REPLY_DAYS/);
  });

  it('finds the 2 bounced buyers and the auto-reply on the sample company, not the AP clerk or the out-of-office', async () => {
    const buyers = await findDepartedBuyers(createConnectors({ db, env: {} }), now, settings);
    expect(shape(buyers)).toEqual(PLANTED);
    expect(buyers[1]?.why).toMatch(/^primary contact on open deal Cobblestone Kitchen Supply — /);
    // An auto-reply older than the window no longer counts.
    const later = new Date(now.getTime() + 7 * 86_400_000);
    expect(shape(await findDepartedBuyers(createConnectors({ db, env: {} }), later, settings)).map((row) => row[0])).not.toContain('auto_reply');
  });

  it('finds the same buyers through HubSpot contacts/emails search at the fake', async () => {
    expect(shape(await findDepartedBuyers(liveConnectors(db, hubspot), now, settings))).toEqual(PLANTED);
    const bodies = hubspot.requests.filter((request) => request.path === '/crm/v3/objects/contacts/search').map((request) => JSON.stringify(request.body));
    expect(bodies.some((body) => body.includes('hs_email_hard_bounce_reason_enum') && body.includes('HAS_PROPERTY'))).toBe(true);
  });

  it('finds nothing on the healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now });
      expect(await findDepartedBuyers(createConnectors({ db: healthyDb, env: {} }), now, settings)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts once, asks one create_hygiene_tasks per buyer, and approving creates each task once', async () => {
    const first = await runBuyerTurnover(jobContext(db, 'buyer-turnover', 'bt-1', settings, now, null), settings, now);
    expect(first.outcome.outcome).toBe('3 departed buyers, posted');
    expect(first.result.approvals).toHaveLength(3);
    const again = await runBuyerTurnover(jobContext(db, 'buyer-turnover', 'bt-2', settings, now, first.outcome.fingerprint ?? null), settings, now);
    expect(again.outcome.outcome).toBe('3 departed buyers, unchanged since the last run (not reposted)');
    expect(again.result.approvals).toEqual(first.result.approvals);
    expect(again.result.created).toBe(0);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%find the new buyer%'`;
    expect(post?.text).toContain('**Northbound Outfitters** — Chloe Rossi <chloe.rossi@northboundoutfitters.com> hard-bounced (UNKNOWN_USER)');
    expect(post?.text).toContain('**Greenline Co-op** — Nora Brennan <nora.brennan@greenlinecoop.com> auto-reply says they have left');

    const greenline = first.result.approvals[0] ?? '';
    const done = await approveAndWait(db, greenline);
    expect(done.status).toBe('executed');
    const tasks = await sql<
      Array<{ deal_id: string; subject: string; body: string }>
    >`select deal_id, subject, body from sample_tasks where subject like 'Find the new buyer%'`;
    expect(tasks.map((task) => task.subject)).toEqual(['Find the new buyer at Greenline Co-op (Nora Brennan has left)']);
    expect(tasks[0]?.deal_id).toBe(first.result.buyers[0]?.deal_id);
    // The buyer's words reach the task fenced, as data.
    expect(tasks[0]?.body).toContain('```\nThank you for your email. Nora Brennan is no longer with Greenline Co-op.');

    // A retry of the executor (a crash after the write, a second host) creates nothing again.
    const [approval] = await sql<Array<{ draft: unknown }>>`select draft from approvals where id = ${greenline}`;
    const retry = await createHygieneTasks.execute(
      createHygieneTasks.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), greenline),
      {} as never,
    );
    expect(retry.tasks.every((task) => !task.created_now)).toBe(true);
    const [count] = await sql<Array<{ n: number }>>`select count(*)::int as n from sample_tasks where subject like 'Find the new buyer%'`;
    expect(count?.n).toBe(1);
  });
});
