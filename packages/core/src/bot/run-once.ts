import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.js';
import { rpcOne } from '../db/rpc-one.js';

/** What came of runOnce. */
export type RunOnceOutcome<T> = { ran: true; result: T } | { ran: false; status: 'done' | 'claimed'; result: unknown };

/**
 * Do a piece of in-fleet work once per key (post a forecast once per signal), across redeliveries
 * and copies of the bot: claimed in the brain under a lease, recorded when done, given back when
 * it fails so a redelivery retries. A crash after the work but before the record repeats it once
 * the lease expires (at least once, never concurrently); external side effects keep their own
 * idempotency keys on top.
 */
export async function runOnce<T>(db: Db, options: { key: string; bot: string; leaseMs?: number }, work: () => Promise<T>): Promise<RunOnceOutcome<T>> {
  const worker = `${options.bot}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const claim = await rpcOne<{ claimed: boolean; status: 'done' | 'claimed'; result: unknown }>(db, 'claim_bot_output', {
    p_key: options.key,
    p_bot: options.bot,
    p_worker: worker,
    p_lease_seconds: (options.leaseMs ?? 60_000) / 1000,
  });
  if (!claim.claimed) return { ran: false, status: claim.status, result: claim.result };
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await db.rpc('release_bot_output', { p_key: options.key, p_worker: worker }).catch(() => {});
    throw error;
  }
  await db.rpc('finish_bot_output', { p_key: options.key, p_worker: worker, p_result: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
  return { ran: true, result };
}
