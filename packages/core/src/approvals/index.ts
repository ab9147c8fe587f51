// Approvals: a person decides what a bot drafted; the owning bot executes it once.
export { APPROVAL_STATUSES, approvalFromRow, isApprovalId, type Approval, type ApprovalRow, type ApprovalStatus } from './approval.js';
export { decideApproval, decisionReason, type DecideApprovalInput, type DecideApprovalResult } from './decide-approval.js';
export {
  createApprovals,
  getApproval,
  listApprovals,
  DEFAULT_APPROVAL_EXPIRY_MS,
  type Approvals,
  type ApprovalRequest,
  type RequestedApproval,
} from './approvals-service.js';
export { retryApproval, type RetryApprovalResult } from './retry-approval.js';
export {
  ApprovalWorker,
  DEFAULT_APPROVAL_TIMEOUT_MS,
  type ApprovalWorkerOptions,
  type ApprovalExecutor,
  type ApprovalExecutionContext,
} from './approval-worker.js';
export { approvalMessage, statusLine, summariseResult } from './render-approval.js';
export { showApproval } from './show-approval.js';
export { UnknownApprovalActionError, ApprovalError, ApprovalDraftError } from './approval-errors.js';
export { defineAction, type ActionDefinition } from './define-action.js';
