import { FleetError } from '@jbot/core';

/** A connector call failed: names the connector, the operation and (for side effects) the idempotency key. */
export class ConnectorError extends FleetError {
  constructor(code: string, message: string, options: { facts?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/**
 * Another process holds the side effect under this idempotency key right now. Retry later;
 * the holder either completes it or its lease expires and the next attempt recovers.
 */
export class SideEffectInFlightError extends ConnectorError {
  /** Retry-later (see retryAfterOf in @jbot/core): an approval executor hands the approval back instead of failing. */
  readonly retryAfterMs = 5000;

  constructor(idempotencyKey: string, connector: string, action: string) {
    super(
      'side_effect_in_flight',
      `${connector} ${action} under idempotency key "${idempotencyKey}" is being executed by another attempt; retry after its lease ends`,
      {
        facts: { idempotencyKey, connector, action },
      },
    );
  }
}
