import type { Db } from '../db/db.js';
import { isJobOutcome } from './job-outcome.js';

// Results go into jsonb: anything JSON cannot hold is stored as its string form; a huge result
// is cut to its outcome so cron_runs stays small.
const MAX_RESULT_CHARS = 20_000;

/** Store a succeeded run's return value (and, for a JobOutcome, its outcome line and fingerprint). */
export async function recordRunResult(db: Db, runId: string, value: unknown): Promise<void> {
  if (value === undefined || value === null) return;
  const outcome = isJobOutcome(value) ? value : undefined;
  const result = outcome === undefined ? value : (outcome.detail ?? null);
  let json: string;
  try {
    json = JSON.stringify(result) ?? 'null';
  } catch {
    json = JSON.stringify(String(result));
  }
  const stored = json.length > MAX_RESULT_CHARS ? { truncated: true, chars: json.length } : (JSON.parse(json) as unknown);
  await db.rpc('record_cron_run_result', {
    p_run_id: runId,
    p_result: stored,
    p_outcome: outcome?.outcome ?? null,
    p_fingerprint: outcome?.fingerprint ?? null,
  });
}
