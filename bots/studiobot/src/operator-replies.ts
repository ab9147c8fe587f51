import { runOnce, type BotContext, type OperatorInstruction } from '@jbot/core';
import { renewOrPauseAsset } from './actions/renew-or-pause-asset.js';
import { listCollaborations, listRights } from './brain/creator-book.js';
import { creatorComplianceIssue, creatorDeliverableLate, ugcRightsExpiring } from './signals.js';

// "pause it", "take it down": the operator wants an expired asset off everything now.
const PAUSE = /\b(pause|take (it )?down|stop|pull)\b/i;
// "remind", "chase", "nudge", "fix": the operator wants the creator contacted.
const CHASE = /\b(remind|chase|nudge|fix|ask|message|dm)\b/i;

/**
 * studiobot's answer to the operator's reply on one of its escalations. Expiring rights: "pause"
 * asks (once per reply) for renew_or_pause_asset with the asset paused everywhere; anything else
 * says where it runs and what is pending. A missing disclosure or a late creator: "fix" / "remind"
 * points to the approval already drafted for it (or says none is pending); anything else explains.
 */
export async function answerOperator(instruction: OperatorInstruction, context: BotContext): Promise<string> {
  if (instruction.signalId === null)
    return 'reply to one of my alerts (expiring UGC rights, a paid post without #ad, a late creator) and I will act on it or explain it';
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return `signal ${instruction.signalId} is no longer in the brain; nothing to act on`;
  const pending = await context.approvals.list({ status: 'pending', limit: 50 });
  if (signal['signal_type'] === ugcRightsExpiring.type) {
    const payload = ugcRightsExpiring.schema.parse(signal['payload']);
    const asset = (await listRights(context.db)).find((candidate) => candidate.assetId === payload.asset_id);
    const uses = payload.in_use.map((use) => `${use.kind} ${use.id}`).join(', ');
    if (PAUSE.test(instruction.text)) {
      const live = (await context.connectors.creators.listAssetUsage([payload.asset_id])).filter((use) => use.status === 'live' || use.status === 'scheduled');
      if (live.length === 0) return `${payload.asset_id} by @${payload.licensor} no longer runs anywhere (every use is paused); nothing to pause`;
      const asked = await runOnce(context.db, { key: `studiobot:pause:${instruction.operatorMessageId}`, bot: context.bot }, async () => {
        const { approval } = await context.approvals.request({
          action: renewOrPauseAsset,
          title: `Pause ${payload.asset_id} everywhere it runs and ask @${payload.licensor} to renew`,
          draft: {
            assets: [
              {
                asset_id: payload.asset_id,
                licensor: payload.licensor,
                expires_at: payload.expires_at,
                pause: true,
                renewal_message: `Hi @${payload.licensor}! Our licence to use your post ends ${payload.expires_at.slice(0, 10)}. We have paused it for now; would you renew it for another 12 months on the same terms? Reply #YesHarborPine and we will turn it back on.`,
              },
            ],
          },
          requestKey: `operator-pause:${payload.asset_id}:${instruction.operatorMessageId}`,
          ...(instruction.signalId === null ? {} : { signalId: instruction.signalId }),
        });
        return { approvalId: approval.id };
      });
      const approvalId = (asked.result as { approvalId?: string } | null)?.approvalId ?? '?';
      return `${asked.ran ? 'drafted' : 'already drafted'} renew_or_pause_asset ${approvalId.slice(0, 8)} to pause ${payload.asset_id} (${uses}) and ask @${payload.licensor} to renew: approve it on #studio-bot`;
    }
    const waiting = pending.find((approval) => approval.action === 'renew_or_pause_asset' && JSON.stringify(approval.draft).includes(payload.asset_id));
    return `${payload.asset_id} by @${payload.licensor}: rights ${Date.parse(payload.expires_at) <= Date.now() ? 'expired' : 'expire'} ${payload.expires_at.slice(0, 10)}, still in ${uses}${asset?.renewalRequestedAt === null || asset === undefined ? '' : `; renewal asked ${asset.renewalRequestedAt.slice(0, 10)}`}.${waiting === undefined ? ' Reply "pause" and I draft the pause and renewal.' : ` Approval ${waiting.id.slice(0, 8)} (renew or pause) is waiting on #studio-bot.`}`;
  }
  if (signal['signal_type'] === creatorComplianceIssue.type || signal['signal_type'] === creatorDeliverableLate.type) {
    const compliance = signal['signal_type'] === creatorComplianceIssue.type;
    const payload = compliance ? creatorComplianceIssue.schema.parse(signal['payload']) : creatorDeliverableLate.schema.parse(signal['payload']);
    const action = compliance ? 'send_creator_fix_requests' : 'send_creator_reminders';
    const waiting = pending.find((approval) => approval.action === action && JSON.stringify(approval.draft).includes(`"${payload.creator}"`));
    const collab = (await listCollaborations(context.db)).find((candidate) => candidate.collabId === payload.collab_id);
    const facts = compliance
      ? `@${payload.creator}'s post ${(payload as { post_url: string }).post_url}: ${(payload as { issue: string }).issue}`
      : `@${payload.creator} (${payload.collab_id}, $${collab?.feeUsd ?? '?'}): ${(payload as { reason?: string }).reason ?? 'late'}`;
    if (CHASE.test(instruction.text))
      return waiting === undefined
        ? `${facts}. No ${action} approval is pending for them (it was decided or expired); the next run drafts a new one if the problem is still there`
        : `${facts}. The message is drafted: approve ${action} ${waiting.id.slice(0, 8)} on #studio-bot and it goes out once`;
    return `${facts}.${waiting === undefined ? '' : ` ${action} ${waiting.id.slice(0, 8)} is waiting on #studio-bot; reply "${compliance ? 'fix' : 'remind'}" for what it sends.`}`;
  }
  return `noted — ${String(signal['signal_type'])} (${String(signal['severity'])}): ${JSON.stringify(signal['payload']).slice(0, 300)}`;
}
