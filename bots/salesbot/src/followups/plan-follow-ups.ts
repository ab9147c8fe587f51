import type { BotContext, OperatorInstruction } from '@jbot/core';
import type { Connectors, Deal } from '@jbot/connectors';
import { staleDeals } from '../signals.js';
import { sendFollowUps, type FollowUpApprovalDraft } from './send-follow-ups.js';
import { readFollowUpIntent } from './choose-deals.js';
import { draftFollowUp, type FollowUpEmail, type FollowUpSubject } from './follow-up-draft.js';

/**
 * salesbot's answer to the operator's reply on a stale-deals escalation ("follow up on both,
 * draft emails"): one drafted email per chosen deal, gathered into one approval request on
 * #sales-bot. Nothing is sent here. The request is keyed by the signal and the deals, so a
 * redelivered instruction finds the same approval instead of drafting again.
 */
export async function planFollowUps(instruction: OperatorInstruction, context: BotContext): Promise<string> {
  if (instruction.signalId === null) return 'tell me which deals: reply to a stale-deals alert (e.g. "follow up on both, draft emails")';
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined || signal['signal_type'] !== 'stale_deals')
    return `noted — signal ${instruction.signalId} is not a stale-deals alert, so there is nothing for me to draft`;
  const payload = staleDeals.schema.parse(signal['payload']);
  const intent = readFollowUpIntent(instruction.text, payload.deals);
  if (!intent.wantsFollowUps)
    return `noted. Reply "draft follow-ups" and I'll draft an email for each of the ${payload.deals.length} stale deals for your approval`;

  const connectors = context.connectors;
  const byId = new Map((await connectors.crm.listDeals()).map((deal) => [deal.id, deal]));
  const subjects: FollowUpSubject[] = [];
  const skipped: string[] = [];
  for (const chosen of intent.deals) {
    const deal = byId.get(chosen.deal_id);
    const subject =
      deal === undefined
        ? null
        : await followUpSubject(connectors, deal, payload.deals.find((item) => item.deal_id === chosen.deal_id)?.days_since_activity ?? null);
    if (subject === null) skipped.push(chosen.name);
    else subjects.push(subject);
  }
  if (subjects.length === 0) return `I could not draft anything: no contact with an email on ${skipped.join(', ')}`;
  // A redelivered instruction (or the same reply twice) finds the approval already asked: no second draft, no model call.
  const requestKey = `followups:${instruction.signalId}:${subjects
    .map((subject) => subject.dealId)
    .sort()
    .join(',')}`;
  const asked = await context.approvals.findByRequestKey(requestKey);
  if (asked !== null) return `already drafted — approval ${asked.id} is ${asked.status} in ${context.channel.target}`;
  const emails: FollowUpEmail[] = [];
  let offline = false;
  for (const subject of subjects) {
    const { offline: drafted, ...email } = await draftFollowUp(context.llm, subject);
    offline ||= drafted;
    emails.push(email);
  }

  const draft: FollowUpApprovalDraft = {
    emails,
    note: `Drafted ${offline ? 'from templates (offline drafter)' : 'by Claude'} for "${instruction.text}". On approval salesbot sends each email through the CRM and marks the deal re-engaged, once.`,
  };
  const { approval, created } = await context.approvals.request({
    action: sendFollowUps,
    title: `Send ${emails.length} follow-up email${emails.length === 1 ? '' : 's'} to stale wholesale deals`,
    draft,
    signalId: instruction.signalId,
    requestKey,
  });
  context.log.info({ approvalId: approval.id, created, deals: emails.map((email) => email.deal_id) }, 'follow-ups drafted for approval');
  const missing = skipped.length === 0 ? '' : ` (no contact email for ${skipped.join(', ')})`;
  return `drafted ${emails.length} follow-up email${emails.length === 1 ? '' : 's'}${missing} — approval ${approval.id} is waiting in ${context.channel.target}`;
}

// The deal's primary contact (or the first with an email), owner and activity: what a draft needs.
async function followUpSubject(connectors: Connectors, deal: Deal, daysSinceActivity: number | null): Promise<FollowUpSubject | null> {
  const contacts = await connectors.crm.listDealContacts(deal.id);
  const contact = contacts.find((item) => item.isPrimary && item.email !== '') ?? contacts.find((item) => item.email !== '');
  const email = contact?.email ?? deal.contactEmail;
  if (email === null || email === undefined || email === '') return null;
  return {
    dealId: deal.id,
    dealName: deal.name,
    accountName: deal.accountName,
    stage: deal.stage,
    amount: deal.amount,
    daysSinceActivity,
    contactId: contact?.id ?? null,
    contactName: contact === undefined ? (deal.contactName ?? email) : `${contact.firstName} ${contact.lastName}`.trim(),
    contactEmail: email,
    ownerName: deal.ownerName,
  };
}
