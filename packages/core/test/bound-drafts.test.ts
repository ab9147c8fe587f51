import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { z } from 'zod';
import {
  ApprovalWorker,
  buildBotServices,
  catalogSignalTypes,
  createPostgresDb,
  createSignalEmitter,
  decideApproval,
  defineAction,
  defineSignalType,
  getApproval,
  SignalRegistry,
  type ApprovalExecutor,
  type Db,
} from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

const silent = pino({ level: 'silent' });
const testPing = defineSignalType({ type: 'test_ping', description: 'test', schema: z.object({ n: z.number().int() }) });
const testPong = defineSignalType({ type: 'test_pong', description: 'test', schema: z.object({ n: z.number().int() }) });
const registry = new SignalRegistry([...catalogSignalTypes, testPing, testPong]);

const email = { to: 'dana.whitfield@wholeharvest.example', subject: 'Picking up the Holiday program', body: 'Hi Dana, …' };
const rewritten = { to: 'attacker@evil.example', subject: 'Invoice', body: 'Please wire the balance to …' };

// "What is approved is what executes": a session that rewrites a draft (a bug, or a bot steered
// by an injected email) cannot get the rewrite decided or executed; the approval fails and says why.
describe('bound drafts', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  function services(bot: string) {
    const actions = [defineAction({ name: 'send_email', draft: z.unknown(), execute: () => null })];
    return buildBotServices({ name: bot, actions }, { db, log: silent, host: 'test' });
  }

  function worker(bot: string, executors: Record<string, ApprovalExecutor>) {
    const built = services(bot);
    return new ApprovalWorker({
      db,
      bot,
      channel: built.channel,
      executors,
      context: built.context,
      log: silent,
      pollMs: 50,
      leaseMs: 60_000,
      listen: false,
    });
  }

  it('an approved draft rewritten before execution is refused by the executor, visibly, and nothing is sent', async () => {
    const { approvals } = services('salesbot');
    const { approval } = await approvals.request({ action: 'send_email', title: 'Send 1 follow-up', draft: email });
    expect((await decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'cli:ana' })).decided).toBe(true);
    await sql`update approvals set draft = ${sql.json(rewritten)} where id = ${approval.id}`;

    const sent: unknown[] = [];
    const running = worker('salesbot', { send_email: (claimed) => void sent.push(claimed.draft) });
    await running.start();
    try {
      const failed = await waitFor(
        async () => {
          const current = await getApproval(db, approval.id);
          return current?.status === 'failed' ? current : undefined;
        },
        { what: 'the rewritten approval to fail' },
      );
      expect(sent).toEqual([]);
      expect(failed.error).toMatch(/^the draft was changed after it was requested \(hash [0-9a-f]{12} at request, [0-9a-f]{12} now\); refused/);
    } finally {
      await running.stop();
    }
  });

  it('a pending draft rewritten after it was shown cannot be approved; an untouched one can, and runs with what was shown', async () => {
    const { approvals } = services('opsbot');
    const shown = await approvals.request({ action: 'send_email', title: 'Email the supplier', draft: email });
    await sql`update approvals set draft = ${sql.json(rewritten)} where id = ${shown.approval.id}`;
    const refused = await decideApproval(db, { approvalId: shown.approval.id, decision: 'approved', decidedBy: 'telegram:42' });
    expect(refused.decided).toBe(false);
    expect(refused.approval?.status).toBe('failed');
    expect(refused.approval?.decidedBy).toBeNull();
    expect(refused.reason).toMatch(/^not decided: the draft was changed after it was requested/);

    // Key order does not matter: the hash is of jsonb's canonical text.
    const honest = await approvals.request({
      action: 'send_email',
      title: 'Email the supplier',
      draft: { body: email.body, subject: email.subject, to: email.to },
    });
    expect((await decideApproval(db, { approvalId: honest.approval.id, decision: 'approved', decidedBy: 'telegram:42' })).decided).toBe(true);
    const sent: unknown[] = [];
    const running = worker('opsbot', { send_email: (claimed) => void sent.push(claimed.draft) });
    await running.start();
    try {
      await waitFor(async () => (await getApproval(db, honest.approval.id))?.status === 'executed', { what: 'the honest approval to execute' });
      expect(sent).toEqual([email]);
    } finally {
      await running.stop();
    }
  });

  it('a requester cannot supply its own hash: the brain computes it on insert', async () => {
    const { approvals } = services('mktgbot');
    const { approval } = await approvals.request({ action: 'send_email', title: 'Send', draft: email });
    const [row] = await sql<{ draft_hash: string; expected: string }[]>`
      select draft_hash, approval_draft_hash(${sql.json(email)}::jsonb) as expected from approvals where id = ${approval.id}`;
    expect(row?.draft_hash).toBe(row?.expected);
    await expect(
      sql`insert into approvals (bot, action, title, draft, expires_at, idempotency_key, draft_hash)
          values ('mktgbot', 'send_email', 'forged', ${sql.json(rewritten)}, now() + interval '1 hour', 'forged:1', ${row?.expected ?? ''})
          returning draft_hash`.then((rows) => rows[0]?.['draft_hash']),
    ).resolves.not.toBe(row?.expected);
  });
});

// A dedupe key belongs to its bot and its signal type: one bot's key never swallows another's signal.
describe('scoped dedupe', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await db.rpc('register_subscriptions', { p_consumer_bot: 'jbot', p_signal_types: ['test_ping', 'test_pong'] });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('the same key from another bot or of another type is a new signal with its own receipts; a true repeat still collapses', async () => {
    const salesbot = createSignalEmitter({ db, registry, bot: 'salesbot' });
    const opsbot = createSignalEmitter({ db, registry, bot: 'opsbot' });
    const first = await salesbot.emit('test_ping', { n: 1 }, { dedupeKey: 'account:42', dedupeWindowMs: 60_000 });
    const otherBot = await opsbot.emit('test_ping', { n: 2 }, { dedupeKey: 'account:42', dedupeWindowMs: 60_000 });
    const otherType = await salesbot.emit('test_pong', { n: 3 }, { dedupeKey: 'account:42', dedupeWindowMs: 60_000 });
    const repeat = await salesbot.emit('test_ping', { n: 1 }, { dedupeKey: 'account:42', dedupeWindowMs: 60_000 });
    expect([otherBot.deduplicated, otherType.deduplicated, repeat.deduplicated]).toEqual([false, false, true]);
    expect(new Set([first.id, otherBot.id, otherType.id]).size).toBe(3);
    expect(repeat.id).toBe(first.id);
    const claimed = await db.rpc<{ signal_id: string }>('claim_signals', { p_consumer_bot: 'jbot', p_limit: 10, p_worker: 'test' });
    expect(claimed.map((row) => row.signal_id).sort()).toEqual([first.id, otherBot.id, otherType.id].sort());
  });
});
