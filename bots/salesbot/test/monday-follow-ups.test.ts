import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import {
  catalogSignalTypes,
  createPostgresDb,
  decideApproval,
  getApproval,
  listApprovals,
  loadLlmConfig,
  SignalRegistry,
  startBot,
  type Db,
  type RunningBot,
} from '@jbot/core';
import { freightDelay } from '@jbot/opsbot/signals';
import { staleDeals } from '../src/signals.js';
import { createConnectors, hubspotObjectsFromSample, loadSampleCompany, readSampleCompanyData } from '@jbot/connectors';
import {
  freshDatabase,
  startFakeAnthropic,
  startFakeHubSpot,
  waitFor,
  type FakeAnthropic,
  type FakeHubSpot,
  type TestDatabase,
  testBotConfig,
} from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { readFollowUpIntent } from '../src/followups/choose-deals.js';
import type { FollowUpApprovalDraft } from '../src/followups/send-follow-ups.js';

const silent = pino({ level: 'silent' });
const botConfig = testBotConfig();
const WHOLE_HARVEST = 'Whole Harvest Market — Holiday program (Driftwood Candle Co.)';
const COBBLESTONE = 'Cobblestone Kitchen Supply — Café shelf program (Trailhead Coffee Roasters)';

describe('reading the operator reply', () => {
  const offered = [
    { deal_id: '1', name: WHOLE_HARVEST },
    { deal_id: '2', name: COBBLESTONE },
  ];
  it('"follow up on both, draft emails" wants follow-ups for every deal offered', () => {
    expect(readFollowUpIntent('Follow up on both, draft emails', offered)).toEqual({ wantsFollowUps: true, deals: offered });
  });
  it('a named account narrows the set; a reply without a follow-up word asks nothing of salesbot', () => {
    expect(readFollowUpIntent('only chase Cobblestone for now', offered).deals).toEqual([offered[1]]);
    expect(readFollowUpIntent('thanks, seen it', offered).wantsFollowUps).toBe(false);
  });
});

