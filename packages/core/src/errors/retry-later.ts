/**
 * An error that means "try again later", not "this failed": another attempt holds the side
 * effect right now, a vendor did not answer in time, a deadline passed. It carries how long to
 * wait. Read it with retryAfterOf, which also works across duplicated module copies.
 */
export interface RetryLater {
  readonly retryAfterMs: number;
}

/** Milliseconds to wait before retrying when `error` is a retry-later error; null otherwise. */
export function retryAfterOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** Reject with the signal's reason once it aborts; never settles otherwise. Race work against it. */
export function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
