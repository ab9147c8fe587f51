import type { BrainTarget } from '../config/core-config.js';
import type { Logger } from '../log/logger.js';
import { connectBrain, type Brain } from './connect-brain.js';

// Codes that mean "the database is not there right now" (down, failing over, rebooting, or the
// network is not up yet) — as opposed to a wrong password, database or schema, which retrying
// cannot fix. Node socket errors, postgres.js's own, and SQLSTATEs of a server shutting down or
// starting up (57P01–57P03) or refusing connections (08xxx).
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** True when an error connecting to the brain is worth retrying (the database is unreachable, not misconfigured). */
export function isTransientBrainError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current: unknown = error; current !== undefined && current !== null && !seen.has(current);) {
    seen.add(current);
    const { code, facts, message } = current as { code?: unknown; facts?: { sqlState?: unknown }; message?: unknown };
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (typeof facts?.sqlState === 'string' && TRANSIENT_CODES.has(facts.sqlState)) return true;
    // Supabase's client reports an unreachable host as "fetch failed" (undici) with the socket error as cause.
    if (typeof message === 'string' && /fetch failed|socket hang up/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** How connectBrainWithRetry waits. */
export interface BrainRetryOptions {
  log: Logger;
  applicationName?: string;
  secrets?: readonly string[];
  /** First wait after a failed attempt; it doubles up to maxDelayMs (default 1 s → 10 s, so a returning brain is found within 10 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Told before each wait (the bot process extends systemd's start timeout and sets its status line). */
  onWait?: (attempt: number, delayMs: number, error: unknown) => void;
}

/**
 * Connect to the brain, retrying with backoff while it is unreachable: a managed-database
 * failover, a reboot before the network is up, or the database starting after the bots heals
 * itself instead of leaving the unit failed. Each wait is logged. A misconfiguration (wrong
 * password or database, no schema) and the embedded brain (started here, so there is nothing to
 * wait for) fail at once, as before.
 */
export async function connectBrainWithRetry(target: BrainTarget, options: BrainRetryOptions): Promise<Brain> {
  const initial = options.initialDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 10_000;
  const connectOptions = {
    ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      const brain = await connectBrain(target, connectOptions);
      if (attempt > 1) options.log.info({ attempt }, 'connected to the brain');
      return brain;
    } catch (error) {
      if (target.kind === 'embedded' || !isTransientBrainError(error)) throw error;
      const delayMs = Math.min(max, initial * 2 ** (attempt - 1));
      options.log.warn(
        { err: error, attempt, retryInMs: delayMs },
        `the brain is unreachable; retrying in ${Math.round(delayMs / 100) / 10} s (attempt ${attempt})`,
      );
      options.onWait?.(attempt, delayMs, error);
      // SIGTERM while waiting keeps its default action: nothing has started, so there is nothing to finish.
      await new Promise<void>((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
