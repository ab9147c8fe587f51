/**
 * How one operator-channel connection of this process is doing (jbot's Telegram inbox, a bot's
 * Discord gateway), as its heartbeat carries it. Times are ISO strings on the watchdog's clock.
 * - up: receiving (getUpdates answers, gateway ready);
 * - failing: not receiving, and the process is restarting it;
 * - down: its own restarts did not help (sysbot's channel-liveness raises channel_down);
 * - stopped: not receiving on purpose (a standby copy, shutting down, never started).
 */
export interface ChannelHealth {
  channel: 'telegram' | 'discord';
  state: 'up' | 'failing' | 'down' | 'stopped';
  /** The last update / gateway event received. */
  lastReceivedAt: string | null;
  /** The last message the channel took (sendMessage, a REST post). */
  lastSentAt: string | null;
  /** The last time the receiving side answered (getUpdates returned, gateway ready or resumed). */
  lastOkAt: string | null;
  /** When the current outage began; null while up. */
  failingSince: string | null;
  lastError: string | null;
  /** Restarts by this process since the outage began. */
  restarts: number;
  /** When the watchdog last looked. */
  checkedAt: string | null;
  /** Channel-specific readings: pending_updates, last_error_date, probe_failures (Telegram); ping_ms, rest_5xx_10min (Discord). */
  readings: Record<string, number | string | null>;
}

/** A clock the watchdogs read (testkit's ManualClock fits). */
export type LivenessClock = () => number;

/**
 * The mutable record behind a ChannelHealth: transports call received/sent/answered/failed as
 * things happen, the watchdog moves the state. A success on the receiving side ends an outage.
 */
export class ChannelLiveness {
  private health: ChannelHealth;

  constructor(
    channel: ChannelHealth['channel'],
    private readonly clock: LivenessClock = Date.now,
  ) {
    this.health = {
      channel,
      state: 'stopped',
      lastReceivedAt: null,
      lastSentAt: null,
      lastOkAt: null,
      failingSince: null,
      lastError: null,
      restarts: 0,
      checkedAt: null,
      readings: {},
    };
  }

  private stamp(): string {
    return new Date(this.clock()).toISOString();
  }

  /** An update or gateway event arrived. */
  received(): void {
    this.health.lastReceivedAt = this.stamp();
  }

  /** The channel took a message. */
  sent(): void {
    this.health.lastSentAt = this.stamp();
  }

  /** The receiving side answered: the channel is up, and any outage is over. */
  answered(): void {
    this.health = { ...this.health, state: 'up', lastOkAt: this.stamp(), failingSince: null, restarts: 0 };
  }

  /** The receiving side failed (an error, a disconnect); an outage begins unless one is open. */
  failed(error: string): void {
    this.health.lastError = error.slice(0, 300);
    if (this.health.state === 'stopped') return;
    if (this.health.failingSince === null) this.health.failingSince = this.stamp();
    if (this.health.state === 'up') this.health.state = 'failing';
  }

  /** The watchdog restarted the receiving side. */
  restarted(): void {
    this.health.restarts += 1;
  }

  /** The watchdog gave up healing it by restarts (they go on, spaced out). */
  down(): void {
    this.health.failingSince ??= this.stamp();
    this.health.state = 'down';
  }

  /** Receiving starts (up once it answers) or stops on purpose. */
  starting(): void {
    if (this.health.state === 'stopped') this.health = { ...this.health, state: 'up', lastOkAt: this.stamp(), failingSince: null, restarts: 0 };
  }

  /** Not receiving on purpose (standby, shutdown). */
  stopped(): void {
    this.health = { ...this.health, state: 'stopped', failingSince: null, restarts: 0 };
  }

  /** The watchdog looked at it. */
  checked(): void {
    this.health.checkedAt = this.stamp();
  }

  /** Set a channel-specific reading. */
  reading(name: string, value: number | string | null): void {
    this.health.readings[name] = value;
  }

  /** The clock's time, ms. */
  now(): number {
    return this.clock();
  }

  /** A copy for the heartbeat. */
  snapshot(): ChannelHealth {
    return { ...this.health, readings: { ...this.health.readings } };
  }
}

/**
 * The channel connections one process reports in its heartbeat (`detail.channels`): the bot's
 * Discord channel (registered by startBot) and, in jbot, the Telegram inbox.
 */
export class ChannelHealthBoard {
  private readonly sources = new Map<string, () => ChannelHealth>();

  /** Report a connection under `key` ("discord", "telegram"); returns the unregister function. */
  report(key: string, source: () => ChannelHealth): () => void {
    this.sources.set(key, source);
    return () => {
      if (this.sources.get(key) === source) this.sources.delete(key);
    };
  }

  /** Every reported connection now. */
  snapshot(): Record<string, ChannelHealth> {
    return Object.fromEntries([...this.sources.entries()].map(([key, source]) => [key, source()]));
  }
}
