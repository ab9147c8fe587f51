import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, startFakeGoogle, type FakeGoogle, type TestDatabase } from '@jbot/testkit';
import { createConnectors, GoogleApiError, googleWorkspaceFromSample, loadSampleCompany, readSampleCompanyData } from '../src/index.js';

// The operator's Calendar and Gmail: the sample adapters over the sample company, and the live
// adapters on @googleapis/calendar and @googleapis/gmail against a fake Google seeded with the same
// week and inbox (OAuth refresh-token exchange, paging, history, send once).
describe('Google Calendar and Gmail connectors', () => {
  let database: TestDatabase;
  let db: Db;
  let google: FakeGoogle;
  const now = new Date();
  const liveEnv = () => ({
    GOOGLE_WORKSPACE_CLIENT_ID: google.clientId,
    GOOGLE_WORKSPACE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_WORKSPACE_REFRESH_TOKEN: google.refreshToken,
    GOOGLE_API_BASE: google.url,
    GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl,
  });
  // The operator's day in Portland, as calendar-prep asks for it.
  const today = () => {
    const events = googleWorkspaceFromSample(readSampleCompanyData(), now).events;
    const first = events.find((event) => event.id === 'evt-ops-standup');
    const start = new Date(Date.parse(first?.start.dateTime ?? '') - 9 * 3_600_000);
    return { from: start, to: new Date(start.getTime() + 86_400_000) };
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db, { now });
    const seed = googleWorkspaceFromSample(readSampleCompanyData(), now);
    google = await startFakeGoogle({ events: seed.events, messages: seed.messages, emailAddress: seed.emailAddress, pageSize: 7, oldestHistoryId: 900_000 });
  });
  afterAll(async () => {
    await google?.close();
    await db?.close();
    await database?.drop();
  });

  it("the sample calendar gives today's four meetings, two of them with buyers, with the operator's notes", async () => {
    const events = await createConnectors({ db }).calendar.listEvents(today());
    expect(events.map((event) => event.id)).toEqual(['evt-ops-standup', 'evt-whh-holiday', 'evt-ckp-map', 'evt-pipeline']);
    const holiday = events.find((event) => event.id === 'evt-whh-holiday');
    expect(holiday?.attendees.map((attendee) => attendee.email)).toContain('sarah.bennett@wholeharvestmarket.com');
    expect(holiday?.notes).toMatch(/^Sarah wants the holiday endcap/);
  });

  it('the live calendar reads the same day through events.list, paging, after trading the refresh token for an access token', async () => {
    const events = await createConnectors({ db, env: liveEnv() }).calendar.listEvents(today());
    expect(events.map((event) => event.id)).toEqual(['evt-ops-standup', 'evt-whh-holiday', 'evt-ckp-map', 'evt-pipeline']);
    expect(events[1]?.attendees.find((attendee) => attendee.self)?.email).toBe('jordan.lee@harborandpine.com');
    expect(google.tokensIssued).toHaveLength(1);
    const calls = google.requests.filter((request) => request.path === '/calendar/v3/calendars/primary/events');
    expect(calls[0]?.query).toMatchObject({ singleEvents: ['true'], orderBy: ['startTime'] });
    expect(calls.every((request) => request.authorization === `Bearer ${google.tokensIssued[0]}`)).toBe(true);
  });

  it('the live inbox: the first run lists the last 72 h, the next only what history.list added; an expired access token is refreshed', async () => {
    const mail = createConnectors({ db, env: liveEnv() }).mail;
    const sample = await createConnectors({ db }).mail.listNew(null, { initialHours: 72 });
    const first = await mail.listNew(null, { initialHours: 72 });
    expect(first.messages.map((message) => message.id).sort()).toEqual(sample.messages.map((message) => message.id).sort());
    expect(first.messages).toHaveLength(40);
    const audit = first.messages.find((message) => message.fromEmail === 'r.hale@mosshalecpa.com');
    expect(audit).toMatchObject({ fromName: 'Rebecca Hale', subject: 'Audit confirmation request — reply needed', bulk: false });
    expect(first.messages.filter((message) => message.bulk)).toHaveLength(14);
    const gets = google.requests.filter((request) => /\/messages\/[^/]+$/.test(request.path));
    expect(gets[0]?.query['format']).toEqual(['metadata']);

    google.expireAccessTokens();
    google.deliver({
      id: 'new1',
      threadId: 'new1',
      labelIds: ['INBOX', 'UNREAD'],
      snippet: 'Please confirm the PO',
      internalDate: Date.now(),
      headers: [
        { name: 'From', value: 'Nora Brennan <nora.brennan@greenlinecoop.com>' },
        { name: 'Subject', value: 'PO 5512' },
      ],
    });
    const next = await mail.listNew(first.cursor, { initialHours: 72 });
    expect(next.messages.map((message) => message.id)).toEqual(['new1']);
    expect(google.tokensIssued.length).toBeGreaterThanOrEqual(2);
    expect(google.requests.some((request) => request.path === '/gmail/v1/users/me/history' && request.query['startHistoryId']?.[0] === first.cursor)).toBe(
      true,
    );
    // A history id Gmail no longer keeps (404): start again from the inbox.
    expect((await mail.listNew('12', { initialHours: 72 })).messages.length).toBe(41);
  });

  it('sends once per idempotency key through messages.send, with the attachment, and recovers after a failed attempt', async () => {
    const mail = createConnectors({ db, env: liveEnv() }).mail;
    google.failNext({ path: /\/messages\/send$/, status: 500 });
    const input = {
      to: ['exec-team@harborandpine.com'],
      subject: 'KPI pack — November',
      body: 'Numbers inside.',
      attachments: [{ filename: 'kpi.csv', mimeType: 'text/csv', content: 'a,b\n1,2' }],
      idempotencyKey: 'approval:test:kpi-pack',
    };
    await expect(mail.send(input)).rejects.toBeInstanceOf(GoogleApiError);
    const sent = await mail.send(input);
    expect(sent.sent).toBe(true);
    expect((await mail.send(input)).sent).toBe(false);
    expect(google.sent()).toHaveLength(1);
    const raw = google.sent()[0]?.raw ?? '';
    expect(raw).toContain('To: exec-team@harborandpine.com');
    expect(raw).toContain('Content-Disposition: attachment; filename="kpi.csv"');
  });

  it('a refused refresh token is a clear error that names the variable, not the secret', async () => {
    const broken = createConnectors({ db, env: { ...liveEnv(), GOOGLE_WORKSPACE_REFRESH_TOKEN: '1//revoked-token-value' } });
    const error = await broken.calendar.listEvents(today()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect((error as Error).message).toMatch(/GOOGLE_WORKSPACE_REFRESH_TOKEN was refused/);
    expect((error as Error).message).not.toContain('revoked-token-value');
  });

  it('a half-configured Google account stops start-up naming the missing variable', () => {
    expect(() => createConnectors({ db, env: { GOOGLE_WORKSPACE_CLIENT_ID: 'x' } })).toThrow(
      /GOOGLE_WORKSPACE_CLIENT_SECRET[\s\S]*GOOGLE_WORKSPACE_REFRESH_TOKEN/,
    );
  });
});
