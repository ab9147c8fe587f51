import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, readLastRun, type Db, type OperatorInstruction } from '@jbot/core';
import { loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { approvalAudit, approvalAuditSettings } from '../src/jobs/approval-audit.js';
import { answerOperator } from '../src/operator-replies.js';

const silent = pino({ level: 'silent' });

describe('sysbot approval-audit', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let dealId: string;
  const ids: Record<string, string> = {};
  const config = approvalAuditSettings.load({});
  const services = () => buildBotServices(sysbot, { db, log: silent, host: 'vps-1' });
  let runs = 0;

  // One audit run, recorded as the scheduler records it so the next run compares with it.
  const run = async () => {
    runs += 1;
    const scheduledFor = new Date(Date.now() - 60_000 + runs * 1000);
    const [claim] = await db.rpc<{ run_id: string }>('claim_cron_run', {
      p_bot: 'sysbot',
      p_job: 'approval-audit',
      p_scheduled_for: scheduledFor.toISOString(),
      p_host: 'vps-1',
      p_pid: 1,
    });
    const runId = claim?.run_id ?? '';
    const context = services().context(new AbortController().signal, silent, { job: 'approval-audit', runId });
    const result = (await approvalAudit.run({
      ...context,
      config,
      job: 'approval-audit',
      runId,
      scheduledFor: new Date(),
      attempt: 1,
      manual: false,
      idempotencyKey: 'k',
      lastRun: () => readLastRun(db, 'sysbot', 'approval-audit', scheduledFor),
    })) as { outcome: string; fingerprint: string; detail: { issues: string[]; posted: boolean } };
    await db.rpc('record_cron_run_result', { p_run_id: runId, p_result: {}, p_outcome: result.outcome, p_fingerprint: result.fingerprint });
    await db.rpc('finish_cron_run', { p_run_id: runId, p_status: 'succeeded' });
    return result;
  };
  const request = async (name: string, bot = 'salesbot', action = 'send_followups') => {
    const [row] = await db.rpc<{ approval_id: string }>('request_approval', { p_bot: bot, p_action: action, p_title: `${name} approval`, p_draft: {} });
    ids[name] = row?.approval_id ?? '';
    return ids[name];
  };
  const decide = (id: string, decision: 'approved' | 'rejected') =>
    db.rpc('decide_approval', { p_approval_id: id, p_decision: decision, p_decided_by: 'discord:7' });
  const claim = (id: string, bot = 'salesbot') => db.rpc('claim_approval_execution', { p_bot: bot, p_worker: 'w1', p_lease_seconds: 60, p_approval_id: id });
  const finish = (id: string, succeeded: boolean, error?: string) =>
    db.rpc('finish_approval_execution', { p_approval_id: id, p_worker: 'w1', p_succeeded: succeeded, p_error: error ?? null });
  const email = (key: string) =>
    db.rpc('sample_crm_send_email', { p_idempotency_key: key, p_deal_id: dealId, p_to: 'buyer@example.com', p_subject: 's', p_body: 'b' });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1 });
    // The sample company loaded an hour ago: ledger effects since then must each have an approval.
    await loadSampleCompany(db, { now: new Date(Date.now() - 3600_000) });
    await sql`update sample_company_meta set loaded_at = now() - interval '1 hour'`;
    dealId = (await sql`select id from sample_deals order by id limit 1`)[0]?.['id'] as string;

    // Healthy: approved, executed, one email in the ledger under its key.
    const done = await request('done');
    await decide(done, 'approved');
    await claim(done);
    await email(`approval:${done}:email:${dealId}`);
    await finish(done, true);
    // Healthy: approved two minutes ago, not picked up yet (inside the 10-minute grace).
    await decide(await request('fresh'), 'approved');
    await sql`update approvals set decided_at = now() - interval '2 minutes' where id = ${ids['fresh'] ?? ''}`;
    // Planted: approved half an hour ago, never executed.
    await decide(await request('stuck'), 'approved');
    await sql`update approvals set decided_at = now() - interval '30 minutes' where id = ${ids['stuck'] ?? ''}`;
    // Planted: its executor died mid-execution (the lease ran out).
    const hung = await request('hung');
    await decide(hung, 'approved');
    await claim(hung);
    await sql`update approvals set lease_until = now() - interval '5 minutes' where id = ${hung}`;
    // Planted: failed on the vendor.
    const failed = await request('failed');
    await decide(failed, 'approved');
    await claim(failed);
    await finish(failed, false, 'HubSpot 500 on emails create');
    // Planted: executed, but nothing in any ledger.
    const empty = await request('empty', 'mktgbot', 'pause_ads');
    await decide(empty, 'approved');
    await claim(empty, 'mktgbot');
    await finish(empty, true);
    // Planted: an email nobody approved, and one under a rejected approval.
    await email('manual:someone-ran-a-script');
    const rejected = await request('rejected');
    await decide(rejected, 'rejected');
    await email(`approval:${rejected}:email:${dealId}`);
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared on sysbot hourly at :20 with a timeout', () => {
    expect(sysbot.jobs?.find((job) => job.id === 'approval-audit')).toMatchObject({
      schedule: '20 * * * *',
      timeoutMs: 60_000,
      overlap: 'skip',
      missed: 'skip',
    });
  });

  it('finds the stuck, failed, ledger-less and unauthorised ones; the executed and the freshly approved ones are not flagged', async () => {
    const result = await run();
    expect(result.detail.issues.sort()).toEqual(
      [
        `failed ${ids['failed']}`,
        `ledger_mismatch ${ids['empty']}`,
        `stuck ${ids['stuck']}`,
        `stuck ${ids['hung']}`,
        `unauthorised ${ids['rejected']}`,
        'unauthorised manual:someone-ran-a-script',
      ].sort(),
    );
    const signals =
      await sql`select severity::text, payload from bot_signals where signal_type = 'approval_execution_issue' order by payload->>'kind', payload->>'effect_key'`;
    expect(signals.map((row) => [row['payload'].kind, row['severity']])).toEqual([
      ['failed', 'alert'],
      ['ledger_mismatch', 'alert'],
      ['stuck', 'alert'],
      ['stuck', 'alert'],
      ['unauthorised', 'critical'],
      ['unauthorised', 'critical'],
    ]);
    expect(signals[0]?.['payload']).toMatchObject({
      approval_id: ids['failed'],
      bot: 'salesbot',
      action: 'send_followups',
      detail: 'HubSpot 500 on emails create',
    });
    expect(signals[5]?.['payload']).toMatchObject({ approval_id: null, bot: 'unknown', effect_key: 'manual:someone-ran-a-script', ledger: 'sample_emails' });
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' order by sent_at desc limit 1`;
    expect(post?.['text']).toContain('Approval audit: 6 approvals not done exactly once');
    expect(post?.['text']).toContain(`stuck: salesbot send_followups ${ids['stuck']?.slice(0, 8)} "stuck approval" — approved 30 min ago and not executing`);
    expect(post?.['text']).toContain(
      `stuck: salesbot send_followups ${ids['hung']?.slice(0, 8)} "hung approval" — executing past its lease (attempt 1, claimed by w1)`,
    );
    expect(post?.['text']).toContain(`🔴 unauthorised: effect manual:someone-ran-a-script — deal ${dealId} in sample_emails with no approval behind it`);
  });

  it('the same issues an hour later: not reposted, not signalled again', async () => {
    const posts = async () => (await sql`select count(*)::int as n from channel_messages where bot = 'sysbot'`)[0]?.['n'] as number;
    const before = await posts();
    expect((await run()).outcome).toBe('6 approval issues, unchanged since the last run (not reposted)');
    expect(await posts()).toBe(before);
    expect((await sql`select count(*)::int as n from bot_signals where signal_type = 'approval_execution_issue'`)[0]?.['n']).toBe(6);
  });

  it('the operator\'s reply explains an issue with the approval\'s state; "retry" retries a failed approval', async () => {
    const context = services().context(new AbortController().signal, silent, { job: 'operator', runId: 'o' });
    const signalOf = async (kind: string) =>
      (await sql`select id from bot_signals where signal_type = 'approval_execution_issue' and payload->>'kind' = ${kind} limit 1`)[0]?.['id'] as string;
    const instruction = (text: string, signalId: string): OperatorInstruction => ({
      text,
      operatorMessageId: 'm',
      signalId,
      approvalId: null,
      instructionSignalId: 'i',
      channel: 'telegram',
      senderId: '42',
    });
    const failedSignal = await signalOf('failed');
    expect(await answerOperator(instruction('what happened?', failedSignal), context)).toMatch(
      /failed: HubSpot 500 on emails create\. now failed, decided by discord:7 at .+, 1 attempt, last error: HubSpot 500 on emails create\. Reply "retry"/,
    );
    expect(await answerOperator(instruction('retry', failedSignal), context)).toContain('retry requested by operator:42');
    expect((await sql`select status, retried_by from approvals where id = ${ids['failed'] ?? ''}`)[0]).toEqual({
      status: 'approved',
      retried_by: 'operator:42',
    });
    // A retry of something that is not failed changes nothing and says why.
    expect(await answerOperator(instruction('retry', failedSignal), context)).toContain('only a failed approval can be retried; this one is approved');
    expect(await answerOperator(instruction('?', await signalOf('stuck')), context)).toContain('Check that salesbot is running');
  });
});
