interface ManualTimer {
  id: number;
  at: number;
  callback: () => void;
}

/**
 * A host clock that moves only when a test says so: the scheduler's triggers (and a job's own
 * waits, through `sleep`) run on it, so a test walks through hundreds of ticks without sleeping.
 * It implements the scheduler's clock seam (`now`, `setTimer`, `clearTimer`).
 */
export class ManualClock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(startMs: number) {
    this.current = startMs;
  }

  /** The clock's time, ms since the epoch. */
  now(): number {
    return this.current;
  }

  /** Call `callback` once the clock has been advanced `delayMs` from now. */
  setTimer(callback: () => void, delayMs: number): unknown {
    const id = this.nextId;
    this.nextId += 1;
    this.timers.set(id, { id, at: this.current + Math.max(0, delayMs), callback });
    return id;
  }

  /** Cancel a timer from setTimer (unknown handles are ignored). */
  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Resolves once the clock has been advanced `delayMs` (or at once when `signal` aborts). */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.setTimer(resolve, delayMs);
      signal?.addEventListener(
        'abort',
        () => {
          this.clearTimer(handle);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.size;
  }

  /**
   * Move the clock forward, firing every timer that falls due on the way in time order, each
   * with the clock set to its own due time (timers set by a callback fire too when they fall
   * inside the step).
   */
  advance(milliseconds: number): void {
    const target = this.current + milliseconds;
    for (;;) {
      let due: ManualTimer | undefined;
      for (const timer of this.timers.values())
        if (timer.at <= target && (due === undefined || timer.at < due.at || (timer.at === due.at && timer.id < due.id))) due = timer;
      if (due === undefined) break;
      this.timers.delete(due.id);
      this.current = Math.max(this.current, due.at);
      due.callback();
    }
    this.current = target;
  }
}
