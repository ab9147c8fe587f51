import type { ChannelLiveness, Logger, SchedulerClock } from '@jbot/core';

/** Tuning for the Discord gateway watchdog. */
export interface GatewayWatchdogSettings {
  /** How often it looks. */
  checkMs: number;
  /** Not ready this long (discord.js's own reconnects did not bring it back): log in afresh. */
  restartAfterMs: number;
  /** After this many fresh logins that did not help, the gateway is down (they go on, every restartAfterMs). */
  downAfterRestarts: number;
  /** REST 5xx answers are counted over this window (the heartbeat shows rest_5xx_10min). */
  rest5xxWindowMs: number;
}

/**
 * Watches one bot's Discord gateway session. discord.js reconnects by itself after a dropped
 * connection; when that does not bring the session back (Discord silent, a close it will not
 * recover from), this logs in again with a fresh client, and after downAfterRestarts such
 * restarts reports the gateway `down` (sysbot's channel-liveness raises channel_down through
 * Telegram). REST 5xx answers are counted for the same heartbeat.
 */
export class GatewayWatchdog {
  private timer: unknown;
  private lastRestartAt = 0;
  private readonly rest5xx: number[] = [];
  private pass: Promise<void> = Promise.resolve();
  private running = false;
  private busy = false;

  constructor(
    private readonly liveness: ChannelLiveness,
    private readonly target: { isReady(): boolean; restart(): Promise<void>; ping(): number | null },
    private readonly clock: SchedulerClock,
    private readonly settings: GatewayWatchdogSettings,
    private readonly log: Logger,
  ) {}

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

  /** Count a REST 5xx answer. */
  restServerError(): void {
    this.rest5xx.push(this.clock.now());
  }

  // The next look is armed when this one fires, so the cadence holds on any clock; a look still
  // running (a slow restart) makes the next one skip rather than overlap.
  private arm(): void {
    if (!this.running) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.arm();
      if (this.busy) return;
      this.busy = true;
      this.pass = this.check()
        .catch((error: unknown) => this.log.error({ err: error }, 'the Discord gateway watchdog failed; it looks again at the next check'))
        .finally(() => {
          this.busy = false;
        });
    }, this.settings.checkMs);
  }

  /** One look: readings, then a fresh login for a session that stayed away. */
  async check(): Promise<void> {
    const now = this.clock.now();
    while (this.rest5xx.length > 0 && (this.rest5xx[0] ?? now) < now - this.settings.rest5xxWindowMs) this.rest5xx.shift();
    this.liveness.reading('rest_5xx_10min', this.rest5xx.length);
    this.liveness.reading('ping_ms', this.target.ping());
    const health = this.liveness.snapshot();
    if (health.state === 'stopped') return;
    if (this.target.isReady() && health.state === 'up') {
      this.liveness.checked();
      return;
    }
    if (health.failingSince === null) this.liveness.failed('gateway not ready');
    const since = Date.parse(this.liveness.snapshot().failingSince ?? new Date(now).toISOString());
    if (now - since >= this.settings.restartAfterMs && now - this.lastRestartAt >= this.settings.restartAfterMs) {
      const after = this.liveness.snapshot();
      if (after.restarts >= this.settings.downAfterRestarts && after.state !== 'down') {
        this.liveness.down();
        this.log.error(
          { restarts: after.restarts, since: after.failingSince, lastError: after.lastError },
          'Discord gateway is down: logging in again did not help (sysbot raises channel_down through Telegram); still retrying',
        );
      }
      this.lastRestartAt = now;
      this.liveness.restarted();
      this.log.warn({ restarts: after.restarts + 1, since: after.failingSince }, 'Discord gateway not ready; logging in again with a fresh client');
      await this.target.restart();
    }
    this.liveness.checked();
  }
}
