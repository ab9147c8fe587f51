import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { dbHealth, dbHealthSettings } from '../src/jobs/db-health.js';

const silent = pino({ level: 'silent' });

// Retention, as db-health runs it once a day: what is old and no longer needed goes; what is
// escalated, undelivered, approval-linked, answered by the operator, or a job's latest success
// (and the failure streak since it) stays, whatever its age.
describe('brain retention', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  const run = async (env: Record<string, string> = {}) => {
    const context = buildBotServices(sysbot, { db, log: silent, host: 'vps-1' }).context(new AbortController().signal, silent, {
      job: 'db-health',
      runId: 'r',
    });
    return (await dbHealth.run({
      ...context,
      config: dbHealthSettings.load(env),
      job: 'db-health',
      runId: 'r',
      scheduledFor: new Date(),
      attempt: 1,
      manual: false,
      idempotencyKey: 'k',
      lastRun: async () => null,
    })) as { detail: { pruned?: Record<string, number>; pruneComplete?: boolean } };
  };

  async function signal(label: string, daysAgo: number): Promise<string> {
    const [row] = await sql<{ id: string }[]>`
      insert into bot_signals (source_bot, signal_type, severity, payload, created_at)
      values ('opsbot', 'freight_delay', 'warning', ${sql.json({ label })}, now() - ${daysAgo} * interval '1 day') returning id`;
    await sql`insert into signal_receipts (signal_id, consumer_bot, status, created_at, handled_at)
              values (${row?.id ?? ''}, 'jbot', 'handled', now() - ${daysAgo} * interval '1 day', now() - ${daysAgo} * interval '1 day')`;
    return row?.id ?? '';
  }

  async function cronRun(job: string, status: string, daysAgo: number): Promise<string> {
    const [row] = await sql<{ id: string }[]>`
      insert into cron_runs (bot, job, scheduled_for, status, started_at, finished_at, idempotency_key)
      values ('salesbot', ${job}, now() - ${daysAgo} * interval '1 day', ${status}, now() - ${daysAgo} * interval '1 day',
              now() - ${daysAgo} * interval '1 day' + interval '1 s', ${`salesbot/${job}/${daysAgo}/${status}`}) returning id`;
    return row?.id ?? '';
  }

  it('prunes the old and unneeded, keeps what is still needed, and runs once a day', async () => {
    const plain = await signal('plain', 120);
    const escalated = await signal('escalated', 120);
    await sql`insert into escalations (signal_id, source_bot, signal_type, severity, line, status) values (${escalated}, 'opsbot', 'freight_delay', 'warning', 'x', 'answered')`;
    const undelivered = await signal('undelivered', 120);
    await sql`insert into signal_receipts (signal_id, consumer_bot, status, created_at) values (${undelivered}, 'shipbot', 'pending', now() - interval '120 days')`;
    const approvalLinked = await signal('approval', 120);
    await sql`insert into approvals (bot, action, title, draft, signal_id, expires_at, idempotency_key, status)
              values ('opsbot', 'notify', 'old', '{}', ${approvalLinked}, now() - interval '119 days', 'approval:old', 'executed')`;
    const answered = await signal('answered', 120);
    await sql`insert into operator_messages (channel, sender_id, text, reply_to_signal_id, status) values ('telegram', 't:1', 'ok', ${answered}, 'handled')`;
    const recent = await signal('recent', 10);
    const [oldPost] = await sql<{ id: string }[]>`
      insert into channel_messages (channel, target, bot, text, created_at) values ('local', '#ops-bot', 'opsbot', 'old post', now() - interval '120 days') returning id`;

    const routineOld = await cronRun('hubspot-sync', 'succeeded', 40);
    const routineLatest = await cronRun('hubspot-sync', 'succeeded', 1);
    const onlySuccess = await cronRun('weekly-forecast', 'succeeded', 200);
    const streakFailure = await cronRun('weekly-forecast', 'failed', 150);
    const oldFailure = await cronRun('deal-hygiene', 'failed', 120);
    const newerSuccess = await cronRun('deal-hygiene', 'succeeded', 100);

    const first = await run();
    expect(first.detail.pruneComplete).toBe(true);
    expect(first.detail.pruned).toMatchObject({ signals: 1, runs: 2, channel_messages: 1 });
    // Delivered receipts older than 30 days go even when their signal stays.
    expect(first.detail.pruned?.['receipts']).toBe(5);

    const signals = (await sql<{ id: string }[]>`select id from bot_signals where signal_type = 'freight_delay'`).map((row) => row.id).sort();
    expect(signals).toEqual([escalated, undelivered, approvalLinked, answered, recent].sort());
    expect(signals).not.toContain(plain);
    const runs = (await sql<{ id: string }[]>`select id from cron_runs`).map((row) => row.id).sort();
    expect(runs).toEqual([routineLatest, onlySuccess, streakFailure, newerSuccess].sort());
    expect(runs).not.toContain(routineOld);
    expect(runs).not.toContain(oldFailure);
    expect(await sql`select 1 from channel_messages where id = ${oldPost?.id ?? ''}`).toHaveLength(0);
    expect(await sql`select 1 from signal_receipts where signal_id = ${undelivered} and status = 'pending'`).toHaveLength(1);
    // The failure streak since weekly-forecast's last success is still counted.
    expect((await db.rpc<{ status: string }>('last_successful_run', { p_bot: 'salesbot', p_job: 'weekly-forecast' }))[0]).toBeDefined();

    // Today's pass is done: the next half-hourly run does not prune again.
    await signal('plain again', 120);
    const second = await run();
    expect(second.detail.pruned).toBeUndefined();
    // Switched off, nothing is pruned at all.
    await sql`delete from brain_retention_runs`;
    expect((await run({ BRAIN_RETENTION_ENABLED: 'false' })).detail.pruned).toBeUndefined();
    expect(await sql`select 1 from bot_signals where payload->>'label' = 'plain again'`).toHaveLength(1);
  });

  it('a bad window stops start-up naming the variable', () => {
    expect(() => dbHealthSettings.load({ BRAIN_RETENTION_SIGNAL_DAYS: '0' })).toThrow(/BRAIN_RETENTION_SIGNAL_DAYS/);
  });
});
