import { z } from 'zod';
import { labelOffline, type BotContext } from '@jbot/core';

/** One stale deal with the people around it: what a follow-up is drafted from. */
export interface FollowUpSubject {
  dealId: string;
  dealName: string;
  accountName: string | null;
  stage: string | null;
  amount: number | null;
  daysSinceActivity: number | null;
  contactId: string | null;
  contactName: string;
  contactEmail: string;
  ownerName: string | null;
}

/** A drafted follow-up email, as the approver sees it and the executor sends it. */
export interface FollowUpEmail {
  deal_id: string;
  deal: string;
  to: string;
  contact_id?: string;
  subject: string;
  body: string;
}

/** What the model must return for one email. */
export const followUpTextSchema = z.object({
  subject: z.string().min(3).max(140),
  body: z.string().min(20).max(3000),
});

const SYSTEM = [
  'You write short follow-up emails for a wholesale sales team at a consumer-goods company.',
  'Each email re-opens a conversation with a buyer whose deal has gone quiet: friendly, specific to the deal, one clear next step (a 15-minute call this week), under 120 words, signed by the deal owner.',
  'Return JSON only: {"subject": string, "body": string}.',
].join(' ');

/**
 * Draft one follow-up. The deal's CRM fields are data typed by people and imported from the CRM,
 * so they go to the model fenced as untrusted text; the model only writes words — sending is the
 * executor's job after a person approves.
 */
export async function draftFollowUp(
  llm: BotContext['llm'],
  subject: FollowUpSubject,
  tier: 'fast' | 'smart' = 'smart',
): Promise<FollowUpEmail & { offline: boolean }> {
  const result = await llm.structured({
    tier,
    system: SYSTEM,
    prompt: `Draft the follow-up email for the deal described in the CRM record below, to ${subject.contactName}.`,
    data: [{ label: 'CRM deal record', text: crmRecord(subject) }],
    schema: followUpTextSchema,
    maxTokens: 600,
    offline: () => templateFollowUp(subject),
  });
  return {
    deal_id: subject.dealId,
    deal: subject.dealName,
    to: subject.contactEmail,
    ...(subject.contactId === null ? {} : { contact_id: subject.contactId }),
    subject: result.value.subject,
    body: labelOffline(result.value.body, result.offline),
    offline: result.offline,
  };
}

/** The deterministic draft used when no model is configured (clearly labelled by the caller). */
export function templateFollowUp(subject: FollowUpSubject): z.infer<typeof followUpTextSchema> {
  const firstName = subject.contactName.split(' ')[0] ?? subject.contactName;
  const program = subject.dealName.split(' — ')[1] ?? subject.dealName;
  const owner = subject.ownerName ?? 'The sales team';
  return {
    subject: `Picking up ${program}`,
    body: [
      `Hi ${firstName},`,
      '',
      `It has been a few weeks since we last spoke about ${program}. I'd love to pick it back up and make sure the timing still works on your side.`,
      'Would you have 15 minutes this week for a quick call? I can bring updated availability and pricing.',
      '',
      'Best,',
      owner,
    ].join('\n'),
  };
}

function crmRecord(subject: FollowUpSubject): string {
  return [
    `deal: ${subject.dealName}`,
    `account: ${subject.accountName ?? 'unknown'}`,
    `stage: ${subject.stage ?? 'unknown'}`,
    `amount: ${subject.amount === null ? 'unknown' : `$${subject.amount}`}`,
    `days since last activity: ${subject.daysSinceActivity ?? 'unknown'}`,
    `contact: ${subject.contactName} <${subject.contactEmail}>`,
    `owner: ${subject.ownerName ?? 'unknown'}`,
  ].join('\n');
}
