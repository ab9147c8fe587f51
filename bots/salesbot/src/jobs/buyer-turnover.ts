import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { BouncedContact, Connectors, CrmCompany, Deal, InboundEmail } from '@jbot/connectors';
import { createHygieneTasks, type HygieneTasksDraft } from '../hygiene/create-hygiene-tasks.js';
import { accountDeal } from '../collections/account-deal.js';

const DAY_MS = 86_400_000;

/** The catalogue's departure phrases in an auto-reply. */
export const DEPARTED_PATTERN = /no longer with|left the company/i;

/** The job's settings: how recent an order makes an account matter (180 d) and how far back auto-replies count (7 d). */
export const buyerTurnoverSettings = envSettings({
  SALES_TURNOVER_ORDER_DAYS: envInteger(180, 1, 730),
  SALES_TURNOVER_AUTO_REPLY_DAYS: envInteger(7, 1, 90),
  FLEET_TZ: timeZone('UTC'),
});

/** One buyer who seems to have left their retailer, on an account that matters. */
export interface DepartedBuyer {
  contact_id: string | null;
  contact: string;
  email: string;
  account_id: string | null;
  account: string;
  /** hard_bounce: the address bounced; auto_reply: "no longer with …" in the last days. */
  evidence: 'hard_bounce' | 'auto_reply';
  /** The bounce reason, or the auto-reply's text (untrusted: fenced wherever it is shown). */
  detail: string;
  /** Why the account matters: the open deal the buyer is primary on, or the latest order. */
  why: string;
  /** The deal the "find the new buyer" task goes on. */
  deal_id: string;
  deal: string;
  owner_id: string | null;
  owner: string;
}

const nameOf = (contact: { firstName: string; lastName: string }, fallback: string) => `${contact.firstName} ${contact.lastName}`.trim() || fallback;

/**
 * Departed buyers, deterministically: a hard-bounced contact who is the primary contact on an open
 * deal or works at an account with a wholesale order in the last SALES_TURNOVER_ORDER_DAYS; or an
 * inbound email in the last SALES_TURNOVER_AUTO_REPLY_DAYS matching "no longer with" / "left the
 * company" from a buyer on one of our deals. One line per address, bounce first.
 */
export async function findDepartedBuyers(
  connectors: Pick<Connectors, 'crm' | 'commerce'>,
  now: Date,
  settings: ReturnType<typeof buyerTurnoverSettings.load>,
): Promise<DepartedBuyer[]> {
  const { crm, commerce } = connectors;
  const [deals, companies, bounced, inbound, orders] = await Promise.all([
    crm.listDeals(),
    crm.listCompanies(),
    crm.listBouncedContacts(),
    crm.listInboundEmails({ since: new Date(now.getTime() - settings.SALES_TURNOVER_AUTO_REPLY_DAYS * DAY_MS) }),
    commerce.listOrders({ since: new Date(now.getTime() - settings.SALES_TURNOVER_ORDER_DAYS * DAY_MS) }),
  ]);
  const companyById = new Map(companies.map((company) => [company.id, company]));
  // Primary contact → open deal. The sample CRM names the primary contact on the deal; HubSpot
  // needs the deal's contact associations (one read per open deal, daily: a bounded cost).
  const openByContact = new Map<string, Deal>();
  const candidates = bounced.length > 0 || inbound.some((email) => DEPARTED_PATTERN.test(`${email.subject}\n${email.body}`));
  for (const deal of deals) {
    if (!candidates || deal.isClosed) continue;
    const primary = deal.contactEmail ?? (await crm.listDealContacts(deal.id)).find((contact) => contact.isPrimary && contact.email !== '')?.email ?? null;
    if (primary !== null) openByContact.set(primary.toLowerCase(), deal);
  }
  const lastOrder = new Map<string, string>();
  for (const order of orders) {
    if (order.channel !== 'wholesale' || order.accountId === null) continue;
    if ((lastOrder.get(order.accountId) ?? '') < order.createdAt) lastOrder.set(order.accountId, order.createdAt);
  }
  const owner = (deal: Deal, company: CrmCompany | undefined) => ({
    owner_id: deal.ownerId ?? company?.ownerId ?? null,
    owner: deal.ownerName ?? company?.ownerName ?? 'Unassigned',
  });

  function bouncedFinding(contact: BouncedContact): [DepartedBuyer] | [] {
    const company = contact.companyId === null ? undefined : companyById.get(contact.companyId);
    const primaryOn = openByContact.get(contact.email);
    const ordered = contact.companyId === null ? undefined : lastOrder.get(contact.companyId);
    const deal = primaryOn ?? (ordered !== undefined && company !== undefined ? accountDeal(deals, company.name) : null);
    if (deal === null || deal === undefined) return [];
    return [
      {
        contact_id: contact.id,
        contact: nameOf(contact, contact.email),
        email: contact.email,
        account_id: contact.companyId,
        account: company?.name ?? deal.accountName ?? 'unknown account',
        evidence: 'hard_bounce',
        detail: contact.bounceReason,
        why: primaryOn !== undefined ? `primary contact on open deal ${primaryOn.name}` : `account ordered ${ordered?.slice(0, 10) ?? ''}`,
        deal_id: deal.id,
        deal: deal.name,
        ...owner(deal, company),
      },
    ];
  }
  const list = bounced.flatMap(bouncedFinding);
  // A bounce wins over an auto-reply from the same address: it is the harder evidence.
  const seen = new Set(list.map((item) => item.email));
  for (const email of inbound) {
    if (seen.has(email.fromEmail) || !DEPARTED_PATTERN.test(`${email.subject}\n${email.body}`)) continue;
    const finding = autoReplyFinding(email);
    if (finding === null) continue;
    seen.add(email.fromEmail);
    list.push(finding);
  }
  function autoReplyFinding(email: InboundEmail): DepartedBuyer | null {
    const deal = openByContact.get(email.fromEmail) ?? deals.find((item) => item.id === email.dealId) ?? null;
    if (deal === null) return null;
    const domain = email.fromEmail.split('@')[1] ?? '';
    const company =
      companies.find((item) => item.name === deal.accountName) ?? companies.find((item) => item.domain?.toLowerCase().replace(/^www\./, '') === domain);
    return {
      contact_id: null,
      contact: deal.contactEmail?.toLowerCase() === email.fromEmail ? (deal.contactName ?? email.fromEmail) : email.fromEmail,
      email: email.fromEmail,
      account_id: company?.id ?? null,
      account: deal.accountName ?? company?.name ?? 'unknown account',
      evidence: 'auto_reply',
      detail: email.body.slice(0, 500),
      why: openByContact.has(email.fromEmail) ? `primary contact on open deal ${deal.name}` : `replied on ${deal.name}`,
      deal_id: deal.id,
      deal: deal.name,
      ...owner(deal, company),
    };
  }
  return list.sort(
    (left, right) => left.evidence.localeCompare(right.evidence) || left.account.localeCompare(right.account) || left.email.localeCompare(right.email),
  );
}

