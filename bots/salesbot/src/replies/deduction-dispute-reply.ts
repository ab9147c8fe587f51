import { getApproval, type BotContext, type OperatorInstruction } from '@jbot/core';
import { deductionDisputeDue } from '../signals.js';
import { deductionRulesOf, deductionsWatchSettings, findDeductions, requestDeductionDisputes } from '../jobs/deductions-watch.js';
import { localDay } from '../jobs/deal-hygiene.js';

// "dispute", "send", "file": the operator wants the packets sent (after approval).
const DISPUTE = /\b(dispute|send|file|claim|draft|go)\b/i;

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/**
 * The reply to a `deduction_dispute_due` line: the account's deductions read again today (still
 * open? deadline?), the state of the dispute approval, and on "dispute" a dispute approval for
 * this account alone.
 */
export async function answerDeductionDispute(instruction: OperatorInstruction, signal: Record<string, unknown>, context: BotContext): Promise<string> {
  const payload = deductionDisputeDue.schema.parse(signal['payload']);
  const settings = deductionsWatchSettings.load({});
  const zone = typeof context.config['FLEET_TZ'] === 'string' ? context.config['FLEET_TZ'] : settings.FLEET_TZ;
  const flagged = await findDeductions(context.connectors, localDay(new Date(), zone), deductionRulesOf(settings));
  const mine = flagged.filter((deduction) => deduction.account_id === payload.account_id && deduction.disputable);
  if (mine.length === 0) return `${payload.account}: no deduction is disputable any more (repaid, or the window closed); nothing to send.`;
  const state = `${payload.account}: ${mine.length} disputable deduction${mine.length === 1 ? '' : 's'}, ${money(mine.reduce((sum, deduction) => sum + deduction.amount, 0))} (${mine
    .map((deduction) => `${deduction.id} ${money(deduction.amount)} by ${deduction.dispute_by}, ${deduction.days_left} d left`)
    .join('; ')}).`;
  const asked = payload.approval_id === undefined ? null : await getApproval(context.db, payload.approval_id);
  const askedLine = asked === null ? '' : `Disputes: approval ${asked.id.slice(0, 8)} is ${asked.status}.`;
  if (!DISPUTE.test(instruction.text)) return `${state} ${askedLine} Reply "dispute" and I draft the dispute packets for this account for approval.`.trim();
  const drafted = await requestDeductionDisputes(
    context,
    mine,
    `deduction-disputes:operator:${instruction.signalId ?? ''}:${payload.account_id}`,
    instruction.signalId ?? undefined,
  );
  if (drafted === null) return `${state} The books have no AR contact for ${payload.account}; add one and reply again.`;
  return `${state} ${drafted.created ? 'Drafted' : 'Already drafted'} the dispute packets: approval ${drafted.approvalId.slice(0, 8)} waits in #sales-bot.`;
}
