import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { Deal } from '@jbot/connectors';
import { localDay } from './deal-hygiene.js';
import { businessDaysOverdue } from './overdue-tasks.js';
import { draftFollowUp, type FollowUpEmail } from '../followups/follow-up-draft.js';
import { markDealsReplied, type MarkRepliedDraft } from '../followups/mark-deals-replied.js';
import { sendFollowUps, type FollowUpApprovalDraft } from '../followups/send-follow-ups.js';

const DAY_MS = 86_400_000;

/** The job's settings: business days without a reply before a second touch (catalogue 5) and how far back a follow-up counts. */
export const followupRepliesSettings = envSettings({
  SALES_SECOND_TOUCH_BUSINESS_DAYS: envInteger(5, 1, 60),
  SALES_FOLLOWUP_LOOKBACK_DAYS: envInteger(45, 1, 365),
  FLEET_TZ: timeZone('UTC'),
});

/** One re-engaged deal and where its follow-up stands. */
export interface FollowUpState {
  deal_id: string;
  deal: string;
  owner: string | null;
  sent_at: string;
  business_days_since: number;
  state: 'replied' | 'second_touch' | 'waiting';
  replied_at: string | null;
  reply_from: string | null;
}

/**
 * Deals salesbot re-engaged (jbot_status = re-engaged): the last email we sent on each is the
 * follow-up; an inbound email on the deal after it → replied; none after
 * SALES_SECOND_TOUCH_BUSINESS_DAYS business days → a second touch; otherwise waiting.
 */
export async function findFollowUpStates(
  context: Pick<BotContext, 'connectors'>,
  now: Date,
  settings: ReturnType<typeof followupRepliesSettings.load>,
): Promise<FollowUpState[]> {
  const { crm } = context.connectors;
  const reengaged = (await crm.listDeals()).filter((deal) => !deal.isClosed && deal.properties['jbot_status'] === 're-engaged');
  if (reengaged.length === 0) return [];
  const emails = (await crm.listEngagements({ since: new Date(now.getTime() - settings.SALES_FOLLOWUP_LOOKBACK_DAYS * DAY_MS), until: now })).filter(
    (engagement) => engagement.type === 'email',
  );
  const today = localDay(now, settings.FLEET_TZ);
  return reengaged
    .flatMap((deal: Deal): FollowUpState[] => {
      const sent = emails.filter((email) => email.dealId === deal.id && email.direction === 'outgoing').at(-1);
      if (sent === undefined) return [];
      const reply = emails.find((email) => email.dealId === deal.id && email.direction === 'incoming' && email.occurredAt > sent.occurredAt);
      const since = businessDaysOverdue(localDay(new Date(sent.occurredAt), settings.FLEET_TZ), today);
      return [
        {
          deal_id: deal.id,
          deal: deal.name,
          owner: deal.ownerName,
          sent_at: sent.occurredAt,
          business_days_since: since,
          state: reply !== undefined ? 'replied' : since >= settings.SALES_SECOND_TOUCH_BUSINESS_DAYS ? 'second_touch' : 'waiting',
          replied_at: reply?.occurredAt ?? null,
          reply_from: reply?.contactEmail ?? null,
        },
      ];
    })
    .sort((left, right) => left.state.localeCompare(right.state) || left.deal.localeCompare(right.deal));
}

/** The #sales-bot post: who replied, who gets a second touch, who is still inside the window. */
export function followupRepliesMessage(states: readonly FollowUpState[]): string {
  const line = (state: FollowUpState) =>
    state.state === 'replied'
      ? `• ✅ ${state.deal} — ${state.reply_from ?? 'the buyer'} replied ${state.replied_at?.slice(0, 10) ?? ''}`
      : state.state === 'second_touch'
        ? `• ↩️ ${state.deal} — no reply ${state.business_days_since} business days after the follow-up: second touch drafted`
        : `• ⏳ ${state.deal} — followed up ${state.business_days_since} business day${state.business_days_since === 1 ? '' : 's'} ago`;
  return states.map(line).join('\n');
}

