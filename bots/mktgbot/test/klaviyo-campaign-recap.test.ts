import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeKlaviyo, type FakeKlaviyoCampaign, type TestDatabase } from '@jbot/testkit';
import { answerOperator, campaignRecapSettings, klaviyoCampaignRecap, recapCampaigns, runCampaignRecap } from '../src/index.js';
import { mktgbot } from '../src/bot.js';

const silent = pino({ level: 'silent' });
// Loaded at 07:00 PT; the recap runs at its catalogue time, 09:15 PT, in the company's zone.
const LOADED_AT = new Date('2026-12-01T15:00:00Z');
const NOW = new Date('2026-12-01T17:15:00Z');
const settings = campaignRecapSettings.load({ FLEET_TZ: 'America/Los_Angeles' });

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const campaign of (data.klaviyo_campaign_stats as { sent_yesterday: Array<Record<string, unknown>> }).sent_yesterday) {
    Object.assign(campaign, { spam_complaint_rate: 0.0004, unsubscribe_rate: 0.002, bounce_rate: 0.006 });
  }
  return data;
}

describe('mktgbot klaviyo-campaign-recap', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: LOADED_AT });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const context = (runId: string, lastFingerprint: string | null) => ({
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, {
      job: 'klaviyo-campaign-recap',
      runId,
    }),
    connectors: createConnectors({ db, env: {} }),
    job: 'klaviyo-campaign-recap',
    runId,
    scheduledFor: NOW,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
  });

  it('is declared on mktgbot daily at 09:15 with the bulk-sender guardrails as defaults', () => {
    expect(klaviyoCampaignRecap.schedule).toBe('15 9 * * *');
    expect(klaviyoCampaignRecap.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('klaviyo-campaign-recap');
    expect(campaignRecapSettings.load({})).toMatchObject({
      KLAVIYO_SPAM_WARNING_PCT: 0.1,
      KLAVIYO_SPAM_CRITICAL_PCT: 0.3,
      KLAVIYO_BOUNCE_WARNING_PCT: 2,
      KLAVIYO_UNSUBSCRIBE_WARNING_PCT: 0.5,
      KLAVIYO_RECAP_TRAILING: 10,
      KLAVIYO_RECAP_SWING_PCT: 30,
    });
  });

  it("finds yesterday's Kettle & Crumb send at 0.34% spam as critical, with its unsubscribes and RPR swing listed", async () => {
    const lines = recapCampaigns(await createConnectors({ db, env: {} }).klaviyo.listSentCampaigns({ limit: 30 }), settings, NOW);
    expect(lines.map((line) => [line.campaign_id, line.severity])).toEqual([['01JCMP7020', 'critical']]);
    expect(lines[0]?.risks).toEqual(['spam complaints 0.34% ≥ 0.3% (the Gmail/Yahoo bulk-sender line)', 'unsubscribes 0.62% ≥ 0.5%']);
    expect(lines[0]?.swings).toEqual(['RPR -67% vs median $0.36']);
  });

  it('raises no deliverability_risk on a healthy variant (the recap line stays, with no guardrail)', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const lines = recapCampaigns(await createConnectors({ db: healthyDb, env: {} }).klaviyo.listSentCampaigns({ limit: 30 }), settings, NOW);
      expect(lines.map((line) => [line.campaign_id, line.severity, line.risks])).toEqual([['01JCMP7020', null, []]]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the recap and raises deliverability_risk as critical; a rerun neither reposts nor re-raises, and no model is called', async () => {
    const first = await runCampaignRecap(context('recap-1', null), settings, NOW);
    expect(first.outcome.outcome).toBe('1 campaign sent yesterday, posted');
    expect(first.signals).toBe(1);
    expect(
      (await sql`select 1 from channel_messages where bot = 'mktgbot' and text like '%Klaviyo recap: 1 campaign sent yesterday — deliverability at risk%'`)
        .length,
    ).toBe(1);
    const signals = await sql<Array<{ severity: string; payload: { campaign_id: string; spam_rate: number; recipients: number } }>>`
      select severity, payload from bot_signals where signal_type = 'deliverability_risk'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.campaign_id, signal.payload.spam_rate, signal.payload.recipients])).toEqual([
      ['critical', '01JCMP7020', 0.0034, 24800],
    ]);
    const again = await runCampaignRecap(context('recap-2', first.outcome.fingerprint ?? null), settings, NOW);
    expect(again.outcome.outcome).toBe('1 campaign sent yesterday, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect((await sql`select 1 from bot_signals where signal_type = 'deliverability_risk'`).length).toBe(1);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply to the critical line with the campaign's figures", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'deliverability_risk'`;
    const answer = await answerOperator(
      {
        text: 'what happened?',
        operatorMessageId: 'm1',
        signalId: signal?.id ?? null,
        approvalId: null,
        instructionSignalId: 's1',
        channel: 'local',
        senderId: 'op',
      },
      context('reply', null),
    );
    expect(answer).toContain(
      'deliverability risk — Kettle & Crumb — Winter granola bundle (purchased list): spam 0.34%, bounce 1.80%, unsubscribe 0.62% of 24800 recipients',
    );
  });

  it('finds the same through the live Klaviyo connector: sent campaigns listed per channel, one campaign values report call', async () => {
    const sent = await db.rpc('sample_klaviyo_sent_campaigns', { p_limit: 30 });
    const campaigns: FakeKlaviyoCampaign[] = sent.map((row) => {
      const recipients = Number(row['recipients']);
      return {
        id: String(row['campaign_id']),
        name: String(row['name']),
        channel: 'email',
        status: 'Sent',
        sendTime: new Date(String(row['send_at'])).toISOString(),
        subject: null,
        body: '',
        included: [],
        excluded: [],
        stats: {
          recipients,
          open_rate: Number(row['open_rate']),
          click_rate: Number(row['click_rate']),
          revenue_per_recipient: Number(row['revenue']) / recipients,
          unsubscribe_rate: Number(row['unsubscribe_rate']),
          spam_complaint_rate: Number(row['spam_complaint_rate']),
          bounce_rate: Number(row['bounce_rate']),
        },
      };
    });
    const klaviyo = await startFakeKlaviyo({ seed: { campaigns } });
    try {
      const live = createConnectors({ db, env: { KLAVIYO_API_KEY: klaviyo.apiKey, KLAVIYO_API_BASE: klaviyo.url } });
      const lines = recapCampaigns(await live.klaviyo.listSentCampaigns({ limit: 30 }), settings, NOW);
      expect(lines.map((line) => [line.campaign_id, line.severity, line.recipients])).toEqual([['01JCMP7020', 'critical', 24800]]);
      expect(lines[0]?.spam_rate).toBeCloseTo(0.0034);
      expect(klaviyo.requests.filter((request) => request.path.includes('-reports')).map((request) => request.path)).toEqual(['/api/campaign-values-reports']);
    } finally {
      await klaviyo.close();
    }
  });
});
