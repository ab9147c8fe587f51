import type { ChannelLiveness, Logger, SchedulerClock } from '@jbot/core';
import { ChannelWatchdog } from '../channel-watchdog.js';

/** Tuning for the Telegram polling watchdog (defaults: TELEGRAM_POLL_* in telegram-config). */
export interface PollingWatchdogSettings {
  /** How often it looks. */
  checkMs: number;
  /** No answered getUpdates for this long (while no update is being handled) is a stall: restart. */
  stallMs: number;
  /** After this many restarts that did not help, the inbox is down (restarts go on, every stallMs). */
  downAfterRestarts: number;
  /** False for a webhook: nothing polls, so only the probes run (pending_update_count shows a webhook Telegram cannot reach). */
  polling?: boolean;
}

/** What the watchdog drives: the poller and the Bot API probes. */
export interface PollingWatchdogTarget {
  /** grammY's long polling is running (false after a 409 or 401 stopped it). */
  isPolling(): boolean;
  /** An update is being handled right now (grammY does not poll meanwhile; that is not a stall). */
  isBusy(): boolean;
  /** Stop and start long polling again (aborting a hung getUpdates). */
  restart(): Promise<void>;
  /** getWebhookInfo: updates Telegram holds for the bot, and its last delivery error (epoch s). */
  webhookInfo(): Promise<{ pendingUpdates: number; lastErrorDate: number | null }>;
  /** getMe: the token and Bot API answer at all. */
  getMe(): Promise<void>;
}

/**
 * Watches jbot's long polling, the failure OpenClaw's users lost days of alerts to: grammY stops
 * for good on a 409 (another poller) or 401, retries a 500 every 3 s forever, and a getUpdates
 * that hangs just waits. On its clock, every checkMs: a poller that stopped, or has had no
 * answered getUpdates for stallMs, is restarted; when downAfterRestarts restarts did not help the
 * inbox is `down` (sysbot's channel-liveness raises channel_down through Discord). The probes
 * (getWebhookInfo's pending_update_count, getMe) go into the liveness readings.
 */
export class PollingWatchdog extends ChannelWatchdog {
  private probeFailures = 0;

  constructor(
    liveness: ChannelLiveness,
    private readonly target: PollingWatchdogTarget,
    clock: SchedulerClock,
    private readonly settings: PollingWatchdogSettings,
    log: Logger,
  ) {
    super(liveness, clock, log, {
      name: 'Telegram polling',
      checkMs: settings.checkMs,
      downAfterRestarts: settings.downAfterRestarts,
      downMessage: 'Telegram polling is down: restarting it did not help (sysbot raises channel_down through Discord); still retrying',
    });
  }

  /** One look: probe, then restart a stopped or stalled poller. */
  async check(): Promise<void> {
    await this.probe();
    const health = this.liveness.snapshot();
    if (health.state === 'stopped') return;
    if (this.settings.polling === false) {
      this.liveness.checked();
      return;
    }
    const now = this.clock.now();
    const lastOk = health.lastOkAt === null ? 0 : Date.parse(health.lastOkAt);
    const stopped = !this.target.isPolling();
    const stalled = !this.target.isBusy() && now - lastOk >= this.settings.stallMs;
    if (!stopped && !stalled) {
      this.liveness.checked();
      return;
    }
    this.liveness.failed(
      stopped ? `long polling stopped (${health.lastError ?? 'no error recorded'})` : `no getUpdates answered for ${Math.round((now - lastOk) / 1000)} s`,
    );
    // Restarts are spaced by stallMs, so a poller that needs a moment after a restart gets it.
    await this.restartSpaced(now, this.settings.stallMs, () => this.target.restart(), {
      fields: { stopped, lastError: this.liveness.snapshot().lastError },
      message: 'Telegram polling stalled or stopped; restarting it',
    });
    this.liveness.checked();
  }

  private async probe(): Promise<void> {
    try {
      await this.target.getMe();
      const info = await this.target.webhookInfo();
      this.probeFailures = 0;
      this.liveness.reading('pending_updates', info.pendingUpdates);
      this.liveness.reading('last_error_date', info.lastErrorDate === null ? null : new Date(info.lastErrorDate * 1000).toISOString());
    } catch (error) {
      this.probeFailures += 1;
      this.liveness.reading('probe_error', String(error).slice(0, 200));
    }
    this.liveness.reading('probe_failures', this.probeFailures);
  }
}
