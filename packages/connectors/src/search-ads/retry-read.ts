import { ConnectorError } from '../connector-error.js';

/** What a failed read carries for the retry decision. */
interface StatusFacts {
  facts?: { status?: unknown; retryAfterMs?: unknown };
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * A read (search, list, report poll) retried on 429 and 5xx — at most `retries` more times,
 * waiting the vendor's Retry-After or an exponential pause. Writes never come through here: they
 * go through the side-effect ledger, whose recovery looks before it writes again.
 */
export async function retryRead<Result>(
  read: () => Promise<Result>,
  options: { retries?: number; baseDelayMs?: number; signal?: AbortSignal } = {},
): Promise<Result> {
  const retries = options.retries ?? 2;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      const status = error instanceof ConnectorError ? Number((error as StatusFacts).facts?.status) : NaN;
      if (attempt >= retries || !RETRYABLE.has(status) || options.signal?.aborted === true) throw error;
      const hinted = Number((error as StatusFacts).facts?.retryAfterMs);
      const delay = Number.isFinite(hinted) && hinted > 0 ? Math.min(hinted, 30_000) : (options.baseDelayMs ?? 500) * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
