import type { Db } from '@jbot/core';
import { SideEffectInFlightError } from '../connector-error.js';
import { VendorCallAbortedError } from '../vendor-call.js';

/**
 * Exactly-once for SaaS calls that have no idempotency key of their own (HubSpot object
 * creates). The key is recorded in the brain BEFORE the call and completed after it:
 *  - first attempt: `claimed` → call the vendor → `complete` with the result;
 *  - a retry after success: `done` → the recorded result, no call;
 *  - a concurrent attempt: `in_flight` → SideEffectInFlightError (retry later: an approval is
 *    handed back, not failed);
 *  - a retry after a failed or crashed attempt: `recover` → the vendor may or may not have
 *    applied it, so `lookup` asks the vendor (HubSpot: search emails by our key property)
 *    and only calls again when nothing is found.
 */
export interface SideEffectLedger {
  run<Result extends object>(spec: {
    idempotencyKey: string;
    connector: string;
    action: string;
    request: Record<string, unknown>;
    /** Find the effect at the vendor after an uncertain earlier attempt; null when absent. */
    lookup: () => Promise<Result | null>;
    perform: () => Promise<Result>;
  }): Promise<{ result: Result; performed: boolean }>;
}

/**
 * The ledger over connector_side_effects. A key under an executing approval (`approval:<id>…`)
 * is held by that approval's claim and for as long as its lease (see the approval_retries
 * migration); other keys hold their own lease of `leaseSeconds`. An aborted run claims nothing.
 */
export function createSideEffectLedger(db: Db, options: { leaseSeconds?: number; signal?: AbortSignal } = {}): SideEffectLedger {
  const leaseSeconds = options.leaseSeconds ?? 60;
  const stopIfAborted = (spec: { connector: string; action: string }) => {
    if (options.signal?.aborted === true) throw new VendorCallAbortedError(spec.connector, spec.action, options.signal.reason);
  };
  return {
    async run(spec) {
      // A run past its deadline (or stopping) must not start another side effect.
      stopIfAborted(spec);
      const [claim] = await db.rpc('claim_side_effect', {
        p_idempotency_key: spec.idempotencyKey,
        p_connector: spec.connector,
        p_action: spec.action,
        p_request: spec.request,
        p_lease_seconds: leaseSeconds,
      });
      const state = String(claim?.['state']);
      if (state === 'done') return { result: claim?.['result'] as never, performed: false };
      if (state === 'in_flight') throw new SideEffectInFlightError(spec.idempotencyKey, spec.connector, spec.action);
      try {
        if (state === 'recover') {
          const found = await spec.lookup();
          if (found !== null) {
            await db.rpc('complete_side_effect', { p_idempotency_key: spec.idempotencyKey, p_result: found });
            return { result: found, performed: false };
          }
        }
        stopIfAborted(spec);
        const result = await spec.perform();
        await db.rpc('complete_side_effect', { p_idempotency_key: spec.idempotencyKey, p_result: result });
        return { result, performed: true };
      } catch (error) {
        // The outcome at the vendor is unknown (a timeout may have landed): end the lease so the
        // next attempt goes through `recover` and looks before it calls again.
        await db.rpc('release_side_effect', { p_idempotency_key: spec.idempotencyKey, p_error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    },
  };
}
