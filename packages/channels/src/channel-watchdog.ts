import type { ChannelLiveness, Logger, SchedulerClock } from '@jbot/core';

/**
 * What the Telegram polling and Discord gateway watchdogs share: a look every checkMs on the
 * given clock (armed when the last one fires, so the cadence holds on a manual clock; a look
 * still running makes the next one skip rather than overlap), and the escalating restart — a
 * restart at most every spacing, and after downAfterRestarts that did not help the channel is
 * reported `down` once (sysbot raises channel_down through the other channel) while restarts go on.
 */
export abstract class ChannelWatchdog {
  private timer: unknown;
  private lastRestartAt = 0;
  private pass: Promise<void> = Promise.resolve();
  private running = false;
  private busy = false;

  protected constructor(
    protected readonly liveness: ChannelLiveness,
    protected readonly clock: SchedulerClock,
    protected readonly log: Logger,
    private readonly watch: { name: string; checkMs: number; downAfterRestarts: number; downMessage: string },
  ) {}

  /** One look (the subclass's readings and its decision to restart). */
  abstract check(): Promise<void>;

  /** Start looking every checkMs. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm();
  }

  /** Stop looking (the current pass finishes). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  /** The pass in progress (tests wait on it after moving the clock). */
  settled(): Promise<void> {
    return this.pass;
  }

  /**
   * Restart through `restart` unless one happened less than `spacingMs` ago; escalate to `down`
   * once when downAfterRestarts restarts did not help. `warning` is logged with the restart count.
   */
  protected async restartSpaced(now: number, spacingMs: number, restart: () => Promise<void>, warning: { fields: object; message: string }): Promise<void> {
    if (now - this.lastRestartAt < spacingMs) return;
    const after = this.liveness.snapshot();
    if (after.restarts >= this.watch.downAfterRestarts && after.state !== 'down') {
      this.liveness.down();
      this.log.error({ restarts: after.restarts, since: after.failingSince, lastError: after.lastError }, this.watch.downMessage);
    }
    this.lastRestartAt = now;
    this.liveness.restarted();
    this.log.warn({ ...warning.fields, restarts: after.restarts + 1 }, warning.message);
    await restart();
  }

  private arm(): void {
    if (!this.running) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.arm();
      if (this.busy) return;
      this.busy = true;
      this.pass = this.check()
        .catch((error: unknown) => this.log.error({ err: error }, `the ${this.watch.name} watchdog failed; it looks again at the next check`))
        .finally(() => {
          this.busy = false;
        });
    }, this.watch.checkMs);
  }
}
