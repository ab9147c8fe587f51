import { FleetError } from './fleet-error.js';

/**
 * A signal handler or approval executor ran past its deadline: it was aborted and its lease is no
 * longer renewed. Retry-later: the work is retried (with backoff) or, out of attempts, fails visibly.
 */
export class DeadlineExceededError extends FleetError {
  readonly retryAfterMs: number;

  constructor(what: string, deadlineMs: number, facts: Record<string, unknown>, retryAfterMs = 1000) {
    super('deadline_exceeded', `${what} did not finish within its deadline of ${deadlineMs} ms; it was aborted`, { facts: { ...facts, deadlineMs } });
    this.retryAfterMs = retryAfterMs;
  }
}
