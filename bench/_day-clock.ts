// The simulated day's clock for the schedulers (a SchedulerClock: JobScheduler's `clock`). Time moves
// from one timer instant to the next, never faster than `rate` × real time, and only once the
// fleet has settled after the previous instant (`settle`): a run that takes 40 ms on a loaded
// machine must not look like an overlap because a compressed minute lasted 83 ms.
import { performance } from 'node:perf_hooks';
import type { SchedulerClock } from '@jbot/core';

interface PendingTimer {
  at: number;
  callback: () => void;
}

/** A clock that advances from timer to timer at up to `rate` times real time. */
export class CompressedClock implements SchedulerClock {
  private current: number;
  private readonly pending = new Set<PendingTimer>();

  /**
   * @param start the clock's time until it is run (epoch ms)
   * @param rate clock milliseconds per real millisecond, at most
   * @param settle waits until the fleet has finished what the timers fired at `instant` started
   */
  constructor(
    start: number,
    private readonly rate: number,
    private readonly settle: (instant: number) => Promise<void>,
  ) {
    this.current = start;
  }

  /** The clock's time (epoch ms). */
  readonly now = (): number => this.current;

  /** Call `callback` when the clock has moved `delayMs` on; the handle cancels it. */
  readonly setTimer = (callback: () => void, delayMs: number): unknown => {
    const timer = { at: this.current + Math.max(0, delayMs), callback };
    this.pending.add(timer);
    return timer;
  };

  /** Cancel a timer set with setTimer. */
  readonly clearTimer = (handle: unknown): void => {
    this.pending.delete(handle as PendingTimer);
  };

  /** Move through every timer up to `until`, instant by instant; the clock ends at `until`. Returns the instants fired. */
  async runUntil(until: number): Promise<number> {
    let instants = 0;
    let lastStep = performance.now();
    for (;;) {
      let next = Number.POSITIVE_INFINITY;
      for (const timer of this.pending) next = Math.min(next, timer.at);
      if (next > until) break;
      // Pace: at least the compressed gap since the previous instant fired, settling included.
      const wait = (next - this.current) / this.rate - (performance.now() - lastStep);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.current = Math.max(this.current, next);
      lastStep = performance.now();
      const due = [...this.pending].filter((timer) => timer.at <= this.current).sort((left, right) => left.at - right.at);
      for (const timer of due) {
        this.pending.delete(timer);
        timer.callback();
      }
      instants += 1;
      await this.settle(this.current);
    }
    this.current = Math.max(this.current, until);
    return instants;
  }
}
