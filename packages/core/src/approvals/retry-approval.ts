import type { Db } from '../db/db.js';
import { isApprovalId, type Approval } from './approval.js';
import { getApproval } from './approvals-service.js';

/** What a person's retry did. */
export interface RetryApprovalResult {
  /** true: this call moved the failed approval back to approved; false: nothing changed (see reason). */
  retried: boolean;
  approval: Approval | null;
  /** One line for the person. */
  reason: string;
}

/**
 * A person retries a failed approval (`fleet approvals retry`, the Retry button): it goes back to
 * approved with a fresh set of attempts and the owning bot runs its executor again. Nothing done
 * before is repeated: every side effect is keyed by the approval and recorded in the ledger.
 * Only a failed approval can be retried; anything else changes nothing and says why.
 */
export async function retryApproval(db: Db, input: { approvalId: string; retriedBy: string }): Promise<RetryApprovalResult> {
  if (!isApprovalId(input.approvalId)) return { retried: false, approval: null, reason: `no approval ${input.approvalId}` };
  const [row] = await db.rpc<{ retried: boolean; status: string; bot: string }>('retry_approval', {
    p_approval_id: input.approvalId,
    p_retried_by: input.retriedBy,
  });
  if (row === undefined) return { retried: false, approval: null, reason: `no approval ${input.approvalId}` };
  const approval = await getApproval(db, input.approvalId);
  if (row.retried)
    return { retried: true, approval, reason: `retry requested by ${input.retriedBy}; ${row.bot} runs it again and repeats nothing already done` };
  return { retried: false, approval, reason: `only a failed approval can be retried; this one is ${row.status}` };
}
