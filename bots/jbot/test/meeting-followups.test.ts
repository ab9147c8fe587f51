import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, loadLlmConfig, startBot, type Db } from '@jbot/core';
import { createConnectors, hubspotObjectsFromSample, loadSampleCompany, readSampleCompanyData } from '@jbot/connectors';
import {
  freshDatabase,
  startFakeAnthropic,
  startFakeHubSpot,
  testBotConfig,
  waitFor,
  type FakeAnthropic,
  type FakeHubSpot,
  type TestDatabase,
} from '@jbot/testkit';
import { createJbot, jbot, logMeetingAndSendRecap, meetingFollowups } from '../src/index.js';
import { runJbotJob } from './jbot-job-harness.js';

const silent = pino({ level: 'silent' });
const ENV = { FLEET_TZ: 'America/Los_Angeles' };
// Noon in Portland on the 15th: today's meetings are at 10:00 and 14:00; the job runs at 18:30.
const LOADED_AT = new Date('2026-12-15T20:00:00Z');
const EVENING = new Date('2026-12-16T02:30:00Z');

describe('jbot meeting-followups', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;
  let hubspot: FakeHubSpot;
  let approvalId = '';

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    anthropic = await startFakeAnthropic();
    await loadSampleCompany(db, { now: LOADED_AT });
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), LOADED_AT);
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
  });
  afterAll(async () => {
    await hubspot?.close();
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared on jbot for weekdays at 18:30', () => {
    expect(meetingFollowups.schedule).toBe('30 18 * * 1-5');
    expect(jbot.jobs?.map((job) => job.id)).toContain('meeting-followups');
  });

  it('drafts the Whole Harvest recap (its meeting is not logged) and not Copper Kettle (logged today) nor the internal meetings; one fast call with the notes fenced; a rerun makes none', async () => {
    anthropic.respondWith(() => ({
      text: JSON.stringify({
        note: 'Holiday endcap by the 20th; Q1 reorder +10%; pricing sheet to follow.',
        subject: 'Recap: holiday program',
        body: 'Hi Sarah,\n\nThank you for today. Endcap by the 20th, Q1 reorder up 10%; pricing sheet attached.\n\nBest,\nJordan',
      }),
    }));
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
    const result = await runJbotJob<{ outcome: string; detail: { meetings: string[]; drafted: string[] } }>(meetingFollowups, {
      db,
      env: ENV,
      runId: 'followups-1',
      scheduledFor: EVENING,
      llm,
    });
    expect(result.detail.meetings).toEqual(['evt-whh-holiday']);
    expect(result.outcome).toBe('1 meeting to follow up: 1 drafted');
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.model).toBe(llm.models.fast);
    expect(JSON.stringify(anthropic.requests[0]?.messages)).toMatch(
      /<data label=\\"meeting evt-whh-holiday\\">[\s\S]*?operator's notes: Sarah wants the holiday endcap[\s\S]*?<\/data>/,
    );
    approvalId = result.detail.drafted[0] ?? '';
    const approval = await getApproval(db, approvalId);
    expect(approval).toMatchObject({
      action: 'log_meeting_and_send_recap',
      title: 'Log "Holiday program review — Whole Harvest Market" in the CRM and send Sarah Bennett the recap',
    });
    expect((approval?.draft as { recap: { to: string[] }; deal_id: string }).recap.to).toEqual(['sarah.bennett@wholeharvestmarket.com']);

    const again = await runJbotJob<{ outcome: string }>(meetingFollowups, { db, env: ENV, runId: 'followups-2', scheduledFor: EVENING, llm });
    expect(again.outcome).toBe('1 meeting to follow up: 0 drafted, 1 already asked (model skipped)');
    expect(anthropic.requests).toHaveLength(1);
  });

  it('approving logs the meeting in the sample CRM and sends the recap once; the next evening run finds it logged', async () => {
    const bot = await startBot(createJbot({ env: ENV }), {
      db,
      config: testBotConfig(),
      log: silent,
      extensions: { connectors: createConnectors({ db }) },
      approvals: { pollMs: 200 },
    });
    try {
      await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'jordan', decidedVia: 'local' });
      const done = await waitFor(
        async () => {
          const approval = await getApproval(db, approvalId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'log_meeting_and_send_recap to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    const meetings = await db.rpc<{ contact_email: string }>('sample_crm_list_meetings', { p_since: '2026-12-15T08:00:00Z' });
    expect(meetings.map((meeting) => meeting.contact_email).sort()).toEqual([
      'hannah.kowalski@copperkettleprovisions.com',
      'sarah.bennett@wholeharvestmarket.com',
    ]);
    const sent = await db.rpc<{ subject: string; to_addresses: string[] }>('sample_mail_list_sent');
    expect(sent).toEqual([expect.objectContaining({ subject: 'Recap: holiday program', to_addresses: ['sarah.bennett@wholeharvestmarket.com'] })]);
    const later = await runJbotJob<{ outcome: string }>(meetingFollowups, { db, env: ENV, runId: 'followups-3', scheduledFor: EVENING });
    expect(later.outcome).toBe('nothing to report');
  });

  it('logs the meeting at the fake HubSpot once, associated with the contact and the deal, across a retry', async () => {
    const live = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    const approval = await getApproval(db, approvalId);
    const context = buildBotServices(jbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: { ...live, mail: createConnectors({ db }).mail }, approvalId: 'live-1', idempotencyKey: 'approval:live-1' };
    const draft = logMeetingAndSendRecap.draft.parse(approval?.draft);
    const first = await logMeetingAndSendRecap.execute(draft, execution, approval as never);
    const again = await logMeetingAndSendRecap.execute(draft, execution, approval as never);
    expect([first.logged_now, again.logged_now]).toEqual([true, false]);
    const created = hubspot.sideEffects.filter((effect) => effect.kind === 'create' && effect.objectType === 'meetings');
    expect(created).toHaveLength(1);
    const meeting = hubspot.store.table('meetings').get(created[0]?.objectId ?? '');
    expect(meeting?.properties['hs_meeting_outcome']).toBe('COMPLETED');
    expect(meeting?.associations['deals']).toEqual([draft.deal_id]);
    const listed = await live.crm.listMeetings({ since: new Date('2026-12-15T08:00:00Z') });
    expect(listed.flatMap((entry) => entry.contactEmails)).toEqual(['sarah.bennett@wholeharvestmarket.com']);
  });
});
