import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, loadLlmConfig, type Db } from '@jbot/core';
import { createConnectors, googleWorkspaceFromSample, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, startFakeGoogle, type FakeAnthropic, type FakeGoogle, type TestDatabase } from '@jbot/testkit';
import { calendarPrep, jbot } from '../src/index.js';
import { runJbotJob } from './jbot-job-harness.js';

const ENV = { FLEET_TZ: 'America/Los_Angeles' };

// The same week with every meeting internal: nothing to prepare.
function internalOnly(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const event of (data.calendar as { events: Array<{ attendees: Array<{ email: string }> }> }).events)
    event.attendees = event.attendees.filter((attendee) => attendee.email.endsWith('@harborandpine.com'));
  return data;
}

describe('jbot calendar-prep', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;
  let google: FakeGoogle;
  const now = new Date();

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    anthropic = await startFakeAnthropic();
    await loadSampleCompany(db, { now });
    const seed = googleWorkspaceFromSample(readSampleCompanyData(), now);
    google = await startFakeGoogle({ events: seed.events, messages: seed.messages, emailAddress: seed.emailAddress });
  });
  afterAll(async () => {
    await google?.close();
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared on jbot for weekdays at 07:00', () => {
    expect(calendarPrep.schedule).toBe('0 7 * * 1-5');
    expect(jbot.jobs?.map((job) => job.id)).toContain('calendar-prep');
  });

  it("finds today's two buyer meetings (not the internal stand-up or pipeline review), one fast call with the invite and notes fenced, cards to the operator privately", async () => {
    anthropic.respondWith((request) => {
      const ids = [...JSON.stringify(request.messages).matchAll(/<data label=\\"meeting ([^"\\]+)\\">/g)].map((match) => match[1] ?? '');
      return { text: JSON.stringify({ cards: ids.map((id) => ({ event_id: id, lines: [`${id}: where it stands`, 'What is open', 'What to ask'] })) }) };
    });
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
    const result = await runJbotJob<{ outcome: string; fingerprint: string; detail: { meetings: string[] } }>(calendarPrep, {
      db,
      env: ENV,
      runId: 'prep-1',
      scheduledFor: now,
      llm,
    });
    expect(result.detail.meetings).toEqual(['evt-whh-holiday', 'evt-ckp-map']);
    expect(result.outcome).toBe('2 meeting cards sent to the operator');
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.model).toBe(llm.models.fast);
    const prompt = JSON.stringify(anthropic.requests[0]?.messages);
    expect(prompt).toMatch(
      /<data label=\\"meeting evt-whh-holiday\\">[^<]*Whole Harvest Market — Sarah Bennett[^<]*Open deals: Whole Harvest Market — Holiday program[^<]*invitation and notes: [^<]*Sarah wants the holiday endcap/,
    );

    const [card] = await sql<Array<{ text: string }>>`select text from telegram_outbox where idempotency_key like 'calendar-prep:%'`;
    expect(card?.text).toMatch(
      /^🗓 Today's external meetings \(2\):\n\n10:00 AM–10:45 AM Holiday program review — Whole Harvest Market\n• evt-whh-holiday: where it stands/,
    );
    const [line] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'jbot' and text like 'calendar-prep:%'`;
    expect(line?.text).not.toContain('Sarah');

    // The same meetings and CRM facts again: no model call, nothing resent.
    const again = await runJbotJob<{ outcome: string }>(calendarPrep, {
      db,
      env: ENV,
      runId: 'prep-2',
      scheduledFor: now,
      llm,
      lastFingerprint: result.fingerprint,
    });
    expect(again.outcome).toBe('2 external meetings, unchanged since the last run (model skipped, not resent)');
    expect(anthropic.requests).toHaveLength(1);
    expect((await sql`select 1 from telegram_outbox where idempotency_key like 'calendar-prep:%'`).length).toBe(1);
  });

  it('reads the same two meetings from Google Calendar through the live connector', async () => {
    const connectors = createConnectors({
      db,
      env: {
        GOOGLE_WORKSPACE_CLIENT_ID: google.clientId,
        GOOGLE_WORKSPACE_CLIENT_SECRET: google.clientSecret,
        GOOGLE_WORKSPACE_REFRESH_TOKEN: google.refreshToken,
        GOOGLE_API_BASE: google.url,
        GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl,
      },
    });
    const result = await runJbotJob<{ detail: { meetings: string[] } }>(calendarPrep, { db, env: ENV, runId: 'prep-live', scheduledFor: now, connectors });
    expect(result.detail.meetings).toEqual(['evt-whh-holiday', 'evt-ckp-map']);
  });

  it('an internal-only day has nothing to prepare: no model call, one "nothing to report" line on a manual run', async () => {
    const other = await freshDatabase();
    const otherDb = createPostgresDb({ url: other.url, poolMax: 2 });
    try {
      await loadSampleCompany(otherDb, { now, data: internalOnly() });
      const before = anthropic.requests.length;
      const result = await runJbotJob<{ outcome: string }>(calendarPrep, {
        db: otherDb,
        env: ENV,
        runId: 'prep-internal',
        scheduledFor: now,
        manual: true,
        llm: loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url }),
      });
      expect(result.outcome).toBe('nothing to report');
      expect(anthropic.requests.length).toBe(before);
    } finally {
      await otherDb.close();
      await other.drop();
    }
  });
});
