/** Where an approval is in its life: pending → approved | rejected | expired; approved → executing → executed | failed. */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'executing' | 'executed' | 'failed';

/** Every status, in lifecycle order. */
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'executing', 'executed', 'failed'] as const satisfies readonly ApprovalStatus[];

/** One approval as the brain holds it. */
export interface Approval {
  id: string;
  /** The bot that asked, and that executes it. */
  bot: string;
  /** Which of the bot's executors runs it (send_followups, pause_campaign …). */
  action: string;
  title: string;
  /** What the bot drafted: the executor's input, shown to the approver. */
  draft: unknown;
  signalId: string | null;
  status: ApprovalStatus;
  requestedAt: string;
  expiresAt: string;
  decidedBy: string | null;
  /** discord | telegram | local | dashboard */
  decidedVia: string | null;
  decidedAt: string | null;
  /** Pass it to every external side effect: a re-run after a crash then repeats nothing. */
  idempotencyKey: string;
  attempts: number;
  executedAt: string | null;
  result: unknown;
  error: string | null;
  /** An approved approval handed back by a "retry later": not claimed again before this time. */
  retryAt: string | null;
  /** The status the channel message last showed. */
  renderedStatus: string | null;
}

/** The approval_row shape the SQL functions return. */
export interface ApprovalRow {
  [column: string]: unknown;
  approval_id: string;
  bot: string;
  action: string;
  title: string;
  draft: unknown;
  signal_id: string | null;
  status: ApprovalStatus;
  requested_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_via: string | null;
  decided_at: string | null;
  idempotency_key: string;
  attempts: number;
  executed_at: string | null;
  result: unknown;
  error: string | null;
  rendered_status: string | null;
  lease_until?: string | null;
}

/** Map a row from an approval function to an Approval. */
export function approvalFromRow(row: ApprovalRow): Approval {
  return {
    id: row.approval_id,
    bot: row.bot,
    action: row.action,
    title: row.title,
    draft: row.draft,
    signalId: row.signal_id,
    status: row.status,
    requestedAt: iso(row.requested_at),
    expiresAt: iso(row.expires_at),
    decidedBy: row.decided_by,
    decidedVia: row.decided_via,
    decidedAt: row.decided_at === null ? null : iso(row.decided_at),
    idempotencyKey: row.idempotency_key,
    attempts: Number(row.attempts),
    executedAt: row.executed_at === null ? null : iso(row.executed_at),
    result: row.result,
    error: row.error,
    // While approved, lease_until is the hold of a retry-later (while executing it is the claim's lease).
    retryAt: row.status === 'approved' && row.lease_until !== undefined && row.lease_until !== null ? iso(row.lease_until) : null,
    renderedStatus: row.rendered_status,
  };
}

// postgres.js hands back Date objects for some casts; the seam promises ISO strings.
function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed approval id (a UUID), checked before it reaches SQL. */
export function isApprovalId(value: string): boolean {
  return UUID.test(value);
}
