import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import {
  createLocalRecordingChannel,
  createApprovals,
  createPostgresDb,
  createSupabaseDb,
  decideApproval,
  getApproval,
  listApprovals,
  type Db,
} from '@jbot/core';
import { freshDatabase, startRpcTestServer, type TestDatabase } from '@jbot/testkit';

const silent = pino({ level: 'silent' });

// The approval functions on their own: first decision wins, expiry by the database clock, one
// claim per approval across competing workers, finish only by the claimer.
describe('approvals in the brain', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  const approvalsFor = (bot: string) =>
    createApprovals({ db, bot, log: silent, channel: createLocalRecordingChannel({ db, bot, target: `#${bot}`, log: silent, show: () => {} }) });

  it('first decision wins; a repeat and a contrary decision change nothing and say why', async () => {
    const { approval } = await approvalsFor('salesbot').request({ action: 'send_followups', title: 'Send 2 follow-ups', draft: { emails: 2 } });
    expect(approval.status).toBe('pending');
    expect(approval.idempotencyKey).toBe(`approval:${approval.id}`);
    const results = await Promise.all([
      decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'cli:ana' }),
      decideApproval(db, { approvalId: approval.id, decision: 'rejected', decidedBy: 'cli:ben' }),
      decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'cli:cy' }),
    ]);
    expect(results.filter((result) => result.decided)).toHaveLength(1);
    const winner = results.find((result) => result.decided);
    const stored = await getApproval(db, approval.id);
    expect(stored?.decidedBy).toBe(winner?.approval?.decidedBy);
    for (const loser of results.filter((result) => !result.decided)) expect(loser.reason).toMatch(/^already (approved|rejected) by cli:/);
    expect(await decideApproval(db, { approvalId: '00000000-0000-4000-8000-000000000000', decision: 'approved', decidedBy: 'x' })).toMatchObject({
      decided: false,
      approval: null,
    });
  });

  it('a repeated request key returns the first approval and posts one message', async () => {
    const approvals = approvalsFor('mktgbot');
    const first = await approvals.request({ action: 'pause_campaign', title: 'Pause campaign 7', draft: { campaign_id: '7' }, requestKey: 'pause:7' });
    const second = await approvals.request({ action: 'pause_campaign', title: 'Pause campaign 7', draft: { campaign_id: '7' }, requestKey: 'pause:7' });
    expect(second.created).toBe(false);
    expect(second.approval.id).toBe(first.approval.id);
    const messages = await db.rpc('approval_messages', { p_approval_id: first.approval.id });
    expect(messages).toHaveLength(1);
  });

  it('a late decision on an expired approval marks it expired and decides nothing', async () => {
    const { approval } = await approvalsFor('opsbot').request({ action: 'notify', title: 'Notify', draft: {}, expiresIn: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const late = await decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'cli:ana' });
    expect(late.decided).toBe(false);
    expect(late.approval?.status).toBe('expired');
    expect(late.reason).toMatch(/expired/);
  });

  it('of competing workers exactly one claims each approval; only the claimer may finish; a dead claimer is taken over after its lease', async () => {
    const approvals = approvalsFor('shipbot');
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const { approval } = await approvals.request({ action: 'update', title: `Update ${index}`, draft: { index } });
      await decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'cli:ana' });
      ids.push(approval.id);
    }
    const claims = await Promise.all(
      ['w1', 'w2', 'w3'].map((worker) =>
        db.rpc<{ approval_id: string }>('claim_approval_execution', { p_bot: 'shipbot', p_worker: worker, p_lease_seconds: 0.5, p_limit: 5 }),
      ),
    );
    const claimed = claims
      .flat()
      .map((row) => row.approval_id)
      .sort();
    expect(claimed).toEqual([...ids].sort());
    const owner = claims.findIndex((rows) => rows.some((row) => row.approval_id === ids[0]));
    const ownerName = ['w1', 'w2', 'w3'][owner];
    const [wrong] = await db.rpc<{ finished: boolean }>('finish_approval_execution', { p_approval_id: ids[0], p_worker: 'intruder', p_succeeded: true });
    expect(wrong?.finished).toBe(false);
    const [right] = await db.rpc<{ finished: boolean; status: string }>('finish_approval_execution', {
      p_approval_id: ids[0],
      p_worker: ownerName,
      p_succeeded: true,
      p_result: { sent: 1 },
    });
    expect(right).toEqual({ finished: true, status: 'executed' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const takeover = await db.rpc<{ approval_id: string; attempts: number }>('claim_approval_execution', {
      p_bot: 'shipbot',
      p_worker: 'w4',
      p_lease_seconds: 30,
      p_limit: 10,
    });
    expect(takeover.map((row) => row.approval_id).sort()).toEqual(ids.slice(1).sort());
    expect(takeover.every((row) => Number(row.attempts) === 2)).toBe(true);
  });

  it('the same functions work through the supabase transport (Telegram and the CLI may use it)', async () => {
    const server = await startRpcTestServer(database.url);
    const supabase = createSupabaseDb({ url: server.url, serviceRoleKey: server.serviceRoleKey });
    try {
      const approvals = createApprovals({
        db: supabase,
        bot: 'adsbot',
        log: silent,
        channel: createLocalRecordingChannel({ db: supabase, bot: 'adsbot', target: '#ads-bot', log: silent, show: () => {} }),
      });
      const { approval } = await approvals.request({ action: 'pause_campaign', title: 'Pause campaign 12', draft: { campaign_id: '12' } });
      expect(await decideApproval(supabase, { approvalId: approval.id, decision: 'rejected', decidedBy: 'telegram:42', decidedVia: 'telegram' })).toMatchObject(
        { decided: true, approval: { status: 'rejected', decidedBy: 'telegram:42', decidedVia: 'telegram' } },
      );
      expect(await decideApproval(supabase, { approvalId: approval.id, decision: 'approved', decidedBy: 'telegram:43' })).toMatchObject({
        decided: false,
        reason: 'already rejected by telegram:42',
      });
      expect((await listApprovals(supabase, { bot: 'adsbot' })).map((listed) => listed.status)).toEqual(['rejected']);
    } finally {
      await supabase.close();
      await server.close();
    }
  });
});
