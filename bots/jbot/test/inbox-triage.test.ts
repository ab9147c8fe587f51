import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, loadLlmConfig, type Db } from '@jbot/core';
import { createConnectors, googleWorkspaceFromSample, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, startFakeGoogle, type FakeAnthropic, type FakeGoogle, type TestDatabase } from '@jbot/testkit';
import { inboxTriage, inboxTriageSettings, jbot, triageByRule } from '../src/index.js';
import { runJbotJob } from './jbot-job-harness.js';

type Triage = { outcome: string; fingerprint: string; detail: { cursor: string; new: number; action: number; raised: string[] } };

// The inbox without the six VIP asks: nothing to raise.
function noVipAsks(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const gmail = data.gmail as { messages: Array<{ from_email: string; subject: string }> };
  const asks = ['PO 4471', 'INV-2291', 'spring set', 'Contract renewal', 'Audit confirmation', 'Board deck'];
  gmail.messages = gmail.messages.filter((message) => !asks.some((ask) => message.subject.includes(ask)));
  return data;
}

describe('jbot inbox-triage', () => {
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
    anthropic.respondWith((request) => {
      const emails = [...JSON.stringify(request.messages).matchAll(/<data label=\\"email ([^"\\]+)\\">\\nfrom: [^\\]+\\nsubject: ([^\\]+)/g)];
      return {
        text: JSON.stringify({
          messages: emails.map((match) => ({
            id: match[1],
            category: /Board deck|PO 5512/.test(match[2] ?? '') ? 'action_needed' : 'fyi',
            reason: 'asks for something',
          })),
        }),
      };
    });
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
  const llm = () => loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });

  it('is declared on jbot at 09:00, 13:00 and 17:00 on weekdays', () => {
    expect(inboxTriage.schedule).toBe('0 9,13,17 * * 1-5');
    expect(jbot.jobs?.map((job) => job.id)).toContain('inbox-triage');
    expect(inboxTriageSettings.load({})).toEqual({ INBOX_VIP_DOMAINS: [], INBOX_VIP_SENDERS: [], INBOX_INITIAL_HOURS: 72 });
    const mail = (subject: string, snippet: string) => ({
      id: 'm',
      threadId: 'm',
      fromEmail: 'a@b.com',
      fromName: 'A',
      to: [],
      subject,
      snippet,
      receivedAt: '',
      labels: [],
      bulk: false,
    });
    // "nothing urgent" is not a deadline (Maya's notes were raised as action needed before the look-behind).
    expect(triageByRule(mail('Notes from the call', 'Sharing my notes, nothing urgent.'))).toBeNull();
    expect(triageByRule(mail('Urgent: stock count', ''))).toEqual({ category: 'action_needed', reason: 'deadline' });
  });

  it('finds the six VIP asks (five by rule, the board member by the model), not the VIP thank-you nor the vendor invoice; one fast call for what the rules leave open, fenced', async () => {
    const first = await runJbotJob<Triage>(inboxTriage, { db, runId: 'triage-1', llm: llm() });
    expect(first.detail).toMatchObject({ new: 40, action: 7 });
    expect(first.detail.raised).toHaveLength(6);
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.model).toBe(llm().models.fast);
    const prompt = JSON.stringify(anthropic.requests[0]?.messages);
    // Newsletters and rule-decided mail never reach the model.
    expect(prompt).not.toContain('Modern Retail');
    expect(prompt).not.toContain('PO 4471');
    expect(prompt).toContain('Board deck');

    const signals = await sql<Array<{ severity: string; payload: { from: string; subject: string; reason: string } }>>`
      select severity::text, payload from bot_signals where signal_type = 'operator_action_needed' order by seq`;
    expect(signals.every((signal) => signal.severity === 'warning')).toBe(true);
    expect(signals.map((signal) => signal.payload.from.replace(/^.*<|>$/g, '')).sort()).toEqual([
      'chloe.rossi@northboundoutfitters.com',
      'hannah.kowalski@copperkettleprovisions.com',
      'isabel.yamamoto@thepaperlantern.com',
      'm.chen@harborandpine-board.com',
      'r.hale@mosshalecpa.com',
      'sarah.bennett@wholeharvestmarket.com',
    ]);
    const [summary] = await sql<Array<{ text: string }>>`select text from telegram_outbox where idempotency_key like 'inbox-triage:%'`;
    expect(summary?.text).toMatch(/^📥 Inbox: 40 new — 7 need you, 19 FYI, 14 newsletters\/noise\n★ /);
    expect(summary?.text).toContain('• Pacific Bridge Logistics: Invoice 88213 overdue — please confirm payment date (invoice or payment)');
    expect(summary?.text).not.toContain('Thanks for the samples');
    const [line] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'jbot' and text like 'inbox-triage:%'`;
    expect(line?.text).not.toContain('Invoice');

    // No new history since: no model call. Then one new email: only it is classified.
    const quiet = await runJbotJob<Triage>(inboxTriage, { db, runId: 'triage-2', llm: llm(), lastResult: first.detail });
    expect(quiet.outcome).toBe('no new mail (model skipped)');
    expect(anthropic.requests).toHaveLength(1);
    await db.rpc('sample_mail_deliver', {
      p_id: 'new-po',
      p_from_email: 'nora.brennan@greenlinecoop.com',
      p_from_name: 'Nora Brennan',
      p_subject: 'Quick question on PO 5512 timing',
      p_snippet: 'Can we move it?',
    });
    const next = await runJbotJob<Triage>(inboxTriage, { db, runId: 'triage-3', llm: llm(), lastResult: quiet.detail });
    expect(next.detail).toMatchObject({ new: 1, action: 1 });
    expect(anthropic.requests).toHaveLength(1);
    expect((await sql`select 1 from bot_signals where signal_type = 'operator_action_needed'`).length).toBe(7);
  });

  it('triages the same inbox read from Gmail through the live connector (offline: the rules alone)', async () => {
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
    const result = await runJbotJob<Triage>(inboxTriage, { db, runId: 'triage-live', connectors });
    // Gmail's own mailbox knows no VIP domains: the auditor and the board member need INBOX_VIP_DOMAINS.
    expect(result.detail).toMatchObject({ new: 40, action: 6 });
    const withVips = await runJbotJob<Triage>(inboxTriage, {
      db,
      runId: 'triage-live-2',
      connectors,
      env: { INBOX_VIP_DOMAINS: 'mosshalecpa.com,harborandpine-board.com' },
    });
    expect(withVips.detail.action).toBe(6);
  });

  it('a model answering unusable JSON does not fail the triage: the rules stand, the rest is FYI (failed the whole run before)', async () => {
    const other = await freshDatabase();
    const otherDb = createPostgresDb({ url: other.url, poolMax: 2 });
    const broken = await startFakeAnthropic();
    broken.respondWith(() => ({ text: '{"summary": "not what was asked"}' }));
    try {
      await loadSampleCompany(otherDb, { now });
      const result = await runJbotJob<Triage>(inboxTriage, {
        db: otherDb,
        runId: 'triage-broken-model',
        llm: loadLlmConfig({ ANTHROPIC_API_KEY: broken.apiKey, ANTHROPIC_BASE_URL: broken.url }),
      });
      expect(result.detail).toMatchObject({ new: 40, action: 6 });
      expect(result.detail.raised).toHaveLength(5);
      expect(broken.requests.length).toBe(2);
    } finally {
      await broken.close();
      await otherDb.close();
      await other.drop();
    }
  });

  it('an inbox without VIP asks raises nothing', async () => {
    const other = await freshDatabase();
    const otherDb = createPostgresDb({ url: other.url, poolMax: 2 });
    try {
      await loadSampleCompany(otherDb, { now, data: noVipAsks() });
      const result = await runJbotJob<Triage>(inboxTriage, { db: otherDb, runId: 'triage-calm', llm: llm() });
      expect(result.detail.raised).toEqual([]);
      expect(await otherDb.rpc('list_signals', { p_signal_type: 'operator_action_needed' })).toEqual([]);
    } finally {
      await otherDb.close();
      await other.drop();
    }
  });
});
