import { getApproval, type BotContext, type OperatorInstruction } from '@jbot/core';
import { accountChurnRisk, arOverdue, forecastGap } from '../signals.js';
import { answerForecastGap } from './forecast-replies.js';
import { answerChurnRisk } from './churn-risk-reply.js';
import { arCollectionsSettings, findOverdueAccounts, requestArReminders } from '../jobs/ar-collections.js';
import { localDay } from '../jobs/deal-hygiene.js';

// "remind them", "chase", "send the reminder": the operator wants the buyer emailed.
const REMIND = /\b(remind|chase|email|nudge|follow ?up|send)\b/i;

/**
 * salesbot's answer to a reply on one of its account-side escalations (ar_overdue, forecast_gap);
 * null when the reply answers another signal (the stale-deals flow takes it). Every answer reads
 * the books again, so "did they pay?" has an answer.
 */
export async function answerAccountSignal(instruction: OperatorInstruction, context: BotContext): Promise<string | null> {
  if (instruction.signalId === null) return null;
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return null;
  if (signal['signal_type'] === arOverdue.type) return answerArOverdue(arOverdue.schema.parse(signal['payload']), instruction, context);
  if (signal['signal_type'] === forecastGap.type) return answerForecastGap(forecastGap.schema.parse(signal['payload']), context);
  if (signal['signal_type'] === accountChurnRisk.type) return answerChurnRisk(accountChurnRisk.schema.parse(signal['payload']), instruction, context);
  return null;
}

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

async function answerArOverdue(payload: ReturnType<typeof arOverdue.schema.parse>, instruction: OperatorInstruction, context: BotContext): Promise<string> {
  const settings = arCollectionsSettings.load({});
  const now = new Date();
  const zone = typeof context.config['FLEET_TZ'] === 'string' ? context.config['FLEET_TZ'] : settings.FLEET_TZ;
  const accounts = await findOverdueAccounts(context.connectors, localDay(now, zone), {
    politeMaxDays: settings.SALES_AR_POLITE_MAX_DAYS,
    firmMaxDays: settings.SALES_AR_FIRM_MAX_DAYS,
  });
  const account = accounts.find((candidate) => candidate.account_id === payload.account_id);
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  const paid = (await context.connectors.accounting.listPayments({ since })).filter((payment) => payment.accountId === payload.account_id);
  const paidLine =
    paid.length === 0 ? 'no payment in the last 30 days' : `paid ${paid.map((payment) => `${money(payment.amount)} on ${payment.paidOn}`).join(', ')}`;
  if (account === undefined || account.invoices.length === 0)
    return `${payload.account}: nothing past due any more (${paidLine}).${payload.credit_hold ? ' Ask shipbot to release the hold (release_credit_hold).' : ' No hold needed.'}`;
  const state = `${payload.account} owes ${money(account.total_overdue)} past due (${account.invoices
    .map((invoice) => `${invoice.number} ${money(invoice.amount_due)} ${invoice.days_past_due} d`)
    .join(', ')}); ${paidLine}.`;
  const hold = payload.approval_id === undefined ? null : await getApproval(context.db, payload.approval_id);
  const holdLine = account.on_hold
    ? 'The account is on credit hold.'
    : hold === null
      ? ''
      : `Credit hold: approval ${hold.id.slice(0, 8)} is ${hold.status}${hold.status === 'pending' ? ' — approve it in #sales-bot to hold new shipments' : ''}.`;
  if (!REMIND.test(instruction.text)) return `${state} ${holdLine} Reply "remind them" and I draft the reminder for approval.`.trim();
  const asked = await requestArReminders(
    context,
    [account],
    `ar-reminders:operator:${instruction.signalId ?? ''}:${account.account_id}`,
    now,
    instruction.signalId ?? undefined,
  );
  return `${state} ${holdLine} ${asked.created ? 'Drafted' : 'Already drafted'} the reminder: approval ${asked.approvalId.slice(0, 8)} waits in #sales-bot.`.trim();
}
