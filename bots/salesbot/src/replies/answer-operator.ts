import type { BotContext, OperatorInstruction } from '@jbot/core';
import { planFollowUps } from '../followups/plan-follow-ups.js';
import { answerCommitRisk } from './commit-risk-reply.js';
import { answerMarginException } from './margin-exception-reply.js';
import { answerDeductionDispute } from './deduction-dispute-reply.js';

/** A reply handler for one signal type salesbot raises. */
export type SignalReply = (instruction: OperatorInstruction, signal: Record<string, unknown>, context: BotContext) => Promise<string>;

/** Replies to salesbot's warning-or-higher signals, by signal type (stale_deals: the Monday flow, below). */
export const signalReplies: Record<string, SignalReply> = {
  commit_at_risk: answerCommitRisk,
  margin_exception: answerMarginException,
  deduction_dispute_due: answerDeductionDispute,
};

/**
 * salesbot's answer to the operator: a reply to one of its signals goes to that type's handler;
 * everything else (a stale-deals reply, an unlinked message) to the Monday follow-up flow, as before.
 */
export async function answerOperator(instruction: OperatorInstruction, context: BotContext): Promise<string> {
  if (instruction.signalId !== null) {
    const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
    const reply = signal === undefined ? undefined : signalReplies[String(signal['signal_type'])];
    if (signal !== undefined && reply !== undefined) return reply(instruction, signal, context);
  }
  return planFollowUps(instruction, context);
}
