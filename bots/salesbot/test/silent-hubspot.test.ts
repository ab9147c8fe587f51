import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import {
  createPostgresDb,
  createSignalEmitter,
  decideApproval,
  getApproval,
  retryApproval,
  SignalRegistry,
  catalogSignalTypes,
  startBot,
  type Db,
  type RunningBot,
} from '@jbot/core';
import { createConnectors, hubspotObjectsFromSample, readSampleCompanyData, type Deal } from '@jbot/connectors';
import {
  freshDatabase,
  startFakeHubSpot,
  startHoldingProxy,
  testBotConfig,
  waitFor,
  type FakeHubSpot,
  type HoldingProxy,
  type TestDatabase,
} from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { staleDeals } from '../src/signals.js';
import { freightDelay } from '@jbot/opsbot/signals';

const silent = pino({ level: 'silent' });
const DEADLINE_MS = 2500;
const registry = new SignalRegistry([...catalogSignalTypes, staleDeals, freightDelay]);

// A HubSpot that accepts every connection and never answers (a proxy holding every request),
// salesbot with two signal slots: the operator's "follow up" instructions and the approved send
// all hang in HubSpot calls. Within their deadlines the bot must take a new instruction again, and
// the approval must end in a state a person can see and retry.
describe('a HubSpot that never answers does not wedge salesbot', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  let proxy: HoldingProxy;
  let running: RunningBot;
  let stale: Deal[];
  const saved = { ...process.env };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 1 });
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), new Date());
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
    proxy = await startHoldingProxy(hubspot.url);
    stale = (await createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } }).crm.listDeals())
      .filter((deal) => !deal.isClosed)
      .slice(0, 2);
    // The connector's own timeout (30 s default) is left alone: the deadlines are under test.
    Object.assign(process.env, { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: proxy.url });
    delete process.env['ANTHROPIC_API_KEY'];
    running = await startBot(salesbot, {
      db,
      log: silent,
      config: testBotConfig({
        signals: { pollMs: 100, leaseMs: 10_000, maxAttempts: 5, concurrency: 2, handlerTimeoutMs: DEADLINE_MS },
        approvalTimeoutMs: DEADLINE_MS,
      }),
      registry,
      extensions: { connectors: createConnectors({ db, env: process.env }) },
      approvals: { pollMs: 100, leaseMs: 1000, maxAttempts: 2 },
    });
  });
  afterAll(async () => {
    proxy?.holdWhen(null);
    for (const held of [...(proxy?.held ?? [])]) held.drop();
    await running?.stop();
    process.env = saved;
    await proxy?.close();
    await hubspot?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  async function instruct(text: string, signalId: string): Promise<string> {
    const [received] = await db.rpc<{ operator_message_id: string }>('receive_operator_message', {
      p_channel: 'local',
      p_sender_id: 'cli:ana',
      p_text: text,
      p_reply_to_signal_id: signalId,
    });
    const id = received?.operator_message_id ?? '';
    await db.rpc('route_operator_message', {
      p_operator_message_id: id,
      p_routed_to: 'salesbot',
      p_instruction: { to_bot: 'salesbot', text, channel: 'local', sender_id: 'cli:ana', signal_id: signalId },
    });
    return id;
  }
  const messageStatus = async (id: string) => String((await sql`select status from operator_messages where id = ${id}`)[0]?.['status']);

  it('takes a new instruction within the deadline, and leaves the approval failed with a Retry that then sends each email once', async () => {
    proxy.holdWhen(() => true);
    const emitter = createSignalEmitter({ db, registry, bot: 'salesbot' });
    const { id: signalId } = await emitter.emit('stale_deals', { deals: stale.map((deal) => ({ deal_id: deal.id, name: deal.name })), threshold_days: 14 });

    // Two instructions that need HubSpot fill both signal slots; both calls hang.
    await instruct('follow up on both, draft emails', signalId);
    await instruct('follow up on both please, draft emails', signalId);
    await waitFor(() => proxy.held.length >= 2, { what: 'both instructions to hang in HubSpot', timeoutMs: 20_000 });

    // The approved send hangs in its first email create.
    const draft = {
      emails: stale.map((deal, index) => ({
        deal_id: deal.id,
        deal: deal.name,
        to: `buyer${index + 1}@example.com`,
        subject: `Following up: ${deal.name}`,
        body: 'Hello',
      })),
      note: 'silent vendor test',
    };
    const [requested] = await db.rpc<{ approval_id: string }>('request_approval', {
      p_bot: 'salesbot',
      p_action: 'send_followups',
      p_title: 'Send 2 follow-up emails',
      p_draft: draft,
    });
    const approvalId = requested?.approval_id ?? '';
    await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'test:ana', decidedVia: 'local' });
    await waitFor(() => proxy.held.some((held) => held.method === 'POST' && held.path === '/crm/v3/objects/emails'), {
      what: 'the email create to hang',
      timeoutMs: 20_000,
    });
    const hungFirst = [...proxy.held];

    // A new instruction that needs no HubSpot call is taken once the hung handlers hit their deadline.
    const thanks = await instruct('thanks, seen it', signalId);
    await waitFor(async () => (await messageStatus(thanks)) === 'handled', {
      what: 'the new instruction to be handled despite the hung handlers',
      timeoutMs: 30_000,
    });

    // The hung execution is aborted at its deadline, retried once, then fails visibly.
    const failed = await waitFor(
      async () => {
        const approval = await getApproval(db, approvalId);
        return approval?.status === 'failed' ? approval : null;
      },
      { what: 'the approval to fail visibly after its attempts', timeoutMs: 30_000 },
    );
    expect(failed.error).toMatch(/attempt 2 of 2 \(the last\).*deadline of 2500 ms/);
    // rendered_status is the claim to show it, taken before the edit lands: wait for the message.
    await waitFor(async () => (await sql`select rendered_status from approvals where id = ${approvalId}`)[0]?.['rendered_status'] === 'failed', {
      what: 'the failed status claimed for showing',
    });
    const latestButtons = async () => {
      const [latest] = await sql`select m.body from channel_messages m where m.approval_id = ${approvalId} order by m.created_at desc limit 1`;
      return (latest?.['body'] as { buttons?: Array<{ id: string }> } | undefined)?.buttons?.map((button) => button.id).join(',');
    };
    expect(await waitFor(async () => ((await latestButtons()) === 'retry' ? 'retry' : null), { what: 'the failed message with its Retry button' })).toBe(
      'retry',
    );
    // The calls aborted at the deadline really ended: their connections are closed, none lingers.
    await waitFor(() => hungFirst.every((held) => !held.callerConnected()), { what: 'the aborted calls to close their connections' });

    // HubSpot answers again, and the creates that were in flight reach it late. A person's retry
    // then sends what is missing, nothing twice.
    proxy.holdWhen(null);
    for (const held of [...proxy.held]) {
      if (held.method === 'POST' && held.path === '/crm/v3/objects/emails') await held.release();
      else held.drop();
    }
    const retried = await retryApproval(db, { approvalId, retriedBy: 'cli:ana' });
    expect(retried.retried).toBe(true);
    running.approvals.wake();
    const executed = await waitFor(
      async () => {
        const approval = await getApproval(db, approvalId);
        return approval?.status === 'executed' ? approval : null;
      },
      { what: 'the retried approval to execute', timeoutMs: 30_000 },
    );
    expect(executed.error).toBeNull();
    const keys = hubspot
      .emailsCreated()
      .map((email) => email.properties['jbot_idempotency_key'])
      .filter((key) => key?.startsWith(`approval:${approvalId}`));
    expect(keys.sort()).toEqual(stale.map((deal) => `approval:${approvalId}:email:${deal.id}`).sort());
    expect((await retryApproval(db, { approvalId, retriedBy: 'cli:ana' })).reason).toBe('only a failed approval can be retried; this one is executed');
  }, 120_000);
});
