import { createHash } from 'node:crypto';
import type { Db } from '../db/db.js';

/** A job's last successful run, as the next run compares itself with it. */
export interface LastRun {
  runId: string;
  scheduledFor: string;
  result: unknown;
  outcome: string | null;
  fingerprint: string | null;
}

/** Read the last successful run of a job scheduled before `before` (null: never succeeded). */
export async function readLastRun(db: Db, bot: string, job: string, before?: Date): Promise<LastRun | null> {
  const [row] = await db.rpc<{ run_id: string; scheduled_for: string; result: unknown; outcome: string | null; fingerprint: string | null }>(
    'last_successful_run',
    {
      p_bot: bot,
      p_job: job,
      p_before: before?.toISOString() ?? null,
    },
  );
  if (row === undefined) return null;
  return { runId: row.run_id, scheduledFor: String(row.scheduled_for), result: row.result, outcome: row.outcome, fingerprint: row.fingerprint };
}

/**
 * A stable hash of a value (keys sorted, so property order never changes it): the catalogue's
 * fingerprint of what a job would send to the model or post.
 */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
}
