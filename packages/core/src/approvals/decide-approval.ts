import type { Db } from '../db/db.js';
import { approvalFromRow, isApprovalId, type Approval, type ApprovalRow } from './approval.js';

/** A person's decision, from any channel. */
export interface DecideApprovalInput {
  approvalId: string;
  decision: 'approved' | 'rejected';
  /** Who decided, as people will read it: "discord:1234 (ana)", "telegram:5678", "cli:ana". */
  decidedBy: string;
  /** discord | telegram | local | dashboard */
  decidedVia?: string;
}

/** What the decision did. */
export interface DecideApprovalResult {
  /** true: this call made the decision. false: nothing changed (see reason). */
  decided: boolean;
  /** The approval as it now stands; null when there is no such approval. */
  approval: Approval | null;
  /** One line for the person: "approved by …", "already rejected by …", "expired …". */
  reason: string;
}

/**
 * Decide an approval: first decision wins, and only while it is pending and not expired (the
 * database clock decides). Repeated and late decisions change nothing and say why. Discord,
 * Telegram and the CLI all call this, so the semantics are the same everywhere. The owning
 * bot is woken by NOTIFY (its poll is the backstop) and executes an approval exactly once.
 */
export async function decideApproval(db: Db, input: DecideApprovalInput): Promise<DecideApprovalResult> {
  if (!isApprovalId(input.approvalId)) return { decided: false, approval: null, reason: `no approval ${input.approvalId}` };
  const [row] = await db.rpc<ApprovalRow & { decided: boolean }>('decide_approval', {
    p_approval_id: input.approvalId,
    p_decision: input.decision,
    p_decided_by: input.decidedBy,
    p_decided_via: input.decidedVia ?? null,
  });
  if (row === undefined) return { decided: false, approval: null, reason: `no approval ${input.approvalId}` };
  const approval = approvalFromRow(row);
  return { decided: row.decided === true, approval, reason: decisionReason(approval, row.decided === true) };
}

/** Why a decision did or did not take, for the person who made it. */
export function decisionReason(approval: Approval, decided: boolean): string {
  const by = approval.decidedBy ?? 'someone';
  if (decided) return `${approval.status} by ${by}`;
  switch (approval.status) {
    case 'expired':
      return `this approval expired at ${approval.expiresAt}; nothing was done`;
    case 'rejected':
      return `already rejected by ${by}`;
    case 'pending':
      return 'still pending';
    case 'failed':
      // Failed before anyone decided: the brain refused it (its draft was rewritten after it was shown).
      if (approval.decidedBy === null && approval.error !== null) return `not decided: ${approval.error}`;
      return `already approved by ${by} (failed)`;
    default:
      return `already approved by ${by} (${approval.status})`;
  }
}
