import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { ChannelLiveness } from '@jbot/core';
import { ManualClock } from '@jbot/testkit';
import { GatewayWatchdog, PollingWatchdog } from '../src/index.js';

const silent = pino({ level: 'silent' });
const SECOND = 1000;

// The watchdogs on a clock moved by hand, against a poller / gateway whose answers the test sets.
describe('the Telegram polling watchdog', () => {
  const setup = () => {
    const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
    const liveness = new ChannelLiveness('telegram', () => clock.now());
    const poller = { polling: true, busy: false, restarts: 0, answersAfterRestart: false, pending: 2, probeFails: false };
    const watchdog = new PollingWatchdog(
      liveness,
      {
        isPolling: () => poller.polling,
        isBusy: () => poller.busy,
        async restart() {
          poller.restarts += 1;
          poller.polling = true;
          if (poller.answersAfterRestart) liveness.answered();
        },
        async webhookInfo() {
          if (poller.probeFails) throw new Error('Network request for getWebhookInfo failed');
          return { pendingUpdates: poller.pending, lastErrorDate: null };
        },
        async getMe() {},
      },
      clock,
      { checkMs: 30 * SECOND, stallMs: 90 * SECOND, downAfterRestarts: 2 },
      silent,
    );
    liveness.starting();
    watchdog.start();
    const step = async (times = 1) => {
      for (let index = 0; index < times; index += 1) {
        clock.advance(30 * SECOND);
        await watchdog.settled();
      }
    };
    return { clock, liveness, poller, watchdog, step };
  };

  it('leaves a poller that answers alone, and reads pending updates', async () => {
    const { liveness, poller, watchdog, step } = setup();
    for (let index = 0; index < 10; index += 1) {
      await step();
      liveness.answered();
    }
    expect(poller.restarts).toBe(0);
    expect(liveness.snapshot()).toMatchObject({ state: 'up', failingSince: null, readings: { pending_updates: 2, probe_failures: 0 } });
    await watchdog.stop();
  });

  it('a handler busy for minutes is not a stall', async () => {
    const { liveness, poller, watchdog, step } = setup();
    poller.busy = true;
    await step(10);
    expect(poller.restarts).toBe(0);
    expect(liveness.snapshot().state).toBe('up');
    await watchdog.stop();
  });

  it('a stalled poller is restarted every 90 s; after two restarts that did not help it is down; one answer ends it', async () => {
    const { liveness, poller, watchdog, step } = setup();
    await step(2);
    expect(poller.restarts).toBe(0);
    await step(); // 90 s without an answer
    expect(poller.restarts).toBe(1);
    expect(liveness.snapshot()).toMatchObject({ state: 'failing', restarts: 1 });
    await step(3);
    expect(poller.restarts).toBe(2);
    expect(liveness.snapshot().state).toBe('failing');
    await step(3);
    expect(poller.restarts).toBe(3);
    expect(liveness.snapshot()).toMatchObject({ state: 'down', failingSince: '2026-12-01T12:01:30.000Z' });
    poller.answersAfterRestart = true;
    await step(3);
    expect(liveness.snapshot()).toMatchObject({ state: 'up', failingSince: null, restarts: 0 });
    await watchdog.stop();
  });

  it('a poller grammY stopped (409, 401) is restarted at the next check', async () => {
    const { liveness, poller, watchdog, step } = setup();
    liveness.answered();
    poller.polling = false;
    poller.answersAfterRestart = true;
    await step();
    expect(poller.restarts).toBe(1);
    expect(liveness.snapshot().state).toBe('up');
    await watchdog.stop();
  });

  it('counts probe failures in a row', async () => {
    const { liveness, poller, watchdog, step } = setup();
    poller.probeFails = true;
    poller.answersAfterRestart = true;
    await step(3);
    expect(liveness.snapshot().readings).toMatchObject({ probe_failures: 3, probe_error: 'Error: Network request for getWebhookInfo failed' });
    poller.probeFails = false;
    await step();
    expect(liveness.snapshot().readings['probe_failures']).toBe(0);
    await watchdog.stop();
  });

  it('a webhook has no poller: probes only, never restarted', async () => {
    const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
    const liveness = new ChannelLiveness('telegram', () => clock.now());
    let restarts = 0;
    const watchdog = new PollingWatchdog(
      liveness,
      {
        isPolling: () => false,
        isBusy: () => false,
        restart: async () => void (restarts += 1),
        webhookInfo: async () => ({ pendingUpdates: 7, lastErrorDate: 1_796_000_000 }),
        getMe: async () => {},
      },
      clock,
      { checkMs: 30 * SECOND, stallMs: 90 * SECOND, downAfterRestarts: 2, polling: false },
      silent,
    );
    liveness.starting();
    watchdog.start();
    for (let index = 0; index < 10; index += 1) {
      clock.advance(30 * SECOND);
      await watchdog.settled();
    }
    expect(restarts).toBe(0);
    expect(liveness.snapshot()).toMatchObject({ state: 'up', readings: { pending_updates: 7, last_error_date: new Date(1_796_000_000_000).toISOString() } });
    await watchdog.stop();
  });

  it('a standby (stopped on purpose) is never restarted', async () => {
    const { liveness, poller, watchdog, step } = setup();
    liveness.stopped();
    poller.polling = false;
    await step(10);
    expect(poller.restarts).toBe(0);
    await watchdog.stop();
  });
});

describe('the Discord gateway watchdog', () => {
  it('lets discord.js reconnect for 60 s, then logs in afresh; down after one fresh login did not help; counts REST 5xx over 10 min', async () => {
    const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
    const liveness = new ChannelLiveness('discord', () => clock.now());
    const gateway = { ready: true, restarts: 0 };
    const watchdog = new GatewayWatchdog(
      liveness,
      {
        isReady: () => gateway.ready,
        async restart() {
          gateway.restarts += 1;
        },
        ping: () => 42,
      },
      clock,
      { checkMs: 30 * SECOND, restartAfterMs: 60 * SECOND, downAfterRestarts: 1, rest5xxWindowMs: 600 * SECOND },
      silent,
    );
    liveness.starting();
    watchdog.start();
    const step = async (times = 1) => {
      for (let index = 0; index < times; index += 1) {
        clock.advance(30 * SECOND);
        await watchdog.settled();
      }
    };
    for (let index = 0; index < 5; index += 1) watchdog.restServerError();
    await step();
    expect(liveness.snapshot().readings).toMatchObject({ ping_ms: 42, rest_5xx_10min: 5 });
    gateway.ready = false;
    liveness.failed('gateway connection lost; discord.js is reconnecting');
    await step();
    expect(gateway.restarts).toBe(0);
    await step();
    expect(gateway.restarts).toBe(1);
    expect(liveness.snapshot().state).toBe('failing');
    await step(2);
    expect(gateway.restarts).toBe(2);
    expect(liveness.snapshot()).toMatchObject({ state: 'down', failingSince: '2026-12-01T12:00:30.000Z' });
    await step(20);
    expect(liveness.snapshot().readings['rest_5xx_10min']).toBe(0);
    gateway.ready = true;
    liveness.answered();
    await step();
    expect(liveness.snapshot()).toMatchObject({ state: 'up', failingSince: null });
    await watchdog.stop();
  });
});
