import type { Logger } from 'pino';
import type { Db } from '../db/db.js';
import { settlesWithin, WakeLoop } from '../db/wake-loop.js';
import { signalFromRow, type ClaimedRow, type Signal } from './signal.js';
import { SignalPayloadError } from './signal-errors.js';
import type { SignalRegistry } from './signal-type.js';
import { DeadlineExceededError } from '../errors/deadline-error.js';
import { whenAborted } from '../errors/retry-later.js';

/** How long a signal handler may run before it is aborted (SIGNAL_HANDLER_TIMEOUT_MS). */
export const DEFAULT_SIGNAL_HANDLER_TIMEOUT_MS = 300_000;

/** What a handler gets besides the signal. */
export interface SignalHandlerContext {
  abortSignal: AbortSignal;
  log: Logger;
}

/** A function that handles one signal type. Must be idempotent: delivery is at least once. */
export type SignalHandler = (signal: Signal, context: SignalHandlerContext) => Promise<void> | void;

/** Tuning for one consumer. */
export interface SignalConsumerOptions {
  db: Db;
  registry: SignalRegistry;
  bot: string;
  log: Logger;
  handlers: ReadonlyMap<string, SignalHandler>;
  /** Poll backstop period: the guarantee when NOTIFY is lost or unavailable. */
  pollMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** A handler's deadline (SIGNAL_HANDLER_TIMEOUT_MS): past it, it is aborted and retried with backoff or dead-lettered. Default 5 min. */
  handlerTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Use LISTEN/NOTIFY wake-ups (postgres transport); false = polling only. */
  listen?: boolean;
  /** Identifies this process in receipts (host:pid). */
  worker?: string;
}

interface InFlight {
  signalId: string;
  attempt: number;
  abort: AbortController;
  done: Promise<void>;
}

/**
 * Delivers a bot's signals at least once: claims due receipts under a lease, runs the
 * handler, acks, or fails with backoff until dead. NOTIFY wakes it at once; a poll backstop
 * covers a dropped listener and the supabase transport.
 */
export class SignalConsumer {
  private readonly options: Required<Omit<SignalConsumerOptions, 'worker'>> & { worker: string };
  private readonly inFlight = new Map<string, InFlight>();
  private readonly loop: WakeLoop;
  private stopping = false;
  private backlog = false;
  private pendingAcks: Array<{ signalId: string; resolve: () => void; reject: (error: unknown) => void }> = [];
  private ackScheduled = false;

  constructor(options: SignalConsumerOptions) {
    this.options = {
      pollMs: 1000,
      leaseMs: 30_000,
      maxAttempts: 5,
      concurrency: 8,
      handlerTimeoutMs: DEFAULT_SIGNAL_HANDLER_TIMEOUT_MS,
      backoffBaseMs: 1000,
      backoffMaxMs: 300_000,
      listen: true,
      worker: `${options.bot}:${process.pid}`,
      ...options,
    };
    this.loop = new WakeLoop({
      pass: () => this.drain(),
      pollMs: this.options.pollMs,
      log: this.options.log,
      failureMessage: 'signal claim failed; the poll backstop will retry',
      listen: this.options.listen ? { db: options.db, channel: 'bot_signals', accept: (payload) => this.wantsNotice(payload) } : undefined,
    });
  }

  /** The signal types this consumer handles. */
  get signalTypes(): string[] {
    return [...this.options.handlers.keys()].sort();
  }

  /** Register subscriptions, start listening and polling, and drain what is already due. */
  async start(): Promise<void> {
    const { db, bot } = this.options;
    await db.rpc('register_subscriptions', { p_consumer_bot: bot, p_signal_types: this.signalTypes });
    if (this.signalTypes.length === 0) return;
    await this.loop.start();
  }

  /** Look for due work now (coalesces concurrent wake-ups into one claim loop). */
  wake(): void {
    this.loop.wake();
  }

  // A NOTIFY names the signal type; an unreadable one still wakes (it is only a hint).
  private wantsNotice(payload: string): boolean {
    const notice = JSON.parse(payload) as { type?: string };
    return notice.type === undefined || this.options.handlers.has(notice.type);
  }

  private async drain(): Promise<void> {
    const { db, bot, concurrency, leaseMs, maxAttempts, worker } = this.options;
    for (;;) {
      const free = concurrency - this.inFlight.size;
      if (free <= 0 || this.stopping) {
        this.backlog = true;
        return;
      }
      const rows = await db.rpc<ClaimedRow>('claim_signals', {
        p_consumer_bot: bot,
        p_limit: free,
        p_lease_seconds: leaseMs / 1000,
        p_max_attempts: maxAttempts,
        p_worker: worker,
      });
      rows.sort((left, right) => Number(left.seq) - Number(right.seq));
      for (const row of rows) this.begin(row);
      this.backlog = rows.length === free;
      if (!this.backlog) return;
    }
  }

  private begin(row: ClaimedRow): void {
    const abort = new AbortController();
    const key = row.signal_id;
    const entry: InFlight = { signalId: key, attempt: Number(row.attempt), abort, done: Promise.resolve() };
    entry.done = this.handle(row, abort).finally(() => {
      this.inFlight.delete(key);
      if (this.backlog) this.wake();
    });
    this.inFlight.set(key, entry);
  }

