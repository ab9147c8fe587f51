import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, loadLlmConfig, startBot, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, testBotConfig, waitFor, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { campaignDraftsSettings, findDueEmails, klaviyoCampaignDrafts, runCampaignDrafts } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { fleetRegistry } from './fleet-registry.js';

const silent = pino({ level: 'silent' });
// Loaded at 07:00 PT; the job runs at its catalogue time, 10:30 PT.
const LOADED_AT = new Date('2026-12-01T15:00:00Z');
const NOW = new Date('2026-12-01T18:30:00Z');
const settings = campaignDraftsSettings.load({ FLEET_TZ: 'America/Los_Angeles' });

const COPY = {
  subject_lines: ['Gifts for the coffee person', 'Three coffee gifts under $40', 'The holiday coffee guide'],
  preview_text: 'Sampler, pour-over kit and a 5 lb café bag',
  greeting: 'Hello',
  blocks: [{ heading: 'For the pour-over devotee', body: 'The Coffee Subscription Sampler is a month of mornings in one box.' }],
  cta_label: 'Shop the sampler',
};

describe('mktgbot klaviyo-campaign-drafts', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    anthropic = await startFakeAnthropic();
    anthropic.respondWith(() => ({ text: JSON.stringify(COPY) }));
    await loadSampleCompany(db, { now: LOADED_AT });
  });
  afterAll(async () => {
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const llm = () => loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
  const context = (runId: string, lastFingerprint: string | null) => ({
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host', llm: llm() }).context(new AbortController().signal, silent, {
      job: 'klaviyo-campaign-drafts',
      runId,
    }),
    connectors: createConnectors({ db, env: {} }),
    job: 'klaviyo-campaign-drafts',
    runId,
    scheduledFor: NOW,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
  });

  it('is declared on mktgbot weekdays at 10:30 with the catalogue horizon as default', () => {
    expect(klaviyoCampaignDrafts.schedule).toBe('30 10 * * 1-5');
    expect(klaviyoCampaignDrafts.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('klaviyo-campaign-drafts');
    expect(settings).toMatchObject({
      KLAVIYO_DRAFT_HORIZON_DAYS: 5,
      KLAVIYO_DRAFT_LIST: { id: 'UxNwsl', name: 'Newsletter' },
      KLAVIYO_DRAFT_EXCLUDE: { id: 'SgUn180', name: 'Unengaged 180d' },
    });
    expect(() => campaignDraftsSettings.load({ KLAVIYO_DRAFT_LIST: 'Newsletter' })).toThrow(/KLAVIYO_DRAFT_LIST/);
  });

  it('finds the 3 email entries of the next 5 days with no Klaviyo campaign, with their brand voice and product facts', async () => {
    const due = await findDueEmails({ db, connectors: createConnectors({ db, env: {} }) }, settings, NOW);
    expect(due.map((email) => [email.entry_id, email.send_date, email.brand])).toEqual([
      ['CC-341', '2026-12-04', 'TH'],
      ['CC-342', '2026-12-05', 'KC'],
      ['CC-311', '2026-12-06', null],
    ]);
    expect(due[0]?.product).toMatchObject({ sku: 'TH-110', name: 'Coffee Subscription Sampler', price: 39, in_stock: true });
    expect(due[0]?.product?.url).toBe('https://harborandpine.com/products/coffee-subscription-sampler?utm_source=klaviyo&utm_medium=email&utm_campaign=cc-341');
    expect(due[0]?.voice).toMatch(/Knowledgeable, friendly/);
    expect(due[2]?.voice).toMatch(/house voice/);
  });

  it('writes each with one fast call (calendar facts fenced as data), asks create_klaviyo_draft per entry and posts the previews; a rerun makes no call and no approval', async () => {
    const first = await runCampaignDrafts(context('drafts-1', null), settings, NOW);
    expect(first.outcome).toBe('3 Klaviyo draft(s) asked, posted');
    expect(anthropic.requests).toHaveLength(3);
    expect(anthropic.requests[0]?.model).toBe(llm().models.fast);
    expect(JSON.stringify(anthropic.requests[0]?.messages)).toMatch(
      /<data label=\\"calendar entry CC-341\\">[\s\S]*?product: Coffee Subscription Sampler \(TH-110\), \$39\.00, in stock/,
    );
    const approvals = await sql<
      Array<{ action: string; title: string; draft: { entry_id: string; html: string; send_at: string; excluded_audiences: unknown[] } }>
    >`
      select action, title, draft from approvals where bot = 'mktgbot' and action = 'create_klaviyo_draft' order by draft ->> 'send_date'`;
    expect(approvals.map((approval) => approval.draft.entry_id)).toEqual(['CC-341', 'CC-342', 'CC-311']);
    expect(approvals[0]?.title).toBe('Klaviyo draft for 2026-12-04: "Trailhead holiday coffee gift guide"');
    // 09:00 Portland time on the send date; the HTML carries the UTM'd product link and the unsubscribe tag.
    expect(approvals[0]?.draft.send_at).toBe('2026-12-04T17:00:00.000Z');
    expect(approvals[0]?.draft.html).toContain(
      'href="https://harborandpine.com/products/coffee-subscription-sampler?utm_source=klaviyo&amp;utm_medium=email&amp;utm_campaign=cc-341"',
    );
    expect(approvals[0]?.draft.html).toContain("{{ first_name|default:'there' }}");
    expect(approvals[0]?.draft.excluded_audiences).toEqual([{ id: 'SgUn180', name: 'Unengaged 180d' }]);
    const posts = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'mktgbot' and text like '%Gifts for the coffee person%' and text like '%Preview:%'`;
    expect(posts).toHaveLength(1);

    const again = await runCampaignDrafts(context('drafts-2', first.fingerprint ?? null), settings, NOW);
    expect(again.outcome).toBe('3 email(s) due, drafts already asked');
    expect(anthropic.requests).toHaveLength(3);
    expect((await sql`select 1 from approvals where action = 'create_klaviyo_draft'`).length).toBe(3);
  });

  it('approving creates the Klaviyo draft once (status draft, linked to its entry); the entry is then no longer due', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'create_klaviyo_draft' and draft ->> 'entry_id' = 'CC-341'`;
    const approvalId = row?.id ?? '';
    const bot = await startBot(mktgbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: fleetRegistry(),
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
        { what: 'create_klaviyo_draft to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    const drafts = await sql<Array<{ name: string; status: string; calendar_entry_id: string; subject: string }>>`
      select name, status, calendar_entry_id, subject from sample_klaviyo_campaigns where status = 'draft'`;
    expect(drafts).toEqual([
      { name: '[CC-341] Trailhead holiday coffee gift guide', status: 'draft', calendar_entry_id: 'CC-341', subject: 'Gifts for the coffee person' },
    ]);
    const due = await findDueEmails({ db, connectors: createConnectors({ db, env: {} }) }, settings, NOW);
    expect(due.map((email) => email.entry_id)).toEqual(['CC-342', 'CC-311']);
  });
});
