import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createPostgresDb, defineBot, startBot, type Db } from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';
import { runsOf } from './scheduler-helpers.js';

// A clock the test moves by hand: timers fire only when it reaches them (bench/day.ts runs a
// whole day this way). Ticks come from this clock's timers, not from real ones.
class HandClock {
  time: number;
  private readonly timers = new Set<{ at: number; callback: () => void }>();
  constructor(start: number) {
    this.time = start;
  }
  readonly now = () => this.time;
  readonly timerAt = (at: number, callback: () => void) => {
    const timer = { at, callback };
    this.timers.add(timer);
    return () => void this.timers.delete(timer);
  };
  get pending(): number {
    return this.timers.size;
  }
  advanceTo(time: number): void {
    this.time = time;
    for (const timer of [...this.timers].filter((candidate) => candidate.at <= time)) {
      this.timers.delete(timer);
      timer.callback();
    }
  }
}

describe('scheduler timerAt seam', () => {
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

  it('a tick fires when the injected clock reaches it, once, stamped with its time; stop cancels the next', async () => {
    const start = Date.UTC(2026, 11, 9, 12, 0, 30);
    const clock = new HandClock(start);
    const entered: string[] = [];
    const bot = defineBot({ name: 'handbot', purpose: 'seam test', jobs: [{ id: 'minutely', schedule: '* * * * *', run: (context) => void entered.push(context.scheduledFor.toISOString()) }] });
    const running = await startBot(bot, {
      db, log: pino({ level: 'silent' }),
      config: {
        hostId: 'hand-host', timeZone: 'UTC', heartbeatIntervalMs: 60_000, shutdownGraceMs: 2000,
        signals: { pollMs: 200, leaseMs: 5000, maxAttempts: 3, concurrency: 2 },
        scheduler: { clock: clock.now, timerAt: clock.timerAt, toleranceMs: 30 * 86_400_000, missedAfterMs: 365 * 86_400_000, checkIntervalMs: 200 },
      },
    });
    try {
      expect(clock.pending).toBe(1);
      clock.advanceTo(start + 29_000); // 12:00:59: not yet
      const succeeded = (count: number) => waitFor(async () => ((await runsOf(db, 'handbot')).filter((run) => run.status === 'succeeded').length === count ? true : undefined), { what: `${count} run(s)`, timeoutMs: 10_000 });
      clock.advanceTo(start + 30_000); // 12:01:00
      await succeeded(1); // (advancing again while it runs would be an overlap: skipped)
      clock.advanceTo(start + 90_000); // 12:02:00
      await succeeded(2);
      expect(entered.sort()).toEqual(['2026-12-09T12:01:00.000Z', '2026-12-09T12:02:00.000Z']);
    } finally {
      await running.stop();
    }
    expect(clock.pending).toBe(0);
  });
});
