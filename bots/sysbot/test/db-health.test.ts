import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, readLastRun, type Db, type OperatorInstruction } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { dbHealth, dbHealthSettings } from '../src/jobs/db-health.js';
import { answerOperator } from '../src/operator-replies.js';

const silent = pino({ level: 'silent' });

describe('sysbot db-health', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const services = () => buildBotServices(sysbot, { db, log: silent, host: 'vps-1' });
  let runs = 0;

  const run = async (env: Record<string, string> = {}) => {
    runs += 1;
    const scheduledFor = new Date(Date.now() - 600_000 + runs * 1000);
    const [claim] = await db.rpc<{ run_id: string }>('claim_cron_run', {
      p_bot: 'sysbot',
      p_job: 'db-health',
      p_scheduled_for: scheduledFor.toISOString(),
      p_host: 'vps-1',
      p_pid: 1,
    });
    const runId = claim?.run_id ?? '';
    const context = services().context(new AbortController().signal, silent, { job: 'db-health', runId });
    const result = (await dbHealth.run({
      ...context,
      config: dbHealthSettings.load(env),
      job: 'db-health',
      runId,
      scheduledFor: new Date(),
      attempt: 1,
      manual: false,
      idempotencyKey: 'k',
      lastRun: () => readLastRun(db, 'sysbot', 'db-health', scheduledFor),
    })) as { outcome: string; fingerprint: string; detail: { problems: string[]; sizeMb: number } };
    await db.rpc('record_cron_run_result', { p_run_id: runId, p_result: {}, p_outcome: result.outcome, p_fingerprint: result.fingerprint });
    await db.rpc('finish_cron_run', { p_run_id: runId, p_status: 'succeeded' });
    return result;
  };
  const signals = async () =>
    (await sql`select severity::text, payload from bot_signals where signal_type = 'brain_degraded' order by created_at`).map((row) => [
      row['payload'].check,
      row['severity'],
    ]);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2 });
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared on sysbot every 30 minutes with a timeout', () => {
    expect(sysbot.jobs?.find((job) => job.id === 'db-health')).toMatchObject({ schedule: '*/30 * * * *', timeoutMs: 60_000, overlap: 'skip', missed: 'skip' });
  });

  it('a healthy brain on the default plan: nothing to report, no signal', async () => {
    const result = await run();
    expect(result.outcome).toBe('nothing to report');
    expect(result.detail.sizeMb).toBeGreaterThan(0);
    expect(await signals()).toEqual([]);
  });

  it('a brain at 85% of its plan is a warning; at 100% an alert', async () => {
    const { detail } = await run();
    const warned = await run({ DB_HEALTH_PLAN_MB: String(Math.round(detail.sizeMb / 0.85)) });
    expect(warned.detail.problems).toEqual(['size warning']);
    expect((await run({ DB_HEALTH_PLAN_MB: String(detail.sizeMb) })).detail.problems).toEqual(['size alert']);
    expect(await signals()).toEqual([
      ['size', 'warning'],
      ['size', 'alert'],
    ]);
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' order by sent_at desc limit 1`;
    expect(post?.['text']).toContain(`Brain health: 1 problem`);
    // The brain grows while the test writes (runs, posts): the size may have crossed the next MB since the first run.
    expect(post?.['text']).toMatch(new RegExp(`size: \\d+ MB of the ${detail.sizeMb} MB plan \\(1\\d\\d%\\)`));
    await sql`delete from bot_signals`;
  });

  it('a signal waiting 20 minutes for its consumer, a dead letter and a query running past the limit are found', async () => {
    const context = services().context(new AbortController().signal, silent, { job: 'test', runId: 't' });
    const emitted = await context.signals.emit('bot_note', { text: 'a note' });
    await sql`insert into signal_receipts (signal_id, consumer_bot, status, created_at) values (${emitted.id}, 'shipbot', 'pending', now() - interval '20 minutes')`;
    await sql`insert into signal_receipts (signal_id, consumer_bot, status, attempts, error) values (${emitted.id}, 'opsbot', 'dead', 5, 'handler threw 5 times')`;
    // A query that keeps running on another connection, until it has run past the (test's) 1-second limit.
    const sleeper = postgres(database.url, { max: 1 });
    const sleeping = sleeper`select pg_sleep(60)`.catch(() => undefined);
    for (;;) {
      const [row] =
        await sql`select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep(60)%' and state = 'active' and query_start < clock_timestamp() - interval '1 second'`;
      if (row?.['n'] === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    try {
      const result = await run({ DB_HEALTH_LONG_QUERY_SECONDS: '1' });
      expect(result.detail.problems).toEqual(['long_query alert', 'oldest_pending alert', 'dead_letters warning']);
    } finally {
      await sql`select pg_cancel_backend(pid) from pg_stat_activity where query like 'select pg_sleep(60)%' and pid <> pg_backend_pid()`;
      await sleeping;
      await sleeper.end();
    }
    const [oldest] = await sql`select id, payload from bot_signals where signal_type = 'brain_degraded' and payload->>'check' = 'oldest_pending'`;
    expect(oldest?.['payload']).toMatchObject({ check: 'oldest_pending', value: 20, threshold: 10 });
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' order by sent_at desc limit 1`;
    expect(post?.['text']).toContain('oldest_pending: the oldest undelivered signal has waited 20 min');
    expect(post?.['text']).toContain('dead_letters: 1 signal delivery gave up in the last 24 h');

    // The operator asks about it: the finding, the brain read again now, and what to do.
    const instruction: OperatorInstruction = {
      text: 'what now?',
      operatorMessageId: 'm',
      signalId: oldest?.['id'] as string,
      approvalId: null,
      instructionSignalId: 'i',
      channel: 'telegram',
      senderId: '42',
    };
    expect(await answerOperator(instruction, context)).toMatch(
      /^brain oldest_pending: the oldest undelivered signal has waited 20 min\. Now: \d+ MB, \d+ of \d+ connections, 0 long queries, 1 deliveries waiting, 1 dead in 24 h\. What to do: check that the consuming bots run/,
    );
  });
});
