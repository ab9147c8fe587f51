/**
 * What a job run reports besides its raw result: one line for `fleet runs` and the fingerprint
 * of its input or findings, which the next run compares with (post on change, skip the model).
 */
export interface JobOutcome<Detail = unknown> {
  readonly kind: 'job-outcome';
  /** One line: "nothing to report", "2 late shipments, posted", "unchanged, model skipped". */
  outcome: string;
  fingerprint?: string;
  /** Stored as the run's result (keep it small: counts, ids). */
  detail?: Detail;
}

/** A job's outcome, recorded on its cron_runs row. */
export function jobOutcome<Detail>(outcome: string, options: { fingerprint?: string; detail?: Detail } = {}): JobOutcome<Detail> {
  return {
    kind: 'job-outcome',
    outcome,
    ...(options.fingerprint === undefined ? {} : { fingerprint: options.fingerprint }),
    ...(options.detail === undefined ? {} : { detail: options.detail }),
  };
}

/** The outcome of a run that found nothing: still recorded, so a quiet job is visibly alive. */
export const NOTHING_TO_REPORT = 'nothing to report';

/** Is this return value a JobOutcome? */
export function isJobOutcome(value: unknown): value is JobOutcome {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'job-outcome';
}