// The Monday stale-deal flow inside one process: the sync raises stale_deals, the operator's
// reply becomes an instruction, salesbot drafts (offline drafter: no ANTHROPIC_API_KEY) and asks
// for approval; once approved it sends through HubSpot — the fake at HUBSPOT_API_BASE — once.
describe('salesbot Monday flow: reply → drafts → approval → HubSpot, exactly once', () => {
  let database: TestDatabase;
  let db: Db;
  let hubspot: FakeHubSpot;
  let running: RunningBot;
  let sql: postgres.Sql;
  const saved = { ...process.env };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 1 });
    await loadSampleCompany(db);
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), new Date());
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
    // The bot builds its connectors from the process env, as it does under systemd.
    Object.assign(process.env, { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url });
    delete process.env['ANTHROPIC_API_KEY'];
    running = await startBot(salesbot, {
      db,
      config: botConfig,
      log: silent,
      registry: new SignalRegistry([...catalogSignalTypes, staleDeals, freightDelay]),
      extensions: { connectors: createConnectors({ db, env: process.env }) },
      approvals: { pollMs: 100 },
    });
  });
  afterAll(async () => {
    await running?.stop();
    process.env = saved;
    await hubspot?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('drafts one email per stale deal for approval, and sends 2 emails and updates 2 deals once, however often it is approved', async () => {
    // The sync runs as the scheduler runs it: a manual run claimed by the running salesbot.
    await db.rpc('request_manual_run', { p_bot: 'salesbot', p_job: 'hubspot-sync', p_requested_by: 'test' });
    const signal = await waitFor(
      async () => (await db.rpc<{ signal_id: string; payload: { deals: Array<{ name: string }> } }>('list_signals', { p_signal_type: 'stale_deals' }))[0],
      { what: 'the stale_deals signal', timeoutMs: 20_000 },
    );
    expect(signal.payload.deals.map((deal) => deal.name).sort()).toEqual([COBBLESTONE, WHOLE_HARVEST]);
    const signalId = signal.signal_id;

    const [received] = await db.rpc<{ operator_message_id: string }>('receive_operator_message', {
      p_channel: 'local',
      p_sender_id: 'cli:ana',
      p_text: 'Follow up on both, draft emails',
      p_reply_to_signal_id: signalId,
    });
    const instruction = { to_bot: 'salesbot', text: 'Follow up on both, draft emails', channel: 'local', sender_id: 'cli:ana', signal_id: signalId };
    await db.rpc('route_operator_message', { p_operator_message_id: received?.operator_message_id, p_routed_to: 'salesbot', p_instruction: instruction });

    const approval = await waitFor(async () => (await listApprovals(db, { bot: 'salesbot', status: 'pending' }))[0], {
      what: 'the follow-up approval',
      timeoutMs: 20_000,
    });
    expect(approval).toMatchObject({ action: 'send_followups', signalId, title: 'Send 2 follow-up emails to stale wholesale deals' });
    const draft = approval.draft as FollowUpApprovalDraft;
    expect(draft.emails.map((email) => email.deal).sort()).toEqual([COBBLESTONE, WHOLE_HARVEST]);
    for (const email of draft.emails) {
      expect(email.to).toMatch(/@/);
      expect(email.body).toMatch(/^\[offline draft/); // labelled: no model was used
    }
    expect(hubspot.emailsCreated()).toHaveLength(0); // nothing leaves before a person decides

    // A redelivered instruction finds the same approval instead of drafting a second one.
    const [again] = await db.rpc<{ operator_message_id: string }>('receive_operator_message', {
      p_channel: 'local',
      p_sender_id: 'cli:ana',
      p_text: 'Follow up on both, draft emails',
      p_reply_to_signal_id: signalId,
    });
    await db.rpc('route_operator_message', { p_operator_message_id: again?.operator_message_id, p_routed_to: 'salesbot', p_instruction: instruction });
    await waitFor(async () => (await sql`select status from operator_messages where id = ${again?.operator_message_id ?? ''}`)[0]?.['status'] === 'handled', {
      what: 'the second instruction handled',
      timeoutMs: 20_000,
    });
    expect(await listApprovals(db, { bot: 'salesbot' })).toHaveLength(1);

    const decisions = await Promise.all([
      decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' }),
      decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'ben', decidedVia: 'local' }),
    ]);
    expect(decisions.filter((decision) => decision.decided)).toHaveLength(1);
    const done = await waitFor(
      async () => {
        const current = await getApproval(db, approval.id);
        return current?.status === 'executed' ? current : undefined;
      },
      { what: 'the approval executed', timeoutMs: 20_000 },
    );
    expect((done.result as { summary: string }).summary).toBe('sent 2 follow-up emails through HubSpot and marked 2 deals re-engaged');
    expect(hubspot.emailsCreated()).toHaveLength(2);
    expect(hubspot.dealUpdates().map((update) => update.properties['jbot_status'])).toEqual(['re-engaged', 're-engaged']);
    // A late approval changes nothing.
    expect((await decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(false);
    expect(hubspot.emailsCreated()).toHaveLength(2);
  }, 60_000);
});

// The same flow with Claude drafting (the fake Messages API at ANTHROPIC_BASE_URL): one model call
// per stale deal, the CRM record fenced as data, each call priced on the ledger under the run.
describe('salesbot Monday flow with Claude drafting', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;
  let running: RunningBot;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 1 });
    await loadSampleCompany(db);
    anthropic = await startFakeAnthropic();
    // The model writes a draft naming the deal it was given.
    anthropic.respondWith((request) => {
      const record = String(request.messages[0]?.content);
      const deal = /deal: (.*)/.exec(record)?.[1] ?? 'your program';
      return {
        text: JSON.stringify({
          subject: `Next steps on ${deal.split(' — ')[1] ?? deal}`,
          body: `Hi, it has been a while since we talked about ${deal}. Could we book 15 minutes this week?`,
        }),
      };
    });
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
    running = await startBot(salesbot, {
      db,
      config: botConfig,
      log: silent,
      llm,
      registry: new SignalRegistry([...catalogSignalTypes, staleDeals, freightDelay]),
      extensions: { connectors: createConnectors({ db, env: process.env }) },
      approvals: { pollMs: 100 },
    });
  });
  afterAll(async () => {
    await running?.stop();
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('drafts each follow-up with the smart model, unlabelled, and records each call with its cost', async () => {
    await db.rpc('request_manual_run', { p_bot: 'salesbot', p_job: 'hubspot-sync', p_requested_by: 'test' });
    const signal = await waitFor(async () => (await db.rpc<{ signal_id: string }>('list_signals', { p_signal_type: 'stale_deals' }))[0], {
      what: 'the stale_deals signal',
      timeoutMs: 20_000,
    });
    const [received] = await db.rpc<{ operator_message_id: string }>('receive_operator_message', {
      p_channel: 'local',
      p_sender_id: 'cli:ana',
      p_text: 'follow up on both',
      p_reply_to_signal_id: signal.signal_id,
    });
    await db.rpc('route_operator_message', {
      p_operator_message_id: received?.operator_message_id,
      p_routed_to: 'salesbot',
      p_instruction: { to_bot: 'salesbot', text: 'follow up on both', channel: 'local', sender_id: 'cli:ana', signal_id: signal.signal_id },
    });
    const approval = await waitFor(async () => (await listApprovals(db, { bot: 'salesbot', status: 'pending' }))[0], {
      what: 'the follow-up approval',
      timeoutMs: 20_000,
    });
    const draft = approval.draft as FollowUpApprovalDraft;
    expect(draft.emails.map((email) => email.subject).sort()).toEqual([
      'Next steps on Café shelf program (Trailhead Coffee Roasters)',
      'Next steps on Holiday program (Driftwood Candle Co.)',
    ]);
    expect(draft.emails.every((email) => !email.body.startsWith('[offline'))).toBe(true);
    expect(draft.note).toMatch(/by Claude/);
    expect(anthropic.requests.map((request) => request.model)).toEqual(['claude-sonnet-5-5', 'claude-sonnet-5-5']);
    expect(String(anthropic.requests[0]?.messages[0]?.content)).toMatch(/<data label="CRM deal record">/);
    const rows = await sql`select bot, job, status, cost_usd::float8 as cost from llm_usage order by created_at`;
    expect(rows.map((row) => [row['bot'], row['job'], row['status']])).toEqual([
      ['salesbot', 'on:operator_instruction', 'settled'],
      ['salesbot', 'on:operator_instruction', 'settled'],
    ]);
    expect(rows.every((row) => Number(row['cost']) > 0)).toBe(true);
  }, 60_000);
});
