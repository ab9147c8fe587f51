import { listApprovals, type BotContext, type OperatorInstruction } from '@jbot/core';
import { adClaimsRisk, adFatigue } from './signals.js';

const BRIEF = /\b(brief|new creative|replace|draft)\b/i;
const ROTATE = /\b(rotate|pause|swap)\b/i;
const FIX = /\b(fix|rewrite|correct)\b/i;

/**
 * adsbot's answer to the operator's reply on one of its escalations. Fatigue: "brief" records a
 * brief trigger and runs creative-briefs now; "rotate"/"pause" points to the pending rotation;
 * anything else explains the numbers. A claims risk: "fix" points to the pending fix_ad_copy;
 * anything else explains the rule and the excerpt.
 */
export async function answerOperator(instruction: OperatorInstruction, context: BotContext): Promise<string> {
  if (instruction.signalId === null) return 'reply to one of my alerts (ad fatigue, a claims risk) and I will explain it or act on it';
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return `signal ${instruction.signalId} is no longer in the brain; nothing to act on`;
  const pending = async (action: string) =>
    (await listApprovals(context.db, { bot: context.bot, status: 'pending' })).filter((approval) => approval.action === action);
  if (signal['signal_type'] === adFatigue.type) {
    const payload = adFatigue.schema.parse(signal['payload']);
    const name = payload.ad_name ?? payload.ad_id;
    if (BRIEF.test(instruction.text)) {
      await context.db.rpc('record_ad_brief_trigger', {
        p_kind: 'fatigue',
        p_ref: `${payload.ad_id}:operator:${instruction.operatorMessageId}`,
        p_brand: payload.brand ?? null,
        p_ad_set_id: payload.ad_set_id,
        p_detail: payload,
        p_signal_id: instruction.signalId,
      });
      const [run] = await context.db.rpc<{ run_id: string }>('request_manual_run', {
        p_bot: context.bot,
        p_job: 'creative-briefs',
        p_requested_by: `operator:${instruction.senderId}`,
      });
      return `briefing new creative for ${name}'s ad set now (creative-briefs run ${run?.run_id ?? 'queued'}); the drafts come as a create_ad_drafts approval`;
    }
    if (ROTATE.test(instruction.text)) {
      const rotation = (await pending('rotate_creatives'))[0];
      return rotation === undefined
        ? `no rotation is pending for ${name}; the next creative-fatigue run (07:30) asks again if it is still fatigued`
        : `approve "${rotation.title}" (approval ${rotation.id.slice(0, 8)}) to pause ${name} and activate the queued creative`;
    }
    return `${name}: 7-day frequency ${payload.frequency_7d}, link CTR down ${payload.ctr_drop_pct}% on its first week, CPM ${payload.cpm_change_pct >= 0 ? '+' : ''}${payload.cpm_change_pct}%, $${payload.spend_7d} spent in 7 days. Reply "rotate" to see the pending rotation or "brief" for new creative.`;
  }
  if (signal['signal_type'] === adClaimsRisk.type) {
    const payload = adClaimsRisk.schema.parse(signal['payload']);
    if (FIX.test(instruction.text)) {
      const fix = (await pending('fix_ad_copy'))[0];
      return fix === undefined
        ? 'no copy fix is pending; the next creative-compliance run (11:30) drafts one'
        : `approve "${fix.title}" (approval ${fix.id.slice(0, 8)}) to replace the ad with a compliant version`;
    }
    return `${payload.ad_name ?? payload.ad_id} is live with "${payload.excerpt}": ${payload.rule}. Reply "fix" for the pending compliant version.`;
  }
  return `noted — ${String(signal['signal_type'])}: ${JSON.stringify(signal['payload']).slice(0, 300)}`;
}
