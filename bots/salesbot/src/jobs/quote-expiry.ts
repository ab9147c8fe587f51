import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { localDay } from './deal-hygiene.js';
import { businessDaysOverdue } from './overdue-tasks.js';
import { draftQuoteFollowUp } from '../quotes/quote-follow-up-draft.js';
import { sendQuoteFollowUps, type QuoteFollowUpDraft } from '../quotes/send-quote-followups.js';

/** The job's settings: days before expiry that count as "about to expire" (3) and business days of silence (5). */
export const quoteExpirySettings = envSettings({
  SALES_QUOTE_EXPIRY_DAYS: envInteger(3, 0, 60),
  SALES_QUOTE_SILENT_BUSINESS_DAYS: envInteger(5, 1, 60),
  FLEET_TZ: timeZone('UTC'),
});

// Quotes a buyer has in hand: published, not drafts, rejected or waiting for internal approval.
const SENT_STATUSES = new Set(['APPROVAL_NOT_NEEDED', 'APPROVED']);

/** A quote that needs a follow-up. */
export interface QuoteFinding {
  quote_id: string;
  quote: string;
  deal_id: string;
  deal: string;
  owner: string | null;
  amount: number | null;
  reason: 'expiring' | 'silent';
  sent_day: string;
  business_days_since_sent: number;
  expires_on: string;
  days_to_expiry: number;
}

/**
 * Quotes on open deals that expire within SALES_QUOTE_EXPIRY_DAYS (and have not yet), or were
 * sent SALES_QUOTE_SILENT_BUSINESS_DAYS or more business days ago with no inbound email on the
 * deal since. Expiring first, soonest first.
 */
