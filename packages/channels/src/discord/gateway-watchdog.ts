import type { ChannelLiveness, Logger, SchedulerClock } from '@jbot/core';
import { ChannelWatchdog } from '../channel-watchdog.js';

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
export class GatewayWatchdog extends ChannelWatchdog {
  private readonly rest5xx: number[] = [];

  constructor(
    liveness: ChannelLiveness,
    private readonly target: { isReady(): boolean; restart(): Promise<void>; ping(): number | null },
    clock: SchedulerClock,
    private readonly settings: GatewayWatchdogSettings,
    log: Logger,
  ) {
    super(liveness, clock, log, {
      name: 'Discord gateway',
      checkMs: settings.checkMs,
      downAfterRestarts: settings.downAfterRestarts,
      downMessage: 'Discord gateway is down: logging in again did not help (sysbot raises channel_down through Telegram); still retrying',
    });
  }

  /** Count a REST 5xx answer. */
  restServerError(): void {
    this.rest5xx.push(this.clock.now());
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
    if (now - since >= this.settings.restartAfterMs) {
      await this.restartSpaced(now, this.settings.restartAfterMs, () => this.target.restart(), {
        fields: { since: this.liveness.snapshot().failingSince },
        message: 'Discord gateway not ready; logging in again with a fresh client',
      });
    }
    this.liveness.checked();
  }
}
