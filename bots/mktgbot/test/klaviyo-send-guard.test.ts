import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, startBot, type Db, type RunningBot } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeKlaviyo, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { answerOperator, findHeldCampaigns, fixOrUnscheduleCampaign, klaviyoIssue, klaviyoSendGuard, runSendGuard, sendGuardSettings } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { fleetRegistry } from './fleet-registry.js';

const silent = pino({ level: 'silent' });
// The company is loaded at 11:00 PT; the guard runs at its catalogue time, 14:00 PT (22:00 UTC).
const LOADED_AT = new Date('2026-12-01T19:00:00Z');
const NOW = new Date('2026-12-01T22:00:00Z');
const settings = sendGuardSettings.load({});

// The same company with both planted sends repaired: the email links an in-stock candle, the SMS goes at 19:00 ET.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const sends = data.klaviyo_sends as { scheduled: Array<Record<string, unknown>> };
  for (const send of sends.scheduled) {
    if (send['channel'] === 'sms') send['send_local'] = { time: '19:00', zone: 'America/New_York' };
    else send['body'] = String(send['body']).replace(/coastal-fog-candle-14oz/g, 'cedar-sea-salt-candle-8oz');
  }
  return data;
}

describe('mktgbot klaviyo-send-guard', () => {
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

  const run = async (runId: string, lastFingerprint: string | null) => {
    const context = buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, {
      job: 'klaviyo-send-guard',
      runId,
    });
    return runSendGuard(
      {
        ...context,
        connectors: createConnectors({ db, env: {} }),
        job: 'klaviyo-send-guard',
        runId,
        scheduledFor: NOW,
        attempt: 1,
        manual: false,
        idempotencyKey: runId,
        lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
      },
      settings,
      NOW,
    );
  };

  it('is declared on mktgbot daily at 14:00 with the catalogue thresholds as defaults', () => {
    expect(klaviyoSendGuard.schedule).toBe('0 14 * * *');
    expect(klaviyoSendGuard.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('klaviyo-send-guard');
    expect(settings).toMatchObject({
      KLAVIYO_SEND_GUARD_WINDOW_HOURS: 24,
      KLAVIYO_SEND_BLOCK_HOURS: 6,
      KLAVIYO_SMS_EARLIEST_HOUR: 8,
      KLAVIYO_SMS_LATEST_HOUR: 21,
    });
    expect(() => sendGuardSettings.load({ KLAVIYO_SMS_RECIPIENT_ZONES: 'America/Nowhere' })).toThrow(/KLAVIYO_SMS_RECIPIENT_ZONES/);
  });

  it('holds the two planted sends: the SMS at 21:30 ET and the email linking sold-out DW-104, nothing else', async () => {
    const held = await findHeldCampaigns(createConnectors({ db, env: {} }), settings, NOW);
    expect(held.map((campaign) => [campaign.campaign_id, campaign.issues.map((issue) => issue.rule)])).toEqual([
      ['01JCMP7011', ['sms_quiet_hours']],
      ['01JCMP7010', ['link_out_of_stock']],
    ]);
    expect(held[0]?.send_at).toBe('2026-12-02T02:30:00.000Z');
    expect(held[0]?.issues[0]?.detail).toContain('21:30 America/New_York');
    expect(held[1]?.issues[0]?.detail).toMatch(/DW-104 Coastal Fog Candle 14oz, sold out/);
  });

  it('holds the same two through the live Klaviyo connector at a fake Klaviyo holding the sample campaigns', async () => {
    const rows = await db.rpc('sample_klaviyo_campaign_messages', { p_status: 'scheduled' });
    const audiences = (value: unknown) => (value as Array<{ id: string; name: string }>) ?? [];
    const klaviyo = await startFakeKlaviyo({
      seed: {
        campaigns: rows.map((row) => ({
          id: String(row['campaign_id']),
          name: String(row['name']),
          channel: row['channel'] === 'sms' ? 'sms' : 'email',
          status: 'Scheduled',
          sendTime: new Date(String(row['send_at'])).toISOString(),
          subject: row['subject'] === null ? null : String(row['subject']),
          body: String(row['body'] ?? ''),
          included: audiences(row['included_audiences']).map((audience) => audience.id),
          excluded: audiences(row['excluded_audiences']).map((audience) => audience.id),
        })),
        lists: [
          { id: 'UxNwsl', name: 'Newsletter' },
          { id: 'UxSms1', name: 'SMS Subscribers' },
        ],
        segments: [{ id: 'SgUn180', name: 'Unengaged 180d' }],
      },
    });
    try {
      const connectors = createConnectors({ db, env: { KLAVIYO_API_KEY: klaviyo.apiKey, KLAVIYO_API_BASE: klaviyo.url } });
      expect(connectors.klaviyo.source).toBe('klaviyo');
      const held = await findHeldCampaigns(connectors, settings, NOW);
      expect(held.map((campaign) => [campaign.campaign_id, campaign.issues.map((issue) => issue.rule)])).toEqual([
        ['01JCMP7011', ['sms_quiet_hours']],
        ['01JCMP7010', ['link_out_of_stock']],
      ]);
    } finally {
      await klaviyo.close();
    }
  });

  it('holds nothing on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      expect(await findHeldCampaigns(createConnectors({ db: healthyDb, env: {} }), settings, NOW)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the held sends, asks fix_or_unschedule_campaign per campaign, raises send_blocked for the SMS due in 4.5 h; a rerun asks nothing new and calls no model', async () => {
    const first = await run('guard-1', null);
    expect(first.outcome.outcome).toBe('2 held campaigns, posted');
    expect(first.result.approvals.map((approval) => [approval.campaign_id, approval.created])).toEqual([
      ['01JCMP7011', true],
      ['01JCMP7010', true],
    ]);
    expect(first.result.signals).toBe(1);
    const posts = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'mktgbot' and text like '%Klaviyo send guard: 2 scheduled campaigns%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toContain('sms_quiet_hours');
    const signals = await sql<Array<{ severity: string; payload: { kind: string; object_id: string } }>>`
      select severity, payload from bot_signals where signal_type = 'klaviyo_issue'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.kind, signal.payload.object_id])).toEqual([['warning', 'send_blocked', '01JCMP7011']]);
    const approval = await getApproval(db, first.result.approvals[1]?.approval_id ?? '');
    expect(approval).toMatchObject({ action: 'fix_or_unschedule_campaign', status: 'pending', bot: 'mktgbot' });

    const again = await run('guard-2', first.outcome.fingerprint ?? null);
    expect(again.outcome.outcome).toBe('2 held campaigns, unchanged since the last run (not reposted)');
    expect(again.result.approvals.map((entry) => entry.created)).toEqual([false, false]);
    expect(again.result.approvals.map((entry) => entry.approval_id)).toEqual(first.result.approvals.map((entry) => entry.approval_id));
    expect(again.result.signals).toBe(0);
    expect((await sql`select 1 from approvals where bot = 'mktgbot'`).length).toBe(2);
    expect((await sql`select 1 from bot_signals where signal_type = 'klaviyo_issue'`).length).toBe(1);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply to send_blocked with the facts and the approval that holds it", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'klaviyo_issue'`;
    const context = buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const answer = await answerOperator(
      {
        text: 'what is wrong with it?',
        operatorMessageId: 'm1',
        signalId: signal?.id ?? null,
        approvalId: null,
        instructionSignalId: 's1',
        channel: 'local',
        senderId: 'op',
      },
      { ...context, connectors: createConnectors({ db, env: {} }) },
    );
    const [pending] = await sql<Array<{ id: string }>>`select id from approvals where bot = 'mktgbot' and draft ->> 'campaign_id' = '01JCMP7011'`;
    expect(answer).toContain('21:30 America/New_York');
    expect(answer).toContain(`Approve ${pending?.id}`);
    expect(klaviyoIssue.schema.safeParse({ kind: 'send_blocked' }).success).toBe(false);
  });

  it('approving unschedules the email once (back to draft in the sample Klaviyo); running the executor again changes nothing', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where bot = 'mktgbot' and draft ->> 'campaign_id' = '01JCMP7010'`;
    const approvalId = row?.id ?? '';
    const bot: RunningBot = await startBot(mktgbot, {
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
        { what: 'fix_or_unschedule_campaign to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    const campaigns = await db.rpc('sample_klaviyo_campaign_messages', { p_status: null });
    expect(campaigns.find((campaign) => campaign['campaign_id'] === '01JCMP7010')?.['status']).toBe('draft');
    expect(campaigns.find((campaign) => campaign['campaign_id'] === '01JCMP7011')?.['status']).toBe('scheduled');

    const approval = await getApproval(db, approvalId);
    const context = buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const rerun = await fixOrUnscheduleCampaign.execute(
      fixOrUnscheduleCampaign.draft.parse(approval?.draft),
      { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` },
      approval as never,
    );
    expect(rerun.changed).toBe(false);
    expect(await sql`select campaign_id, action, previous_status from sample_klaviyo_campaign_actions`).toEqual([
      { campaign_id: '01JCMP7010', action: 'unschedule', previous_status: 'scheduled' },
    ]);
    // Unscheduled, it is no longer held.
    expect((await findHeldCampaigns(createConnectors({ db, env: {} }), settings, NOW)).map((campaign) => campaign.campaign_id)).toEqual(['01JCMP7011']);
  });
});
