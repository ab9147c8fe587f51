import { listApprovals, type BotContext, type OperatorInstruction } from '@jbot/core';
import { deliverabilityRisk, klaviyoIssue } from './signals.js';
import { answerSearchSignal } from './search/search-replies.js';

/**
 * mktgbot's answer to the operator's reply on one of its escalations. A Klaviyo issue is
 * explained with its figures and, for a held send, the pending approval that unschedules it
 * (the decision itself stays with the allow-listed approvers on Discord or the approval's
 * Telegram buttons: a free-text reply is not an approval).
 */
export async function answerOperator(instruction: OperatorInstruction, context: BotContext): Promise<string> {
  if (instruction.signalId === null) return 'noted — reply to one of my alerts (a Klaviyo issue) and I will explain it or point you at its approval';
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return `I have no signal ${instruction.signalId}`;
  const searchAnswer = await answerSearchSignal(signal, instruction, context);
  if (searchAnswer !== null) return searchAnswer;
  if (signal['signal_type'] === deliverabilityRisk.type) {
    const risk = deliverabilityRisk.schema.parse(signal['payload']);
    const pct = (rate: number) => `${(rate * 100).toFixed(2)}%`;
    return `deliverability risk — ${risk.campaign ?? risk.campaign_id}: spam ${pct(risk.spam_rate)}, bounce ${pct(risk.bounce_rate)}, unsubscribe ${pct(risk.unsubscribe_rate)} of ${risk.recipients} recipients (${(risk.reasons ?? []).join('; ')}). Check the audience it went to (purchased or stale lists) before the next bulk send.`;
  }
  if (signal['signal_type'] !== klaviyoIssue.type)
    return `noted — signal ${instruction.signalId} (${String(signal['signal_type'])}) needs nothing more from me`;
  const issue = klaviyoIssue.schema.parse(signal['payload']);
  const facts = `${issue.name} (${issue.object_id}): ${issue.metric} = ${issue.value}${issue.benchmark === null ? '' : ` vs ${issue.benchmark}`}${issue.detail === undefined ? '' : `. ${issue.detail}`}`;
  if (issue.kind !== 'send_blocked') return `${issue.kind.replace(/_/g, ' ')} — ${facts}`;
  const pending = (await listApprovals(context.db, { status: 'pending', bot: 'mktgbot', limit: 200 })).find(
    (approval) => approval.action === 'fix_or_unschedule_campaign' && (approval.draft as { campaign_id?: unknown }).campaign_id === issue.object_id,
  );
  const holdLine =
    pending === undefined
      ? 'No hold is pending for it (already decided); run `fleet run mktgbot/klaviyo-send-guard` to re-check.'
      : `Approve ${pending.id} ("${pending.title}") to unschedule it until fixed.`;
  await context.channel.post({ title: `Operator asked about "${issue.name}"`, text: `${facts}\n${holdLine}`, kind: 'note' });
  return `send blocked — ${facts}. ${holdLine}`;
}
