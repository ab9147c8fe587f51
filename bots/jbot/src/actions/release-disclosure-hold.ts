import { z } from 'zod';
import { defineAction, FleetError, rpcOne } from '@jbot/core';
import type { JbotConfig } from '../jbot-config.js';

const releaseDraft = z.object({
  approval_id: z.uuid(),
  bot: z.string().min(1),
  title: z.string(),
  rule: z.string().min(1),
  excerpt: z.string(),
  quiet_period_until: z.iso.date(),
});

/** The approval draft: which held approval to release, and why it was held. */
export type ReleaseDisclosureHoldDraft = z.input<typeof releaseDraft>;

/** The person who approved the release is not in the IR/legal group. */
export class DisclosureApproverError extends FleetError {
  constructor(decidedBy: string | null, approvalId: string) {
    super(
      'disclosure_approver_required',
      `${decidedBy ?? 'nobody'} approved releasing the disclosure hold on ${approvalId} but is not in JBOT_DISCLOSURE_APPROVERS: the hold stays; ask IR or legal to approve it`,
      { facts: { decidedBy, approvalId } },
    );
  }
}

/**
 * `release_disclosure_hold`: lift the quiet-period hold on another bot's approval, so its executor
 * may run it. Only the IR/legal group (JBOT_DISCLOSURE_APPROVERS, when set) may release; anyone
 * else's approval fails with the hold kept. Releasing twice is a no-op.
 */
export const releaseDisclosureHold = defineAction({
  name: 'release_disclosure_hold',
  draft: releaseDraft,
  async execute(draft, context, approval) {
    const approvers = (context.config as Partial<JbotConfig>).disclosureApprovers ?? [];
    if (approvers.length > 0 && (approval.decidedBy === null || !approvers.includes(approval.decidedBy)))
      throw new DisclosureApproverError(approval.decidedBy, draft.approval_id);
    const released = await rpcOne<{ released: boolean; status: string | null }>(context.db, 'release_approval_hold', {
      p_approval_id: draft.approval_id,
      p_released_by: approval.decidedBy ?? 'unknown',
    });
    return {
      summary: released.released
        ? `released the hold on ${draft.bot}'s "${draft.title}" (now ${released.status})`
        : `the hold on ${draft.bot}'s "${draft.title}" was already released`,
      released_now: released.released,
    };
  },
});
