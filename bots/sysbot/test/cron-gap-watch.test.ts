import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, previousTick, readLastRun, type Db, type OperatorInstruction } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { cronGapWatchSettings, defineCronGapWatch, type RegisteredJob } from '../src/jobs/cron-gap-watch.js';
import { answerOperator } from '../src/operator-replies.js';

const silent = pino({ level: 'silent' });
const HOUR = 3600_000;

// The fleet as this test declares it: opsbot runs three jobs, salesbot runs but lacks one, shipbot is stopped on purpose.
const registry: RegisteredJob[] = [
  { bot: 'opsbot', job: 'freight-watch', schedule: '*/30 * * * *', timeoutMs: 60_000 },
  { bot: 'opsbot', job: 'late-check', schedule: '15 * * * *', timeoutMs: 60_000 },
  { bot: 'opsbot', job: 'slow-sync', schedule: '*/10 * * * *', timeoutMs: 60_000 },
  { bot: 'salesbot', job: 'hubspot-sync', schedule: '30 8 * * *', timeoutMs: 60_000 },
  { bot: 'shipbot', job: 'inventory-cover', schedule: '0 7 * * *', timeoutMs: 60_000 },
];

describe('sysbot cron-gap-watch', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  // A whole minute ending in 7 (in the past, so ticks before it can be claimed): never on a tick of the schedules below.
  const now = new Date(Math.floor(Date.now() / 600_000) * 600_000 - 3 * 60_000);
  const watch = defineCronGapWatch(async () => registry);
  const config = cronGapWatchSettings.load({ FLEET_TZ: 'UTC' });
  const services = () => buildBotServices(sysbot, { db, log: silent, host: 'vps-1' });

  const run = async (manual = false) => {
    const context = services().context(new AbortController().signal, silent, { job: 'cron-gap-watch', runId: 'r' });
    return (await watch.run({
      ...context,
      config,
      job: 'cron-gap-watch',
      runId: 'r',
      scheduledFor: now,
      attempt: 1,
      manual,
      idempotencyKey: 'k',
      lastRun: () => readLastRun(db, 'sysbot', 'cron-gap-watch', now),
    })) as { outcome: string; fingerprint: string; detail: { gaps: string[]; posted: boolean; checked: number } };
  };
  // Record a finished run the way the scheduler does: claim the tick, then finish it.
  const ran = async (bot: string, job: string, scheduledFor: Date, status = 'succeeded', durationMs = 0) => {
    const [claim] = await db.rpc<{ run_id: string }>('claim_cron_run', {
      p_bot: bot,
      p_job: job,
      p_scheduled_for: scheduledFor.toISOString(),
      p_host: 'vps-1',
      p_pid: 1,
    });
    await db.rpc('finish_cron_run', { p_run_id: claim?.run_id, p_status: status, p_error: status === 'failed' ? 'HubSpot 502' : null });
    if (durationMs > 0)
      await sql`update cron_runs set started_at = finished_at - make_interval(secs => ${durationMs / 1000}) where id = ${claim?.run_id ?? ''}`;
  };
  const ticksBefore = (schedule: string, count: number) => {
    const ticks: Date[] = [];
    let at = new Date(now.getTime() + 1000);
    for (let index = 0; index < count; index += 1) ticks.push((at = previousTick(schedule, 'UTC', at)));
    return ticks;
  };
  const beat = (bot: string, jobs: string[], status = 'running') =>
    db.rpc('beat_heartbeat', {
      p_bot: bot,
      p_host: 'vps-1',
      p_pid: 1000,
      p_version: 'test',
      p_started_at: new Date(now.getTime() - 6 * HOUR).toISOString(),
      p_status: status,
      p_detail: { jobs },
    });
  let recorded = 0;
  // A sysbot run recorded as the scheduler records it, so the next run compares with its fingerprint.
  const record = async (fingerprint: string) => {
    recorded += 1;
    const at = new Date(now.getTime() - recorded * 1000);
    const [claim] = await db.rpc<{ run_id: string }>('claim_cron_run', {
      p_bot: 'sysbot',
      p_job: 'cron-gap-watch',
      p_scheduled_for: at.toISOString(),
      p_host: 'vps-1',
      p_pid: 1,
    });
    await db.rpc('record_cron_run_result', { p_run_id: claim?.run_id, p_result: {}, p_outcome: 'x', p_fingerprint: fingerprint });
    await db.rpc('finish_cron_run', { p_run_id: claim?.run_id, p_status: 'succeeded' });
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1 });
    await beat('opsbot', ['freight-watch', 'late-check', 'slow-sync']);
    await beat('salesbot', ['weekly-forecast']);
    await beat('shipbot', ['inventory-cover'], 'stopped');
    // freight-watch: last success 3 h ago, the ticks since failed (the planted gap).
    const freight = ticksBefore('*/30 * * * *', 8);
    for (const tick of freight.slice(0, 6)) await ran('opsbot', 'freight-watch', tick, 'failed');
    for (const tick of freight.slice(6)) await ran('opsbot', 'freight-watch', tick);
    // late-check: healthy, succeeded on each of its last three ticks.
    for (const tick of ticksBefore('15 * * * *', 3)) await ran('opsbot', 'late-check', tick);
    // slow-sync: on time, but every run takes 55 s of its 60 s timeout.
    for (const tick of ticksBefore('*/10 * * * *', 6)) await ran('opsbot', 'slow-sync', tick, 'succeeded', 55_000);
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared on sysbot every 10 minutes with a timeout, skipping overlaps and missed ticks', () => {
    const declared = sysbot.jobs?.find((job) => job.id === 'cron-gap-watch');
    expect(declared).toMatchObject({ schedule: '*/10 * * * *', timeoutMs: 60_000, overlap: 'skip', missed: 'skip' });
  });

  it('finds the stale job, the slow one and the unhosted one; the healthy and the stopped bot are not flagged', async () => {
    const result = await run();
    expect(result.detail.gaps).toEqual(['slow opsbot/slow-sync', 'stale opsbot/freight-watch', 'unhosted salesbot/hubspot-sync']);
    expect(result.detail).toMatchObject({ checked: 5, posted: true });
    const signals = await sql`select severity::text, payload from bot_signals where signal_type = 'job_stale' order by payload->>'job'`;
    expect(signals.map((row) => [row['payload'].job, row['payload'].kind, row['severity']])).toEqual([
      ['freight-watch', 'stale', 'alert'],
      ['hubspot-sync', 'unhosted', 'alert'],
      ['slow-sync', 'slow', 'warning'],
    ]);
    const stale = signals[0]?.['payload'];
    expect(stale).toMatchObject({ bot: 'opsbot', ticks_missed: 6, last_status: 'failed', last_error: 'HubSpot 502' });
    expect(stale.last_success_at).not.toBeNull();
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' order by sent_at desc limit 1`;
    expect(post?.['text']).toContain('Schedule gaps: 3 jobs not doing their work');
    expect(post?.['text']).toContain('opsbot/freight-watch (*/30 * * * *): no success for 6 ticks');
    expect(post?.['text']).toContain('opsbot/slow-sync (*/10 * * * *): p95 55 s is 92% of its 60 s timeout');
    await record(result.fingerprint);
  });

  it('a gap that persists is neither reposted nor signalled again', async () => {
    const posts = async () => (await sql`select count(*)::int as n from channel_messages where bot = 'sysbot'`)[0]?.['n'] as number;
    const before = await posts();
    const result = await run();
    expect(result.outcome).toBe('3 schedule gaps, unchanged since the last run (not reposted)');
    expect(await posts()).toBe(before);
    const counts = await sql`select repeat_count from bot_signals where signal_type = 'job_stale'`;
    expect(counts.map((row) => row['repeat_count'])).toEqual([2, 2, 2]);
  });

  it('the operator\'s reply explains the gap with the latest runs; "run it" asks the bot for a run once', async () => {
    const [signal] = await sql`select id from bot_signals where signal_type = 'job_stale' and payload->>'kind' = 'stale'`;
    const context = services().context(new AbortController().signal, silent, { job: 'operator', runId: 'o' });
    const instruction = (text: string, operatorMessageId: string): OperatorInstruction => ({
      text,
      operatorMessageId,
      signalId: signal?.['id'] as string,
      approvalId: null,
      instructionSignalId: 'i',
      channel: 'telegram',
      senderId: '42',
    });
    const explained = await answerOperator(instruction('why?', 'm1'), context);
    expect(explained).toMatch(
      /^opsbot\/freight-watch: no scheduled success for 6 ticks of \*\/30 \* \* \* \* \(last success .+\)\. Latest runs: .+ failed \(HubSpot 502\)/,
    );
    expect(await sql`select count(*)::int as n from cron_runs where manual`).toEqual([{ n: 0 }]);
    const asked = await answerOperator(instruction('run it now', 'm2'), context);
    expect(asked).toMatch(/^asked opsbot to run freight-watch now/);
    // The same reply redelivered: no second run.
    expect(await answerOperator(instruction('run it now', 'm2'), context)).toMatch(/^already asked opsbot/);
    expect(await sql`select bot, job, status, requested_by from cron_runs where manual`).toEqual([
      { bot: 'opsbot', job: 'freight-watch', status: 'requested', requested_by: 'operator:42' },
    ]);
  });

  it("a scheduler on a simulated clock (the bench's day) does not count the jump from the host's start as missed ticks", async () => {
    // jbot started a minute ago on the brain's clock; the scheduler's clock says three days later.
    await db.rpc('beat_heartbeat', {
      p_bot: 'jbot',
      p_host: 'vps-1',
      p_pid: 1001,
      p_version: 'test',
      p_started_at: new Date(Date.now() - 60_000).toISOString(),
      p_status: 'running',
      p_detail: { jobs: ['morning-brief'] },
    });
    const simulated = defineCronGapWatch(async () => [{ bot: 'jbot', job: 'morning-brief', schedule: '30 7 * * *', timeoutMs: 60_000 }]);
    const context = services().context(new AbortController().signal, silent, { job: 'cron-gap-watch', runId: 's' });
    const result = (await simulated.run({
      ...context,
      config,
      job: 'cron-gap-watch',
      runId: 's',
      scheduledFor: new Date(now.getTime() + 3 * 86_400_000),
      attempt: 1,
      manual: true,
      idempotencyKey: 'k',
      lastRun: async () => null,
    })) as { detail: { gaps: string[] } };
    expect(result.detail.gaps).toEqual([]);
  });

  it('once the job succeeds on its latest tick (not a manual run) the gap is gone', async () => {
    await sql`update cron_runs set status = 'succeeded', finished_at = now() where manual`;
    expect((await run()).detail.gaps).toContain('stale opsbot/freight-watch');
    const [latest] = ticksBefore('*/30 * * * *', 1);
    await sql`update cron_runs set status = 'succeeded' where job = 'freight-watch' and scheduled_for = ${latest ?? now}`;
    expect((await run()).detail.gaps).toEqual(['slow opsbot/slow-sync', 'unhosted salesbot/hubspot-sync']);
  });
});
