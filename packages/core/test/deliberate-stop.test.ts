import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, downOnPurpose, type Db, type LifecycleEvent, type ResolvedJob as JobDefinition } from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';
import { runsOf, startSchedulerBot } from './scheduler-helpers.js';

// Issue 14 point 8: a deliberate stop pages nobody; a crash still does.

const pulse: JobDefinition = { id: 'pulse', schedule: '* * * * * *', run: () => {} };

describe('downOnPurpose', () => {
  const start = (host: string, at: number): LifecycleEvent => ({ host, event: 'start', at });
  const stop = (host: string, at: number): LifecycleEvent => ({ host, event: 'stop', at });
  const minute = 60_000;

  it('down on purpose between a clean stop and the next start (and while that start is still arming)', () => {
    const events = [start('vps-1', 0), stop('vps-1', 10 * minute), start('vps-1', 20 * minute)];
    expect(downOnPurpose(events, 5 * minute)).toBe(false); // up
    expect(downOnPurpose(events, 15 * minute)).toBe(true); // stopped on purpose
    expect(downOnPurpose(events, 20 * minute + 10_000)).toBe(true); // the new process is arming
    expect(downOnPurpose(events, 25 * minute)).toBe(false); // up again: a miss now is a fault
  });

  it('a crash (a start with no stop after it) is never on purpose', () => {
    expect(downOnPurpose([start('vps-1', 0), start('vps-1', 20 * minute)], 15 * minute)).toBe(false);
    expect(downOnPurpose([start('vps-1', 0), stop('vps-1', 5 * minute), start('vps-1', 10 * minute)], 15 * minute)).toBe(false);
  });

  it('with two hosts, only when both were stopped cleanly', () => {
    const events = [start('vps-1', 0), start('vps-2', 0), stop('vps-1', 10 * minute)];
    expect(downOnPurpose(events, 15 * minute)).toBe(false); // vps-2 died without a stop
    expect(downOnPurpose([...events, stop('vps-2', 12 * minute)], 15 * minute)).toBe(true);
  });

  it('no history at all is not on purpose', () => {
    expect(downOnPurpose([], 0)).toBe(false);
  });
});

describe('ticks missed while the fleet was down (real Postgres)', () => {
  let database: TestDatabase;
  let db: Db;
  let directory: string;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-stop-'));
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const dbNow = async () => Date.parse((await db.rpc<{ now: string }>('db_now'))[0]?.now ?? '');
  /** Let the database clock pass `milliseconds` from now: the fleet stays down for a few ticks. */
  const stayDown = async (milliseconds: number) => {
    const until = (await dbNow()) + milliseconds;
    await waitFor(async () => (await dbNow()) >= until, { intervalMs: 100, what: 'the downtime to pass' });
  };
  const jobMissed = async (bot: string) =>
    (await db.rpc<{ payload: { bot: string; status: string } }>('list_signals', { p_signal_type: 'job_missed', p_limit: 1000 })).filter(
      (signal) => signal.payload.bot === bot,
    );

  it('after a clean stop and a restart: one quiet row per gap in fleet runs, no job_missed', async () => {
    const bot = 'pausebot';
    const first = await startSchedulerBot(database.url, 'vps-1', [pulse], { bot, missedAfterMs: 1000 });
    await waitFor(async () => (await runsOf(db, bot)).some((row) => row.status === 'succeeded'), { what: 'a first tick' });
    await first.stop(); // heartbeat 'stopping', then 'stopped': the stop is on purpose
    const lastBefore = Math.max(...(await runsOf(db, bot)).filter((row) => row.status !== 'missed').map((row) => Date.parse(row.scheduled_for)));
    await stayDown(3500);

    const second = await startSchedulerBot(database.url, 'vps-1', [pulse], { bot, missedAfterMs: 1000 });
    const firstAfter = await waitFor(
      async () => {
        const claimed = (await runsOf(db, bot)).filter((row) => row.status === 'succeeded' && Date.parse(row.scheduled_for) > lastBefore);
        return claimed.length >= 2 ? Math.min(...claimed.map((row) => Date.parse(row.scheduled_for))) : undefined;
      },
      { what: 'the restarted bot to run its ticks' },
    );
    // The gap closes once the sweep reaches the tick before the first one run after the restart.
    const gap = await waitFor(
      async () => {
        const [row] = await db.rpc<{ covers_until: string | null }>('cron_gaps_between', {
          p_bot: bot,
          p_job: 'pulse',
          p_from: new Date(lastBefore),
          p_to: new Date(firstAfter),
        });
        return row?.covers_until !== undefined && row.covers_until !== null && Date.parse(row.covers_until) === firstAfter - 1000 ? row : undefined;
      },
      { what: 'the quiet gap to reach the restart' },
    );
    await second.stop();

    expect(gap).toBeDefined();
    const missed = (await runsOf(db, bot)).filter((row) => row.status === 'missed');
    expect(missed).toHaveLength(1); // one row for the whole gap, not one per tick
    const ticks = (firstAfter - lastBefore) / 1000 - 1;
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(Date.parse(missed[0]?.scheduled_for ?? '')).toBe(lastBefore + 1000);
    expect(missed[0]?.error).toMatch(new RegExp(`^stopped on purpose: ${ticks} ticks not run, `));
    expect(await jobMissed(bot)).toEqual([]);
    const lifecycle = await db.rpc<{ event: string }>('bot_lifecycle', { p_bot: bot, p_since: new Date(0) });
    expect(lifecycle.map((event) => event.event)).toEqual(['start', 'stop', 'start', 'stop']);
  }, 60_000);

  it('after a crash (SIGKILL, no stop recorded): one missed row per tick and job_missed, as before', async () => {
    const bot = 'crashpulse';
    const ready = path.join(directory, 'crashpulse.ready');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'pulse-process.ts'), database.url, bot, 'vps-1', ready],
      { stdio: 'inherit' },
    );
    await waitFor(() => fs.existsSync(ready), { timeoutMs: 30_000, what: 'the bot process' });
    await waitFor(async () => (await runsOf(db, bot)).some((row) => row.status === 'succeeded'), { what: 'a first tick' });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    await stayDown(3500);

    const survivor = await startSchedulerBot(database.url, 'vps-1', [pulse], { bot, missedAfterMs: 1000 });
    await waitFor(
      async () =>
        (await runsOf(db, bot)).filter((row) => row.status === 'missed').length >= 3 &&
        (await jobMissed(bot)).some((signal) => signal.payload.status === 'missed'),
      { what: 'the missed rows and the page' },
    );
    await survivor.stop();

    const gaps = await db.rpc('cron_gaps_between', { p_bot: bot, p_job: 'pulse', p_from: new Date(0), p_to: new Date(Date.now() + 60_000) });
    expect(gaps).toEqual([]);
    const missed = (await runsOf(db, bot)).filter((row) => row.status === 'missed');
    expect(missed.every((row) => row.error === 'no process claimed this tick')).toBe(true);
  }, 60_000);
});