/** The #sales-bot post: one line per departed buyer (auto-reply text is not echoed: it is the buyer's, untrusted). */
export function turnoverMessage(buyers: readonly DepartedBuyer[]): string {
  return [
    ...buyers.map(
      (buyer) =>
        `• **${buyer.account}** — ${buyer.contact} <${buyer.email}> ${buyer.evidence === 'hard_bounce' ? `hard-bounced (${buyer.detail})` : 'auto-reply says they have left'}; ${buyer.why} (${buyer.owner})`,
    ),
    '',
    'Approve create_hygiene_tasks to give each owner a task to find the new buyer.',
  ].join('\n');
}

function taskText(buyer: DepartedBuyer): { subject: string; body: string } {
  const evidence =
    buyer.evidence === 'hard_bounce'
      ? `Their address hard-bounced (${buyer.detail}).`
      : // The buyer's own words, fenced: data to read, often naming who to ask next.
        `Their auto-reply says they have left. The reply, as received:\n\`\`\`\n${buyer.detail.replace(/```/g, "'''")}\n\`\`\``;
  return {
    subject: `Find the new buyer at ${buyer.account} (${buyer.contact} has left)`,
    body: `${buyer.contact} <${buyer.email}> seems to have left ${buyer.account}; ${buyer.why}. ${evidence}\nFind the new buyer, add them as the deal's contact, and retire the old contact.`,
  };
}

/** What a run returns. */
export interface BuyerTurnoverResult {
  buyers: DepartedBuyer[];
  /** One `create_hygiene_tasks` approval per departed buyer. */
  approvals: string[];
  created: number;
}

/**
 * Run buyer-turnover once: post the departed buyers when the set changed and ask, per buyer, for
 * one `create_hygiene_tasks` approval keyed by the address, so a buyer already asked about is not
 * asked about again on the next days.
 */
export async function runBuyerTurnover(
  context: BotContext & JobRunInfo,
  settings = buyerTurnoverSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: BuyerTurnoverResult }> {
  const buyers = await findDepartedBuyers(context.connectors, now, settings);
  const outcome = await reportFindings(context, {
    findings: buyers.map((buyer) => [buyer.email, buyer.evidence, buyer.deal_id]),
    noun: 'departed buyer',
    message: () => ({
      title: `Buyer turnover: ${buyers.length} buyer${buyers.length === 1 ? '' : 's'} seem to have left`,
      text: turnoverMessage(buyers),
      kind: 'note',
    }),
    nothingLine: 'No buyer on an open deal or ordering account has bounced or auto-replied that they left.',
  });
  const approvals: string[] = [];
  let created = 0;
  for (const buyer of buyers) {
    const draft: HygieneTasksDraft = {
      due_at: new Date(now.getTime() + DAY_MS).toISOString(),
      tasks: [
        {
          deal_id: buyer.deal_id,
          deal: buyer.deal,
          kind: 'buyer_left',
          ref: buyer.contact_id ?? buyer.email,
          owner_id: buyer.owner_id,
          owner: buyer.owner,
          ...taskText(buyer),
        },
      ],
    };
    const { approval, created: isNew } = await context.approvals.request({
      action: createHygieneTasks,
      title: `Task ${buyer.owner}: find the new buyer at ${buyer.account}`,
      draft,
      requestKey: `buyer-turnover:${buyer.email}`,
    });
    approvals.push(approval.id);
    if (isNew) created += 1;
  }
  context.log.info({ buyers: buyers.length, approvals: approvals.length, created }, `buyer turnover: ${buyers.length} departed buyers`);
  return { outcome, result: { buyers, approvals, created } };
}

/** salesbot's buyer-turnover: weekdays 15:00 (fleet time zone). */
export const buyerTurnover = defineJob({
  id: 'buyer-turnover',
  schedule: '0 15 * * 1-5',
  description: 'Buyers who left their retailer (hard bounce, "no longer with" auto-reply) on open-deal or ordering accounts → create_hygiene_tasks',
  timeoutMs: 120_000,
  // A daily check: a missed afternoon catches up once.
  missed: 'once',
  settings: buyerTurnoverSettings,
  async run(context) {
    const { outcome, result } = await runBuyerTurnover(context, context.config);
    const asked = result.created === 0 ? '' : `; create_hygiene_tasks asked ×${result.created}`;
    return jobOutcome(`${outcome.outcome}${asked}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvals: result.approvals },
    });
  },
});