/** Run followup-replies once: mark_deals_replied for the answered, send_followups (second touch, fast tier) for the silent. */
export async function runFollowupReplies(
  context: BotContext & JobRunInfo,
  settings = followupRepliesSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; states: FollowUpState[]; approvals: string[]; drafts: number }> {
  const states = await findFollowUpStates(context, now, settings);
  const approvals: string[] = [];
  let drafts = 0;
  const replied = states.filter((state) => state.state === 'replied');
  if (replied.length > 0) {
    const draft: MarkRepliedDraft = {
      deals: replied.map((state) => ({ deal_id: state.deal_id, deal: state.deal, replied_at: state.replied_at ?? now.toISOString(), from: state.reply_from })),
    };
    const { approval } = await context.approvals.request({
      action: markDealsReplied,
      title: `Mark ${replied.length} deal${replied.length === 1 ? '' : 's'} replied in the CRM`,
      draft,
      requestKey: `followup-replied:${replied.map((state) => `${state.deal_id}@${state.replied_at ?? ''}`).join(',')}`,
    });
    approvals.push(approval.id);
  }
  for (const state of states.filter((item) => item.state === 'second_touch')) {
    // One second touch per deal, ever: after it the deal waits for the rep, not for another draft.
    const requestKey = `second-touch:${state.deal_id}`;
    const asked = await context.approvals.findByRequestKey(requestKey);
    if (asked !== null) {
      approvals.push(asked.id);
      continue;
    }
    const deal = (await context.connectors.crm.listDeals()).find((item) => item.id === state.deal_id);
    const contacts = await context.connectors.crm.listDealContacts(state.deal_id);
    const contact = contacts.find((item) => item.isPrimary && item.email !== '') ?? contacts.find((item) => item.email !== '');
    if (deal === undefined || contact === undefined) continue;
    const { offline: _offline, ...email } = await draftFollowUp(
      context.llm,
      {
        dealId: deal.id,
        dealName: deal.name,
        accountName: deal.accountName,
        stage: deal.stage,
        amount: deal.amount,
        daysSinceActivity: state.business_days_since,
        contactId: contact.id,
        contactName: `${contact.firstName} ${contact.lastName}`.trim(),
        contactEmail: contact.email,
        ownerName: deal.ownerName,
      },
      'fast',
    );
    drafts += 1;
    const second: FollowUpEmail = { ...email, subject: email.subject.startsWith('Re:') ? email.subject : `Re: ${email.subject}` };
    const draft: FollowUpApprovalDraft = { emails: [second], note: `Second touch: no reply ${state.business_days_since} business days after the follow-up.` };
    const { approval } = await context.approvals.request({ action: sendFollowUps, title: `Send a second-touch follow-up: ${deal.name}`, draft, requestKey });
    approvals.push(approval.id);
  }
  const outcome = await reportFindings(context, {
    findings: states.filter((state) => state.state !== 'waiting').map((state) => [state.deal_id, state.state, state.replied_at]),
    noun: 'follow-up update',
    message: () => ({
      title: `Follow-ups: ${replied.length} replied, ${states.filter((state) => state.state === 'second_touch').length} need a second touch`,
      text: followupRepliesMessage(states),
      kind: 'note',
    }),
    nothingLine: 'No reply to a follow-up since the last check, and none is past the second-touch line.',
  });
  return { outcome, states, approvals, drafts };
}

/** salesbot's followup-replies: weekdays 12:00 and 16:00 (fleet time zone). */
export const followupReplies = defineJob({
  id: 'followup-replies',
  schedule: '0 12,16 * * 1-5',
  description: 'Replies to approved follow-ups → mark_deals_replied; no reply after 5 business days → second-touch draft (send_followups)',
  timeoutMs: 180_000,
  // Twice a day: a missed noon run is covered by the 16:00 one.
  missed: 'skip',
  settings: followupRepliesSettings,
  async run(context) {
    const { outcome, approvals, drafts } = await runFollowupReplies(context, context.config);
    return jobOutcome(`${outcome.outcome}${drafts === 0 ? '' : `; ${drafts} second touch${drafts === 1 ? '' : 'es'} drafted`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvals, drafts },
    });
  },
});