  private async handle(row: ClaimedRow, abort: AbortController): Promise<void> {
    const { db, bot, registry, log, handlers, leaseMs, handlerTimeoutMs } = this.options;
    const signalLog = log.child({ signalId: row.signal_id, signalType: row.signal_type, attempt: row.attempt });
    const handler = handlers.get(row.signal_type);
    let payload: unknown;
    try {
      payload = registry.parse(row.signal_type, row.payload);
    } catch (error) {
      // A payload that fails its schema will fail every time: dead at once, with the zod issue.
      signalLog.error({ err: error }, 'signal payload rejected; marked dead');
      await this.fail(row, error, true);
      return;
    }
    if (handler === undefined) {
      await this.fail(row, new Error(`no handler for ${row.signal_type} in ${bot}`), true);
      return;
    }
    // The handler's deadline: past it the handler is aborted, its lease is no longer renewed and
    // its slot is freed even if its promise never settles, so hung calls cannot close the inbox.
    const deadline = setTimeout(() => {
      abort.abort(
        new DeadlineExceededError(`${bot}'s ${row.signal_type} handler (signal ${row.signal_id})`, handlerTimeoutMs, {
          bot,
          signalId: row.signal_id,
          signalType: row.signal_type,
        }),
      );
    }, handlerTimeoutMs);
    // Renew the lease while a slow handler works, so another copy does not take it over.
    const renew = setInterval(
      () => {
        if (abort.signal.aborted) return;
        db.rpc<{ extended: boolean }>('extend_signal_lease', {
          p_signal_id: row.signal_id,
          p_consumer_bot: bot,
          p_attempt: row.attempt,
          p_lease_seconds: leaseMs / 1000,
        })
          .then(([result]) => {
            if (result?.extended === false) signalLog.warn('signal lease lost while handling; another worker may redeliver it');
          })
          .catch((error: unknown) => signalLog.warn({ err: error }, 'signal lease renewal failed'));
      },
      Math.max(250, Math.floor(leaseMs / 3)),
    );
    try {
      await Promise.race([
        Promise.resolve().then(() => handler(signalFromRow(row, payload), { abortSignal: abort.signal, log: signalLog })),
        whenAborted(abort.signal),
      ]);
      clearInterval(renew);
      clearTimeout(deadline);
      if (abort.signal.aborted && this.stopping) return; // released by stop()
      await this.ack(row.signal_id);
    } catch (error) {
      clearInterval(renew);
      clearTimeout(deadline);
      if (abort.signal.aborted && this.stopping) return;
      signalLog.warn({ err: error }, 'signal handler failed; will retry with backoff');
      await this.fail(row, error, false);
    }
  }

  /**
   * Acks finished on the same tick go to the database in one call: under load this halves the
   * round trips per signal; when idle it is a single-id batch with no added wait.
   */
  private ack(signalId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingAcks.push({ signalId, resolve, reject });
      if (this.ackScheduled) return;
      this.ackScheduled = true;
      setImmediate(() => {
        this.ackScheduled = false;
        const batch = this.pendingAcks;
        this.pendingAcks = [];
        this.options.db.rpc('ack_signals', { p_consumer_bot: this.options.bot, p_signal_ids: batch.map((entry) => entry.signalId) }).then(
          () => batch.forEach((entry) => entry.resolve()),
          (error: unknown) => batch.forEach((entry) => entry.reject(error)),
        );
      });
    });
  }

  private async fail(row: ClaimedRow, error: unknown, permanent: boolean): Promise<void> {
    const { db, bot, maxAttempts, backoffBaseMs, backoffMaxMs, log } = this.options;
    const message = error instanceof SignalPayloadError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    try {
      const [result] = await db.rpc<{ status: string }>('fail_signal', {
        p_signal_id: row.signal_id,
        p_consumer_bot: bot,
        p_error: message,
        p_max_attempts: maxAttempts,
        p_backoff_base_ms: backoffBaseMs,
        p_backoff_max_ms: backoffMaxMs,
        p_permanent: permanent,
      });
      if (result?.status === 'dead')
        log.error({ signalId: row.signal_id, signalType: row.signal_type, error: message }, 'signal is dead after its last attempt');
    } catch (failError) {
      log.error({ err: failError, signalId: row.signal_id }, 'could not record a signal failure; its lease will expire and it will be redelivered');
    }
  }

  /**
   * Stop claiming; let in-flight handlers finish within the grace period, then abort them and
   * hand their signals back (release) so another process picks them up without losing an attempt.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const startedAt = Date.now();
    // A claim in progress finishes first, so the signals it took are waited for (or released) too.
    await this.loop.stop(graceMs);
    graceMs -= Date.now() - startedAt;
    const pending = [...this.inFlight.values()];
    const finished = Promise.allSettled(pending.map((entry) => entry.done));
    if (await settlesWithin(finished, graceMs - 1000)) return;
    const unfinished = [...this.inFlight.values()];
    for (const entry of unfinished) entry.abort.abort(new Error('bot is shutting down'));
    await Promise.all(
      unfinished.map((entry) =>
        this.options.db.rpc('release_signal', { p_signal_id: entry.signalId, p_consumer_bot: this.options.bot }).catch((error: unknown) => {
          this.options.log.warn({ err: error, signalId: entry.signalId }, 'could not release a signal; its lease will expire instead');
        }),
      ),
    );
  }
}
