import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, ScheduleError, JobScheduler, type Db, type ResolvedJob as JobDefinition } from '@jbot/core';
import { freshDatabase, ManualClock, waitFor, type TestDatabase } from '@jbot/testkit';
import pino from 'pino';
import { idempotentEffectJob } from './fixtures/idempotent-effect-job.js';
import { runsOf, startSchedulerBot } from './scheduler-helpers.js';

// The triggers run on an injected ManualClock the test advances tick by tick, so no test sleeps
// through real seconds. Its time lies in the past: every tick it fires is due by the database
// clock (which still decides), and the missed-tick sweep, which follows the database clock,
// never reaches those ticks.
function clockInThePast(): ManualClock {
  const start = new Date(Date.now() - 2 * 3600_000);
  start.setSeconds(0, 0);
  return new ManualClock(start.getTime());
}

describe('scheduler', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('rejects a bad schedule or time zone at start-up, naming bot, job and expression', () => {
    const make = (job: Partial<JobDefinition>) => () =>
      new JobScheduler({
        db,
        bot: 'salesbot',
        host: 'h',
        log: pino({ level: 'silent' }),
        defaultTimeZone: 'UTC',
        signals: { emit: async () => ({ id: '', deduplicated: false, repeatCount: 1, createdAt: '' }) },
        context: () => {
          throw new Error('unused');
        },
        jobs: [{ id: 'hubspot-sync', schedule: '30 8 * * 1-5', run: () => {}, ...job }],
      });
    expect(make({ schedule: '61 8 * * *' })).toThrow(ScheduleError);
    expect(make({ schedule: '61 8 * * *' })).toThrow(/salesbot, job "hubspot-sync": schedule "61 8 \* \* \*"/);
    expect(make({ tz: 'Moon/Base' })).toThrow(/time zone "Moon\/Base"/);
  });

  it('three schedulers of one bot over 1,000+ ticks: zero duplicate runs, zero gaps', async () => {
    const bot = 'triplebot';
    const executions = new Map<string, number>();
    const jobs: JobDefinition[] = Array.from({ length: 45 }, (_, index) => ({
      id: `tick-${index}`,
      schedule: '* * * * * *',
      run: (context) => {
        const key = `${context.job}@${context.scheduledFor.toISOString()}`;
        executions.set(key, (executions.get(key) ?? 0) + 1);
      },
    }));
    const clock = clockInThePast();
    const hosts = await Promise.all(
      ['vps-1', 'vps-2', 'vps-3'].map((host) => startSchedulerBot(database.url, host, jobs, { bot, clock, missedAfterMs: 3600_000 })),
    );
    // 23 seconds of ticks, one second at a time: each second all three hosts race for 45 ticks.
    for (let second = 1; second <= 23; second += 1) {
      clock.advance(1000);
      await waitFor(async () => (await runsOf(db, bot)).filter((row) => row.status === 'succeeded').length === 45 * second, {
        timeoutMs: 30_000,
        what: `the 45 ticks of second ${second}`,
      });
    }
    await Promise.all(hosts.map((host) => host.stop()));
    const rows = await runsOf(db, bot);
    const succeeded = rows.filter((row) => row.status === 'succeeded');
    expect(succeeded.length).toBeGreaterThanOrEqual(1000);
    // Each tick ran in exactly one process.
    expect([...executions.values()].every((count) => count === 1)).toBe(true);
    expect(executions.size).toBe(succeeded.length);
    // No gaps: per job, every second between its first and last run has a row, and no row is missed.
    for (const job of jobs) {
      const seconds = rows
        .filter((row) => row.job === job.id)
        .map((row) => Date.parse(row.scheduled_for) / 1000)
        .sort((a, b) => a - b);
      const first = seconds[0] ?? 0;
      const last = seconds.at(-1) ?? 0;
      expect(seconds.length).toBe(last - first + 1);
    }
    expect(rows.filter((row) => row.status !== 'succeeded')).toEqual([]);
    expect(new Set(succeeded.map((row) => row.host)).size).toBeGreaterThan(1);
  }, 90_000);

  it('SIGKILL mid-run: the run becomes abandoned, is retried once, and the idempotency key keeps its side effect single', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-sched-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'scheduler-process.ts'), database.url, directory, 'victim'],
      { stdio: 'inherit' },
    );
    await waitFor(() => fs.existsSync(path.join(directory, 'victim.ready')), { timeoutMs: 30_000, what: 'the victim process' });
    const [requested] = await db.rpc<{ run_id: string }>('request_manual_run', { p_bot: 'crashbot', p_job: 'send-report' });
    await waitFor(() => fs.existsSync(path.join(directory, 'effects')), { what: 'the side effect' });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const survivor = await startSchedulerBot(database.url, 'survivor', [idempotentEffectJob(directory, { hangAfterEffect: false })], { bot: 'crashbot' });
    const run = await waitFor(async () => (await runsOf(db, 'crashbot')).find((row) => row.run_id === requested?.run_id && row.status === 'succeeded'), {
      timeoutMs: 20_000,
      what: 'the retried run to succeed',
    });
    await survivor.stop();
    expect(run.attempt).toBe(2);
    expect(run.host).toBe('survivor');
    const attempts = fs.readFileSync(path.join(directory, 'attempts'), 'utf8').trim().split('\n');
    expect(attempts.map((line) => line.split(' ')[1])).toEqual(['1', '2']);
    expect(new Set(attempts.map((line) => line.split(' ')[0])).size).toBe(1);
    expect(fs.readFileSync(path.join(directory, 'effects'), 'utf8').trim().split('\n')).toHaveLength(1);
    const signals = await db.rpc<{ payload: { status: string; run_id: string } }>('list_signals', { p_signal_type: 'job_missed' });
    expect(signals.some((signal) => signal.payload.status === 'abandoned' && signal.payload.run_id === requested?.run_id)).toBe(true);
    fs.rmSync(directory, { recursive: true, force: true });
  }, 60_000);

  it('a scheduler whose clock is 90 s fast neither fires early nor twice', async () => {
    const bot = 'skewbot';
    const ranBy: string[] = [];
    const warnings: string[] = [];
    const fastLog = pino(
      { level: 'warn' },
      {
        write: (line: string) => {
          warnings.push((JSON.parse(line) as { msg: string }).msg);
        },
      },
    );
    const job = (host: string): JobDefinition => ({
      id: 'pulse',
      schedule: '*/2 * * * * *',
      run: () => {
        ranBy.push(host);
      },
    });
    // The honest host's clock trails the database a little (its ticks are due); the fast host's
    // runs 90 s ahead of it, so each trigger it fires is 80 s ahead of the database.
    const honestClock = new ManualClock(Math.floor(Date.now() / 2000) * 2000 - 10_000);
    const fastClock = new ManualClock(honestClock.now() + 90_000);
    const fast = await startSchedulerBot(database.url, 'fast-host', [job('fast-host')], { bot, clock: fastClock, log: fastLog });
    const honest = await startSchedulerBot(database.url, 'honest-host', [job('honest-host')], { bot, clock: honestClock });
    for (let tick = 1; tick <= 3; tick += 1) {
      fastClock.advance(2000);
      honestClock.advance(2000);
      await waitFor(async () => (await runsOf(db, bot)).filter((row) => row.status === 'succeeded').length === tick, {
        what: `tick ${tick} of the honest host`,
      });
    }
    await waitFor(() => warnings.filter((message) => message.startsWith('trigger fired before the database clock reached the tick')).length >= 3, {
      what: 'the fast host to fire (and hold) its three triggers',
    });
    await fast.stop();
    await honest.stop();
    const rows = await runsOf(db, bot);
    expect(rows.length).toBe(3);
    expect(rows.every((row) => row.host === 'honest-host')).toBe(true);
    for (const row of rows) {
      expect(row.status).toBe('succeeded');
      // Started no earlier than its tick by the database clock (1 s tolerance between hosts).
      expect(Date.parse(row.started_at ?? '')).toBeGreaterThanOrEqual(Date.parse(row.scheduled_for) - 1000);
    }
    expect(ranBy.length).toBe(rows.length);
    expect(new Set(rows.map((row) => row.scheduled_for)).size).toBe(rows.length);
  }, 30_000);

  it('overlap: skip records skipped ticks; queue runs them later without overlapping', async () => {
    const clock = clockInThePast();
    // Each run takes 2.3 s on the host clock; at the end every run still going is let finish.
    let ending = false;
    let endAll = () => {};
    const ended = new Promise<void>((resolve) => {
      endAll = resolve;
    });
    const slow = (id: string, overlap: 'skip' | 'queue'): JobDefinition => ({
      id,
      schedule: '* * * * * *',
      overlap,
      run: () => (ending ? undefined : Promise.race([clock.sleep(2300), ended])),
    });
    const host = await startSchedulerBot(database.url, 'overlap-host', [slow('slow-skip', 'skip'), slow('slow-queue', 'queue')], {
      bot: 'overlapbot',
      clock,
      missedAfterMs: 3600_000,
    });
    const finishedQueueRuns = async () => (await runsOf(db, 'overlapbot', 'slow-queue')).filter((row) => row.status === 'succeeded').length;
    for (let second = 1; second <= 6 || (await finishedQueueRuns()) < 2; second += 1) {
      if (second > 40) throw new Error('the queued ticks never ran');
      clock.advance(1000);
      const tick = new Date(clock.now()).toISOString();
      await waitFor(async () => (await runsOf(db, 'overlapbot', 'slow-skip')).some((row) => new Date(row.scheduled_for).toISOString() === tick), {
        what: `the skip job's row for ${tick}`,
      });
      // A queued tick claims within a quarter second of its predecessor finishing; let it start
      // before the clock moves on, so its 2.3 s are counted from here.
      await waitFor(async () => (await runsOf(db, 'overlapbot', 'slow-queue')).some((row) => row.status === 'running'), { what: 'a queued run to be going' });
    }
    ending = true;
    endAll();
    await host.stop();
    const skip = await runsOf(db, 'overlapbot', 'slow-skip');
    expect(skip.filter((row) => row.status === 'skipped').length).toBeGreaterThanOrEqual(2);
    const queue = (await runsOf(db, 'overlapbot', 'slow-queue'))
      .filter((row) => row.started_at !== null)
      .sort((a, b) => Date.parse(a.started_at ?? '') - Date.parse(b.started_at ?? ''));
    expect(queue.filter((row) => row.status === 'skipped')).toHaveLength(0);
    expect(queue.length).toBeGreaterThanOrEqual(2);
    for (let index = 1; index < queue.length; index += 1) {
      expect(Date.parse(queue[index]?.started_at ?? '')).toBeGreaterThanOrEqual(Date.parse(queue[index - 1]?.finished_at ?? 'z'));
    }
  }, 30_000);

  it('missed: skip leaves visible missed rows and a signal; once runs the newest missed tick once', async () => {
    // History: the jobs last ran a while ago (the bot was down since).
    const longAgo = new Date(Date.now() - 8000);
    longAgo.setMilliseconds(0);
    await db.rpc('claim_cron_run', { p_bot: 'downbot', p_job: 'every-second', p_scheduled_for: longAgo, p_host: 'old', p_pid: 1 });
    const minuteAgo = new Date(Date.now() - 3 * 60_000);
    minuteAgo.setSeconds(0, 0);
    await db.rpc('claim_cron_run', { p_bot: 'downbot', p_job: 'every-minute', p_scheduled_for: minuteAgo, p_host: 'old', p_pid: 1 });
    for (const row of await runsOf(db, 'downbot')) await db.rpc('finish_cron_run', { p_run_id: row.run_id, p_status: 'succeeded' });
    const caughtUp: string[] = [];
    const host = await startSchedulerBot(
      database.url,
      'back-host',
      [
        { id: 'every-second', schedule: '* * * * * *', run: () => {} },
        {
          id: 'every-minute',
          schedule: '* * * * *',
          missed: 'once',
          graceMs: 5 * 60_000,
          run: (context) => {
            caughtUp.push(context.scheduledFor.toISOString());
          },
        },
      ],
      { bot: 'downbot', missedAfterMs: 1500 },
    );
    // The sweep follows the database clock, so the history above is the only time travel needed.
    await waitFor(async () => (await runsOf(db, 'downbot', 'every-second')).filter((row) => row.status === 'missed').length >= 5 && caughtUp.length === 1, {
      what: 'the missed rows and the catch-up run',
    });
    await waitFor(
      async () =>
        (await db.rpc<{ payload: { status: string; job: string } }>('list_signals', { p_signal_type: 'job_missed', p_limit: 100 })).some(
          (signal) => signal.payload.job === 'every-second',
        ),
      { what: 'the job_missed signal' },
    );
    await host.stop();
    const everySecond = await runsOf(db, 'downbot', 'every-second');
    const missed = everySecond.filter((row) => row.status === 'missed');
    expect(missed.length).toBeGreaterThanOrEqual(5);
    expect(missed.every((row) => Date.parse(row.scheduled_for) > longAgo.getTime())).toBe(true);
    const everyMinute = await runsOf(db, 'downbot', 'every-minute');
    expect(caughtUp).toHaveLength(1);
    const newestMissedTick = new Date(Date.now());
    newestMissedTick.setSeconds(0, 0);
    expect(everyMinute.filter((row) => row.status === 'succeeded' && row.host === 'back-host')).toHaveLength(1);
    expect(everyMinute.filter((row) => row.status === 'missed').length).toBeGreaterThanOrEqual(1);
    const signals = await db.rpc<{ payload: { status: string; job: string } }>('list_signals', { p_signal_type: 'job_missed', p_limit: 100 });
    expect(signals.some((signal) => signal.payload.status === 'missed' && signal.payload.job === 'every-second')).toBe(true);
  }, 30_000);

  it('timeout aborts the job and marks it timed_out; retries run with the same idempotency key; two failures in a row raise job_failed', async () => {
    let sawAbort = false;
    const keys: string[] = [];
    let flakyCalls = 0;
    const host = await startSchedulerBot(
      database.url,
      'policy-host',
      [
        {
          id: 'too-slow',
          schedule: '0 0 1 1 *',
          timeoutMs: 300,
          run: (context) =>
            new Promise<void>((_, reject) =>
              context.abortSignal.addEventListener('abort', () => {
                sawAbort = true;
                reject(new Error('aborted'));
              }),
            ),
        },
        {
          id: 'flaky',
          schedule: '0 0 1 1 *',
          retries: { count: 2, backoffMs: 100 },
          run: (context) => {
            keys.push(context.idempotencyKey);
            flakyCalls += 1;
            if (flakyCalls === 1) throw new Error('HubSpot 502');
          },
        },
        {
          id: 'broken',
          schedule: '0 0 1 1 *',
          run: () => {
            throw new Error('always broken');
          },
        },
      ],
      { bot: 'policybot' },
    );
    for (const job of ['too-slow', 'flaky', 'broken']) await db.rpc('request_manual_run', { p_bot: 'policybot', p_job: job });
    await waitFor(
      async () => (await runsOf(db, 'policybot')).filter((row) => row.status !== 'running' && row.status !== 'requested').length === 3 && flakyCalls === 2,
      { what: 'three runs finished' },
    );
    await db.rpc('request_manual_run', { p_bot: 'policybot', p_job: 'broken' });
    await waitFor(async () => (await runsOf(db, 'policybot', 'broken')).filter((row) => row.status === 'failed').length === 2, { what: 'second failure' });
    await waitFor(async () => (await db.rpc('list_signals', { p_signal_type: 'job_failed' })).length === 1, { what: 'job_failed signal' });
    await host.stop();
    const [slow] = await runsOf(db, 'policybot', 'too-slow');
    expect(slow).toMatchObject({ status: 'timed_out' });
    expect(slow?.error).toMatch(/timed out after 300 ms/);
    expect(sawAbort).toBe(true);
    const [flaky] = await runsOf(db, 'policybot', 'flaky');
    expect(flaky).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    const [failed] = await db.rpc<{ payload: { job: string; consecutive_failures: number } }>('list_signals', { p_signal_type: 'job_failed' });
    expect(failed?.payload).toMatchObject({ job: 'broken', consecutive_failures: 2 });
  }, 30_000);
});
