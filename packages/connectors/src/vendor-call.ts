import { retryAfterOf, whenAborted } from '@jbot/core';
import { ConnectorError } from './connector-error.js';

/** A vendor call's default timeout (CONNECTOR_TIMEOUT_MS). */
export const DEFAULT_VENDOR_TIMEOUT_MS = 30_000;

/** How every call to one vendor is bounded: its own timeout, and the run's abort signal (ctx.abortSignal). */
export interface VendorCallLimits {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * A vendor did not answer within its timeout. Retry-later: for a write the outcome is unknown,
 * and the side-effect ledger makes the next attempt look at the vendor before it calls again.
 */
export class VendorTimeoutError extends ConnectorError {
  readonly retryAfterMs = 5000;

  constructor(vendor: string, operation: string, timeoutMs: number) {
    super('vendor_timeout', `${vendor} ${operation} did not answer within ${timeoutMs} ms (CONNECTOR_TIMEOUT_MS); the call was abandoned`, {
      facts: { vendor, operation, timeoutMs },
    });
  }
}

/** The run that made a vendor call was aborted (its deadline passed, or the bot is stopping). */
export class VendorCallAbortedError extends ConnectorError {
  readonly retryAfterMs: number;

  constructor(vendor: string, operation: string, reason: unknown) {
    super('vendor_call_aborted', `${vendor} ${operation} was aborted: ${reason instanceof Error ? reason.message : String(reason)}`, {
      facts: { vendor, operation },
      cause: reason,
    });
    this.retryAfterMs = retryAfterOf(reason) ?? 1000;
  }
}

/**
 * Run one vendor call under its timeout and the run's abort signal. `call` gets the combined
 * signal to end the request for real where the SDK allows it; either way the caller is answered
 * at the deadline, so a vendor that never answers cannot hold a handler, executor or lease.
 */
export async function callVendor<Result>(
  vendor: string,
  operation: string,
  limits: VendorCallLimits,
  call: (signal: AbortSignal) => Promise<Result>,
): Promise<Result> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new VendorTimeoutError(vendor, operation, limits.timeoutMs)), limits.timeoutMs);
  const signal = limits.signal === undefined ? timeout.signal : AbortSignal.any([limits.signal, timeout.signal]);
  try {
    if (signal.aborted) throw signal.reason;
    return await Promise.race([call(signal), whenAborted(signal)]);
  } catch (error) {
    if (!signal.aborted) throw error;
    if (timeout.signal.aborted) throw timeout.signal.reason;
    throw new VendorCallAbortedError(vendor, operation, limits.signal?.reason);
  } finally {
    clearTimeout(timer);
  }
}
