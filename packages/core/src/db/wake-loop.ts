import type { Logger } from 'pino';
import type { Db, Listener } from './db.js';

/** What a wake loop runs and when. */
export interface WakeLoopOptions {
  /** One pass over the due work. Passes never overlap. */
  pass: () => Promise<void>;
  /** Poll backstop period: the guarantee when a NOTIFY is lost or the transport cannot listen. */
  pollMs: number;
  log: Logger;
  /** The log line when a pass throws (the loop goes on; the next wake or poll retries). */
  failureMessage: string;
  /** LISTEN for wake-ups on this channel; `accept` filters payloads meant for someone else. */
  listen?: { db: Db; channel: string; accept?: (payload: string) => boolean } | undefined;
}

/**
 * The background loop shared by every brain worker (signal consumer, approval worker, Telegram
 * dispatcher, scheduler checks): a pass runs on start, on NOTIFY and on a poll; wake-ups that
 * arrive during a pass coalesce into exactly one more pass, so passes never overlap and no wake
 * is lost; stop waits for the current pass within a grace period.
 */
export class WakeLoop {
  private readonly options: WakeLoopOptions;
  private listener: Listener | null = null;
  private pollTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(options: WakeLoopOptions) {
    this.options = options;
  }

  /** True once stop() was called: passes should wind down. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Listen (when asked), arm the poll and run a first pass now (work that queued while down). */
  async start(): Promise<void> {
    const { listen } = this.options;
    if (listen !== undefined) {
      this.listener = await listen.db.listen(listen.channel, (payload) => {
        let accepted = true;
        try {
          accepted = listen.accept?.(payload) ?? true;
        } catch {
          // An unreadable payload is still a hint that something changed.
        }
        if (accepted) this.wake();
      });
    }
    this.pollTimer = setInterval(() => this.wake(), this.options.pollMs);
    this.wake();
  }

  /** Run a pass now, or one more right after the current one. */
  wake(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.options.pass().catch((error: unknown) => this.options.log.error({ err: error }, this.options.failureMessage));
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
  }

  /** Wake once after `delayMs` (work known to come due before the next poll); replaces an earlier one. */
  wakeIn(delayMs: number): void {
    if (this.stopped) return;
    if (this.wakeTimer !== undefined) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wake();
      },
      Math.max(0, delayMs),
    );
  }

  /** Resolves when no pass is running or queued. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /**
   * Stop waking: timers and the listener go at once; the current pass gets `graceMs` to finish.
   * Resolves true when it finished in time, false when the caller should abort what is left.
   */
  async stop(graceMs: number): Promise<boolean> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.wakeTimer);
    await this.listener?.close().catch((error: unknown) => this.options.log.warn({ err: error }, 'could not close a LISTEN subscription'));
    this.listener = null;
    if (this.running === undefined) return true;
    return settlesWithin(this.idle(), graceMs);
  }
}

/**
 * True when `work` settles within `milliseconds`, false when the time runs out first. The timer
 * is cleared either way, so a finished shutdown does not keep the process alive for the rest
 * of the grace period.
 */
export async function settlesWithin(work: Promise<unknown>, milliseconds: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, milliseconds));
  });
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
