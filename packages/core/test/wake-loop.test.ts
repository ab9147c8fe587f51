import { createHook } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { catalogSignalTypes, createPostgresDb, settlesWithin, SignalConsumer, SignalRegistry, WakeLoop, type Db } from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

const log = pino({ level: 'silent' });
const HOUR = 3600_000;

/** A promise with its resolve handle, so a test decides when a pass ends. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Long timers (a minute or more) created while `work` runs that are still armed afterwards: a
 * shutdown grace timer left behind keeps the process alive. Short timers (connection pools) are
 * not the subject and are ignored.
 */
async function longTimersLeftBy(work: () => Promise<unknown>): Promise<number> {
  const created: Array<{ _idleTimeout?: number; _destroyed?: boolean }> = [];
  const hook = createHook({
    init: (_id, type, _trigger, resource) => {
      if (type === 'Timeout') created.push(resource as never);
    },
  }).enable();
  try {
    await work();
  } finally {
    hook.disable();
  }
  return created.filter((timer) => (timer._idleTimeout ?? 0) >= 60_000 && timer._destroyed !== true).length;
}

describe('wake loop', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('wake-ups during a pass coalesce into exactly one more pass, and passes never overlap', async () => {
    const gates = [gate(), gate(), gate()];
    let passes = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const loop = new WakeLoop({
      pollMs: HOUR,
      log,
      failureMessage: 'test pass failed',
      pass: async () => {
        const index = passes;
        passes += 1;
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await gates[index]?.promise;
        concurrent -= 1;
      },
    });
    await loop.start(); // the first pass starts at once
    expect(passes).toBe(1);
    for (let index = 0; index < 5; index += 1) loop.wake();
    gates[0]?.open();
    await waitFor(() => passes === 2, { what: 'the coalesced second pass' });
    gates[1]?.open();
    await loop.idle();
    expect(passes).toBe(2);
    expect(maxConcurrent).toBe(1);
    // Idle again: a new wake runs a new pass.
    loop.wake();
    expect(passes).toBe(3);
    gates[2]?.open();
    expect(await loop.stop(1000)).toBe(true);
  });

  it('a failing pass is logged and the loop keeps going', async () => {
    const errors: string[] = [];
    const recording = pino(
      { level: 'error' },
      {
        write: (line: string) => {
          errors.push((JSON.parse(line) as { msg: string }).msg);
        },
      },
    );
    let passes = 0;
    const loop = new WakeLoop({
      pollMs: HOUR,
      log: recording,
      failureMessage: 'outbox drain failed; the poll will retry',
      pass: async () => {
        passes += 1;
        if (passes === 1) throw new Error('database away');
      },
    });
    await loop.start();
    await loop.idle();
    loop.wake();
    await loop.idle();
    expect(passes).toBe(2);
    expect(errors).toEqual(['outbox drain failed; the poll will retry']);
    await loop.stop(1000);
  });

  it('the poll backstop wakes it without any NOTIFY', async () => {
    let passes = 0;
    const loop = new WakeLoop({
      pollMs: 20,
      log,
      failureMessage: 'x',
      pass: async () => {
        passes += 1;
      },
    });
    await loop.start();
    await waitFor(() => passes >= 3, { what: 'three polled passes' });
    await loop.stop(1000);
    const after = passes;
    loop.wake();
    await loop.idle();
    expect(passes).toBe(after); // stopped: wakes are ignored
  });

  it('a NOTIFY on its channel wakes it; payloads it does not accept do not', async () => {
    const seen: string[] = [];
    let passes = 0;
    const loop = new WakeLoop({
      pollMs: HOUR,
      log,
      failureMessage: 'x',
      pass: async () => {
        passes += 1;
      },
      listen: {
        db,
        channel: 'cron_requests',
        accept: (payload) => {
          seen.push(payload);
          return payload === 'wakebot';
        },
      },
    });
    await loop.start();
    await loop.idle();
    expect(passes).toBe(1);
    await db.rpc('request_manual_run', { p_bot: 'otherbot', p_job: 'x' }); // notifies cron_requests with the bot
    await waitFor(() => seen.includes('otherbot'), { what: "the other bot's notification" });
    await loop.idle();
    expect(passes).toBe(1);
    await db.rpc('request_manual_run', { p_bot: 'wakebot', p_job: 'x' });
    await waitFor(() => passes === 2, { what: 'the NOTIFY wake-up' });
    await loop.stop(1000);
  });

  it('stop waits for the running pass; past the grace it answers false so the caller can abort', async () => {
    const slow = gate();
    let finished = false;
    const loop = new WakeLoop({
      pollMs: HOUR,
      log,
      failureMessage: 'x',
      pass: async () => {
        await slow.promise;
        finished = true;
      },
    });
    await loop.start();
    expect(await loop.stop(30)).toBe(false);
    expect(finished).toBe(false);
    loop.wake(); // ignored once stopped
    slow.open();
    await loop.idle();
    expect(finished).toBe(true);

    const quick = gate();
    const second = new WakeLoop({ pollMs: HOUR, log, failureMessage: 'x', pass: () => quick.promise });
    await second.start();
    const stopping = second.stop(HOUR);
    quick.open();
    expect(await stopping).toBe(true);
  });

  it('a finished stop leaves no timer behind (Ctrl-C returns at once, not after the grace)', async () => {
    const left = await longTimersLeftBy(async () => {
      const work = gate();
      const loop = new WakeLoop({ pollMs: HOUR, log, failureMessage: 'x', pass: () => work.promise });
      await loop.start();
      const stopping = loop.stop(HOUR);
      work.open();
      await stopping;
      expect(await settlesWithin(Promise.resolve(), HOUR)).toBe(true);
    });
    expect(left).toBe(0);
  });

  it('a stopped signal consumer leaves no grace timer behind (it used to hold the process for the whole grace)', async () => {
    const consumer = new SignalConsumer({
      db,
      registry: new SignalRegistry(catalogSignalTypes),
      bot: 'quietbot',
      log,
      pollMs: HOUR,
      handlers: new Map([['job_failed', () => {}]]),
    });
    await consumer.start();
    expect(await longTimersLeftBy(() => consumer.stop(HOUR))).toBe(0);
  });
});
