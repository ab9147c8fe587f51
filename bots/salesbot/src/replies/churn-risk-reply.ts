import { getApproval, type BotContext, type OperatorInstruction } from '@jbot/core';
import type { accountChurnRisk } from '../signals.js';
import { monthlyAccountReviewSettings, requestAccountCheckins, reviewAccounts } from '../jobs/monthly-account-review.js';
import { localDay } from '../jobs/deal-hygiene.js';

// "check in", "email them", "reach out": the operator wants the buyer contacted.
const CHECK_IN = /\b(check.?in|email|reach out|contact|call|nudge|send|draft)\b/i;

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/**
 * The reply to an `account_churn_risk` line: the account's figures read again today (did it
 * reorder since?), the state of the check-in approval, and on "check in" / "email them" a
 * check-in drafted for approval for this account alone.
 */
export async function answerChurnRisk(
  payload: ReturnType<typeof accountChurnRisk.schema.parse>,
  instruction: OperatorInstruction,
  context: BotContext,
): Promise<string> {
  const settings = monthlyAccountReviewSettings.load({});
  const zone = typeof context.config['FLEET_TZ'] === 'string' ? context.config['FLEET_TZ'] : settings.FLEET_TZ;
  const now = new Date();
  const reviews = await reviewAccounts(context.connectors, localDay(now, zone), {
    churnDropPct: settings.SALES_REVIEW_CHURN_DROP_PCT,
    minFillRatePct: settings.SALES_REVIEW_MIN_FILL_RATE_PCT,
    dsoGraceDays: settings.SALES_REVIEW_DSO_GRACE_DAYS,
  });
  const review = reviews.find((candidate) => candidate.accountId === payload.account_id);
  if (review === undefined) return `${payload.account}: no wholesale orders on record any more; nothing to check in on.`;
  const state = `${review.account} (${review.owner}): T90 ${money(review.t90Revenue)} vs prior ${money(review.priorT90Revenue)}${review.changePct === null ? '' : ` (${review.changePct}%)`}; ${review.reasons.length === 0 ? 'no longer flagged' : review.reasons.join('; ')}.`;
  const asked = payload.approval_id === undefined ? null : await getApproval(context.db, payload.approval_id);
  const askedLine = asked === null ? '' : `Check-ins: approval ${asked.id.slice(0, 8)} is ${asked.status}.`;
  if (!CHECK_IN.test(instruction.text)) return `${state} ${askedLine} Reply "check in" and I draft a check-in email to the buyer for approval.`.trim();
  if (!review.churnRisk) return `${state} Volume is back inside the churn line, so no check-in is drafted.`;
  const drafted = await requestAccountCheckins(
    context,
    [review],
    `account-checkins:operator:${instruction.signalId ?? ''}:${review.accountId}`,
    instruction.signalId ?? undefined,
  );
  if (drafted === null) return `${state} The CRM has no buyer email for ${review.account}; add the contact and reply again.`;
  return `${state} ${drafted.created ? 'Drafted' : 'Already drafted'} the check-in: approval ${drafted.approvalId.slice(0, 8)} waits in #sales-bot.`;
}
