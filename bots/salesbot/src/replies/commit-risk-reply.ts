import type { BotContext, OperatorInstruction } from '@jbot/core';
import type { Deal } from '@jbot/connectors';
import { commitAtRisk } from '../signals.js';
import { draftFollowUp, type FollowUpEmail, type FollowUpSubject } from '../followups/follow-up-draft.js';
import { sendFollowUps, type FollowUpApprovalDraft } from '../followups/send-follow-ups.js';

const FOLLOW_UP = /\b(follow|draft|email|chase|nudge|re-?engage)\b/i;

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

async function subjectFor(context: BotContext, deal: Deal, idleDays: number): Promise<FollowUpSubject | null> {
  const contacts = await context.connectors.crm.listDealContacts(deal.id);
  const contact = contacts.find((item) => item.isPrimary && item.email !== '') ?? contacts.find((item) => item.email !== '');
  const email = contact?.email ?? deal.contactEmail;
  if (email === null || email === undefined || email === '') return null;
  return {
    dealId: deal.id,
    dealName: deal.name,
    accountName: deal.accountName,
    stage: deal.stage,
    amount: deal.amount,
    daysSinceActivity: idleDays,
    contactId: contact?.id ?? null,
    contactName: contact === undefined ? (deal.contactName ?? email) : `${contact.firstName} ${contact.lastName}`.trim(),
    contactEmail: email,
    ownerName: deal.ownerName,
  };
}

/**
 * The operator's reply to a commit-at-risk line. "Follow up" (draft, chase …) drafts one email per
 * quiet deal into one send_followups approval — the same action the Monday stale-deal flow uses,
 * sent once and marking the deals re-engaged. Anything else explains what is at risk.
 */
export async function answerCommitRisk(instruction: OperatorInstruction, signal: Record<string, unknown>, context: BotContext): Promise<string> {
  const payload = commitAtRisk.schema.parse(signal['payload']);
  const share = payload.commit_amount === 0 ? 0 : Math.round((payload.at_risk_amount * 100) / payload.commit_amount);
  if (!FOLLOW_UP.test(instruction.text))
    return `${money(payload.at_risk_amount)} of the ${money(payload.commit_amount)} commit (${share}%) is going quiet: ${payload.deals
      .map((deal) => `${deal.name ?? deal.deal_id} (${money(deal.amount)}, ${deal.idle_days} days idle${deal.owner === undefined ? '' : `, ${deal.owner}`})`)
      .join('; ')}. Reply "follow up" and I'll draft an email to each buyer for approval.`;
  const requestKey = `commit-followups:${instruction.signalId ?? ''}:${payload.deals
    .map((deal) => deal.deal_id)
    .sort()
    .join(',')}`;
  const asked = await context.approvals.findByRequestKey(requestKey);
  if (asked !== null) return `already drafted — approval ${asked.id} is ${asked.status} in ${context.channel.target}`;
  const deals = new Map((await context.connectors.crm.listDeals()).map((deal) => [deal.id, deal]));
  const emails: FollowUpEmail[] = [];
  const skipped: string[] = [];
  for (const item of payload.deals) {
    const deal = deals.get(item.deal_id);
    const subject = deal === undefined || deal.isClosed ? null : await subjectFor(context, deal, item.idle_days);
    if (subject === null) {
      skipped.push(item.name ?? item.deal_id);
      continue;
    }
    const { offline: _offline, ...email } = await draftFollowUp(context.llm, subject);
    emails.push(email);
  }
  if (emails.length === 0) return `nothing to draft: ${skipped.join(', ')} ${skipped.length === 1 ? 'has' : 'have'} no buyer email or closed already`;
  const draft: FollowUpApprovalDraft = {
    emails,
    note: `Drafted for "${instruction.text}" on the commit-at-risk alert. On approval salesbot sends each email through the CRM and marks the deal re-engaged, once.`,
  };
  const { approval } = await context.approvals.request({
    action: sendFollowUps,
    title: `Send ${emails.length} follow-up email${emails.length === 1 ? '' : 's'} to late-stage deals going quiet`,
    draft,
    requestKey,
    ...(instruction.signalId === null ? {} : { signalId: instruction.signalId }),
  });
  return `drafted ${emails.length} follow-up email${emails.length === 1 ? '' : 's'}${skipped.length === 0 ? '' : ` (skipped ${skipped.join(', ')})`} — approval ${approval.id} is waiting in ${context.channel.target}`;
}
