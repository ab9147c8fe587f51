/**
 * The host clock the scheduler times its triggers on. Production uses node-cron on the system
 * clock; a test passes a clock it advances by hand (testkit's ManualClock), or a plain
 * `() => number` to play a host whose clock is skewed (timers stay real).
 */
export interface SchedulerClock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** A bare `now` function on real timers (a skewed host), or a full clock. */
export type SchedulerClockOption = (() => number) | SchedulerClock;

/** The clock behind either form of the option. */
export function schedulerClock(option: SchedulerClockOption): SchedulerClock {
  if (typeof option !== 'function') return option;
  return {
    now: option,
    setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}
