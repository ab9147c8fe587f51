/**
 * The approvals whose first post this process is making right now. A decision can land before
 * that post is recorded (an operator quick on Telegram, the bench's auto-approver); the approval
 * worker, seeing a decided approval with no message yet, would post a second one beside it. It
 * asks here first and leaves the message to the requester, which brings it up to date once its
 * post is recorded. Process-wide on purpose: the requester and the worker of a bot (and, in the
 * bench, two copies of it) share one process. An approval requested by a process that then died
 * is in no set, so its worker posts it at once.
 */
const inFlight = new Set<string>();

/** Run `post` as the first post of `approvalId`, marked in flight until it settles. */
export async function asFirstPost<T>(approvalId: string, post: () => Promise<T>): Promise<T> {
  inFlight.add(approvalId);
  try {
    return await post();
  } finally {
    inFlight.delete(approvalId);
  }
}

/** Whether this process is making the first post of `approvalId` right now. */
export function isFirstPostInFlight(approvalId: string): boolean {
  return inFlight.has(approvalId);
}