export async function findQuoteFollowUps(
  context: Pick<BotContext, 'connectors'>,
  now: Date,
  settings: ReturnType<typeof quoteExpirySettings.load>,
): Promise<QuoteFinding[]> {
  const { crm } = context.connectors;
  const zone = settings.FLEET_TZ;
  const today = localDay(now, zone);
  const deals = new Map((await crm.listDeals()).map((deal) => [deal.id, deal]));
  const quotes = (await crm.listQuotes()).filter((quote) => {
    const deal = quote.dealId === null ? undefined : deals.get(quote.dealId);
    return SENT_STATUSES.has(quote.status) && deal !== undefined && !deal.isClosed && quote.sentAt !== '';
  });
  if (quotes.length === 0) return [];
  const earliest = new Date(Math.min(...quotes.map((quote) => Date.parse(quote.sentAt))));
  const replies = (await crm.listEngagements({ since: earliest, until: now })).filter(
    (engagement) => engagement.type === 'email' && engagement.direction === 'incoming',
  );
  const findings = quotes.flatMap((quote): QuoteFinding[] => {
    const deal = deals.get(quote.dealId ?? '');
    if (deal === undefined) return [];
    const daysToExpiry = Math.round((Date.parse(`${quote.expiresOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
    const sentDay = localDay(new Date(quote.sentAt), zone);
    const since = businessDaysOverdue(sentDay, today);
    const answered = replies.some((reply) => reply.dealId === deal.id && Date.parse(reply.occurredAt) > Date.parse(quote.sentAt));
    const reason =
      daysToExpiry >= 0 && daysToExpiry <= settings.SALES_QUOTE_EXPIRY_DAYS
        ? 'expiring'
        : daysToExpiry > 0 && since >= settings.SALES_QUOTE_SILENT_BUSINESS_DAYS && !answered
          ? 'silent'
          : null;
    if (reason === null) return [];
    return [
      {
        quote_id: quote.id,
        quote: quote.title,
        deal_id: deal.id,
        deal: deal.name,
        owner: deal.ownerName,
        amount: quote.amount,
        reason,
        sent_day: sentDay,
        business_days_since_sent: since,
        expires_on: quote.expiresOn,
        days_to_expiry: daysToExpiry,
      },
    ];
  });
  return findings.sort(
    (left, right) =>
      Number(right.reason === 'expiring') - Number(left.reason === 'expiring') ||
      left.days_to_expiry - right.days_to_expiry ||
      left.quote_id.localeCompare(right.quote_id),
  );
}

/** The #sales-bot post: one line per quote. */
export function quoteExpiryMessage(findings: readonly QuoteFinding[]): string {
  return [
    ...findings.map((finding) =>
      finding.reason === 'expiring'
        ? `• ⏳ **${finding.quote}** expires ${finding.expires_on} (in ${finding.days_to_expiry} day${finding.days_to_expiry === 1 ? '' : 's'})${finding.owner === null ? '' : ` — ${finding.owner}`}`
        : `• 🔇 **${finding.quote}** sent ${finding.sent_day}, ${finding.business_days_since_sent} business days without a reply${finding.owner === null ? '' : ` — ${finding.owner}`}`,
    ),
    '',
    'Approve each send_quote_followups to send the drafted follow-up to the buyer.',
  ].join('\n');
}

/** Run quote-expiry once: the post on change and one drafted follow-up per quote (drafted once: a quote already asked makes no model call). */
export async function runQuoteExpiry(
  context: BotContext & JobRunInfo,
  settings = quoteExpirySettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; findings: QuoteFinding[]; approvals: string[]; drafts: number }> {
  const findings = await findQuoteFollowUps(context, now, settings);
  const approvals: string[] = [];
  let drafts = 0;
  for (const finding of findings) {
    const requestKey = `quote-followup:${finding.quote_id}:${finding.reason}`;
    const asked = await context.approvals.findByRequestKey(requestKey);
    if (asked !== null) {
      approvals.push(asked.id);
      continue;
    }
    const contacts = await context.connectors.crm.listDealContacts(finding.deal_id);
    const contact = contacts.find((item) => item.isPrimary && item.email !== '') ?? contacts.find((item) => item.email !== '');
    if (contact === undefined) {
      context.log.warn({ quoteId: finding.quote_id }, 'no buyer email on the deal: quote follow-up not drafted');
      continue;
    }
    const name = `${contact.firstName} ${contact.lastName}`.trim();
    const text = await draftQuoteFollowUp(context.llm, finding, name);
    drafts += 1;
    const draft: QuoteFollowUpDraft = {
      quote_id: finding.quote_id,
      quote: finding.quote,
      deal_id: finding.deal_id,
      reason: finding.reason,
      to: contact.email,
      contact_id: contact.id,
      ...text,
    };
    const { approval } = await context.approvals.request({
      action: sendQuoteFollowUps,
      title: `${finding.reason === 'expiring' ? 'Chase the expiring quote' : 'Follow up the unanswered quote'}: ${finding.quote}`,
      draft,
      requestKey,
    });
    approvals.push(approval.id);
  }
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => [finding.quote_id, finding.reason]),
    noun: 'stalled quote',
    message: () => ({ title: `Quotes: ${findings.length} to follow up`, text: quoteExpiryMessage(findings), kind: 'note' }),
    nothingLine: 'No open quote is about to expire or waiting on a reply.',
  });
  return { outcome, findings, approvals, drafts };
}

/** salesbot's quote-expiry: weekdays 11:00 (fleet time zone). */
export const quoteExpiry = defineJob({
  id: 'quote-expiry',
  schedule: '0 11 * * 1-5',
  description: 'Quotes expiring within 3 days, or sent 5 business days ago with no reply → drafted follow-ups (send_quote_followups)',
  timeoutMs: 180_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: quoteExpirySettings,
  async run(context) {
    const { outcome, approvals, drafts } = await runQuoteExpiry(context, context.config);
    return jobOutcome(`${outcome.outcome}${drafts === 0 ? '' : `; ${drafts} send_quote_followups asked`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvals, drafts },
    });
  },
});
