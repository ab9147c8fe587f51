import {
  defineJob,
  envInteger,
  envSettings,
  fingerprintOf,
  jobOutcome,
  labelOffline,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
} from '@jbot/core';
import type { Connectors } from '@jbot/connectors';
import { accountDeal } from '../collections/account-deal.js';
import { draftAccountCommentary, type AccountFacts } from '../accounts/account-commentary.js';
import { sendAccountCheckins, type AccountCheckinsDraft } from '../accounts/send-account-checkins.js';
import { localDay } from './deal-hygiene.js';

const DAY_MS = 86_400_000;

/** The job's settings: the catalogue's thresholds (T90 −30%, fill rate < 95%, DSO > terms + 15 days, top 10 commented). */
export const monthlyAccountReviewSettings = envSettings({
  SALES_REVIEW_CHURN_DROP_PCT: envInteger(30, 1, 100),
  SALES_REVIEW_MIN_FILL_RATE_PCT: envInteger(95, 1, 100),
  SALES_REVIEW_DSO_GRACE_DAYS: envInteger(15, 0, 120),
  SALES_REVIEW_COMMENTED_ACCOUNTS: envInteger(10, 0, 50),
  FLEET_TZ: timeZone('UTC'),
});

/** One account's review row: the figures and the rules it broke. */
export interface AccountReview extends AccountFacts {
  accountId: string;
  owner: string;
  /** The buyer a check-in goes to (the account's deal contact); null when the CRM has none. */
  email: string | null;
  churnRisk: boolean;
}

const dayOffset = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * The review, deterministically: per wholesale account with orders in the last 15 months,
 * trailing-90-day volume vs the prior 90 days and the same 90 days a year ago, orders, fill rate
 * (units shipped ÷ ordered, last 90 days), DSO (open AR ÷ T90 revenue × 90) against the invoice
 * terms, and the last CRM touch. Flagged accounts first, biggest drop first.
 */
export async function reviewAccounts(
  connectors: Pick<Connectors, 'wholesaleHistory' | 'accounting' | 'crm'>,
  today: string,
  settings: { churnDropPct: number; minFillRatePct: number; dsoGraceDays: number },
): Promise<AccountReview[]> {
  const [orders, invoices, deals, companies] = await Promise.all([
    connectors.wholesaleHistory.listOrdersSince(dayOffset(today, 455)),
    connectors.accounting.listOpenInvoices(),
    connectors.crm.listDeals(),
    connectors.crm.listCompanies(),
  ]);
  const t90Start = dayOffset(today, 89);
  const priorStart = dayOffset(today, 179);
  const yoyStart = dayOffset(today, 365 + 89);
  const yoyEnd = dayOffset(today, 365);
  const byAccount = new Map<string, typeof orders>();
  for (const order of orders) byAccount.set(order.accountId, [...(byAccount.get(order.accountId) ?? []), order]);
  const companyById = new Map(companies.map((company) => [company.id, company]));
  const reviews: AccountReview[] = [];
  for (const [accountId, history] of byAccount) {
    const sum = (from: string, to: string) =>
      history.filter((order) => order.orderedOn >= from && order.orderedOn <= to).reduce((total, order) => total + order.amount, 0);
    const recent = history.filter((order) => order.orderedOn >= t90Start);
    const t90 = sum(t90Start, today);
    const prior = sum(priorStart, dayOffset(today, 90));
    const yoy = sum(yoyStart, yoyEnd);
    const changePct = prior > 0 ? round1(((t90 - prior) / prior) * 100) : null;
    const yoyPct = yoy > 0 ? round1(((t90 - yoy) / yoy) * 100) : null;
    const ordered = recent.reduce((total, order) => total + order.unitsOrdered, 0);
    const fillRatePct = ordered > 0 ? round1((recent.reduce((total, order) => total + order.unitsShipped, 0) / ordered) * 100) : null;
    const open = invoices.filter((invoice) => invoice.accountId === accountId);
    const openBalance = open.reduce((total, invoice) => total + invoice.amountDue, 0);
    const first = open[0];
    // Terms from the account's invoices (due − issued); net-30 when none is open.
    const termsDays = first === undefined ? 30 : Math.round((Date.parse(first.dueOn) - Date.parse(first.issuedOn)) / DAY_MS);
    const dsoDays = t90 > 0 ? round1((openBalance / t90) * 90) : openBalance > 0 ? null : 0;
    const name = companyById.get(accountId)?.name ?? history[0]?.accountName ?? accountId;
    const deal = accountDeal(deals, name);
    const touched = deals
      .filter((candidate) => candidate.accountName === name && candidate.lastActivityAt !== null)
      .map((candidate) => Date.parse(candidate.lastActivityAt ?? ''));
    const daysSinceTouch = touched.length === 0 ? null : Math.max(0, Math.floor((Date.parse(`${today}T23:59:59Z`) - Math.max(...touched)) / DAY_MS));
    const reasons: string[] = [];
    const churnRisk = changePct !== null && changePct <= -settings.churnDropPct;
    if (churnRisk) reasons.push(`T90 volume ${changePct}% vs the prior 90 days (${money(t90)} vs ${money(prior)})`);
    if (fillRatePct !== null && fillRatePct < settings.minFillRatePct) reasons.push(`fill rate ${fillRatePct}% (< ${settings.minFillRatePct}%)`);
    if (dsoDays !== null && dsoDays > termsDays + settings.dsoGraceDays) reasons.push(`DSO ${Math.round(dsoDays)} days on net-${termsDays} terms`);
    reviews.push({
      accountId,
      account: name,
      owner: companyById.get(accountId)?.ownerName ?? deal?.ownerName ?? 'Unassigned',
      email: deal?.contactEmail ?? first?.customerEmail ?? null,
      t90Revenue: t90,
      priorT90Revenue: prior,
      changePct,
      yoyPct,
      ordersT90: recent.length,
      fillRatePct,
      dsoDays,
      termsDays,
      daysSinceTouch,
      reasons,
      churnRisk,
    });
  }
  return reviews.sort(
    (left, right) =>
      Number(right.reasons.length > 0) - Number(left.reasons.length > 0) ||
      (left.changePct ?? 0) - (right.changePct ?? 0) ||
      right.t90Revenue - left.t90Revenue ||
      left.account.localeCompare(right.account),
  );
}

/** The top growth opportunities: unflagged accounts growing fastest against the prior 90 days. */
export function growthOpportunities(reviews: readonly AccountReview[], count = 3): AccountReview[] {
  return reviews
    .filter((review) => review.reasons.length === 0 && review.changePct !== null && review.changePct > 0)
    .sort((left, right) => (right.changePct ?? 0) - (left.changePct ?? 0))
    .slice(0, count);
}

/** The #sales-bot review post: risks, growth, then the commentary for the top accounts. */
export function reviewMessage(reviews: readonly AccountReview[], comments: ReadonlyMap<string, string>): string {
  const risks = reviews.filter((review) => review.reasons.length > 0);
  const growth = growthOpportunities(reviews);
  const total = reviews.reduce((sum, review) => sum + review.t90Revenue, 0);
  const prior = reviews.reduce((sum, review) => sum + review.priorT90Revenue, 0);
  return [
    `${reviews.length} wholesale accounts · T90 ${money(total)} vs prior ${money(prior)}${prior > 0 ? ` (${(((total - prior) / prior) * 100).toFixed(1)}%)` : ''}`,
    '',
    `**Top risks (${risks.length})**`,
    ...risks.map(
      (review) =>
        `• **${review.account}** (${review.owner}): ${review.reasons.join('; ')}${comments.has(review.account) ? `\n  ${comments.get(review.account) ?? ''}` : ''}`,
    ),
    '',
    `**Growth opportunities (${growth.length})**`,
    ...growth.map(
      (review) =>
        `• **${review.account}** (${review.owner}): T90 ${money(review.t90Revenue)} (+${review.changePct ?? 0}%)${comments.has(review.account) ? `\n  ${comments.get(review.account) ?? ''}` : ''}`,
    ),
    '',
    ...(risks.some((review) => review.churnRisk) ? ['Approve send_account_checkins to email each churn-risk buyer a check-in from their rep.'] : []),
  ].join('\n');
}

function checkinBody(review: AccountReview): string {
  return [
    `Hello ${review.account} team,`,
    '',
    `Your orders with us over the last three months came in below your usual pace, and we want to make sure we are still serving you well.`,
    'Is anything getting in the way — assortment, pricing, fill rates or delivery windows? If it helps, we can set up a 15-minute call this week to walk through your next order and what is selling in your stores.',
    '',
    'Thank you,',
    `${review.owner === 'Unassigned' ? 'Your Harbor & Pine account team' : `${review.owner}, Harbor & Pine Goods Co.`}`,
  ].join('\n');
}

/**
 * Ask `send_account_checkins` for these accounts' buyers under `requestKey` (a rerun finds the
 * same approval); null when none of them has a buyer email in the CRM.
 */
export async function requestAccountCheckins(
  context: BotContext,
  reviews: readonly AccountReview[],
  requestKey: string,
  signalId?: string,
): Promise<{ approvalId: string; created: boolean } | null> {
  const checkins: AccountCheckinsDraft['checkins'] = reviews.flatMap((review) =>
    review.email === null || review.reasons.length === 0
      ? []
      : [
          {
            account_id: review.accountId,
            account: review.account,
            to: review.email,
            subject: `Checking in on your ${review.account} orders`,
            body: checkinBody(review),
            reasons: review.reasons,
          },
        ],
  );
  if (checkins.length === 0) return null;
  const { approval, created } = await context.approvals.request({
    action: sendAccountCheckins,
    title: `Send ${checkins.length} account check-in${checkins.length === 1 ? '' : 's'} (${checkins.map((checkin) => checkin.account).join(', ')})`,
    draft: { checkins, note: 'Churn-risk buyers from the monthly account review; each email is sent once and logged on the account deal.' },
    requestKey,
    ...(signalId === undefined ? {} : { signalId }),
  });
  return { approvalId: approval.id, created };
}

/** What a run returns. */
export interface MonthlyAccountReviewResult {
  reviews: AccountReview[];
  checkinsApprovalId: string | null;
  signalIds: string[];
  commented: number;
}

/**
 * Run monthly-account-review once: the review on change (commentary for the top accounts from the
 * smart model), one `account_churn_risk` warning per churn-risk account and one
 * `send_account_checkins` approval for their buyers, keyed by month and accounts so a rerun asks once.
 */
export async function runMonthlyAccountReview(
  context: BotContext & JobRunInfo,
  settings = monthlyAccountReviewSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: MonthlyAccountReviewResult }> {
  const today = localDay(now, settings.FLEET_TZ);
  const reviews = await reviewAccounts(context.connectors, today, {
    churnDropPct: settings.SALES_REVIEW_CHURN_DROP_PCT,
    minFillRatePct: settings.SALES_REVIEW_MIN_FILL_RATE_PCT,
    dsoGraceDays: settings.SALES_REVIEW_DSO_GRACE_DAYS,
  });
  const risks = reviews.filter((review) => review.reasons.length > 0);
  const top = [...risks, ...growthOpportunities(reviews)].slice(0, settings.SALES_REVIEW_COMMENTED_ACCOUNTS);
  const last = await context.lastRun();
  // Monthly: the model writes once per changed review; an unchanged rerun (a manual run the same day) reuses nothing and calls nothing.
  const unchanged = !context.manual && last?.fingerprint === fingerprintOf(risks);
  const { comments, offline } = unchanged ? { comments: new Map<string, string>(), offline: false } : await draftAccountCommentary(context.llm, top);
  const outcome = await reportFindings(context, {
    findings: risks,
    noun: 'at-risk account',
    message: () => ({
      title: `Monthly account review: ${risks.length} account${risks.length === 1 ? '' : 's'} at risk`,
      text: labelOffline(reviewMessage(reviews, comments), offline),
      kind: 'note',
    }),
    nothingLine: `All ${reviews.length} wholesale accounts are healthy: volume within ${settings.SALES_REVIEW_CHURN_DROP_PCT}% of the prior 90 days, fill rate ≥ ${settings.SALES_REVIEW_MIN_FILL_RATE_PCT}%, paying inside terms.`,
  });
  const result: MonthlyAccountReviewResult = { reviews, checkinsApprovalId: null, signalIds: [], commented: comments.size };
  const churn = risks.filter((review) => review.churnRisk);
  const month = today.slice(0, 7);
  const asked = await requestAccountCheckins(context, churn, `account-checkins:${month}:${fingerprintOf(churn.map((review) => review.accountId))}`);
  result.checkinsApprovalId = asked?.approvalId ?? null;
  for (const review of churn) {
    const signal = await context.signals.emit(
      'account_churn_risk',
      {
        account_id: review.accountId,
        account: review.account,
        t90_revenue: review.t90Revenue,
        prior_t90_revenue: review.priorT90Revenue,
        change_pct: review.changePct ?? 0,
        reasons: review.reasons,
        ...(result.checkinsApprovalId === null ? {} : { approval_id: result.checkinsApprovalId }),
      },
      // One warning per account a month: the review is monthly, a rerun does not repeat the line.
      { dedupeKey: `account-churn-risk:${review.accountId}:${month}`, dedupeWindowMs: 28 * DAY_MS },
    );
    result.signalIds.push(signal.id);
  }
  context.log.info(
    { accounts: reviews.length, risks: risks.length, churn: churn.length, commented: result.commented },
    `monthly account review: ${risks.length} at risk`,
  );
  return { outcome, result };
}

/** salesbot's monthly-account-review: 09:00 on the 1st (fleet time zone). */
export const monthlyAccountReview = defineJob({
  id: 'monthly-account-review',
  schedule: '0 9 1 * *',
  description: 'Monthly account health (T90 vs prior, YoY, fill rate, DSO) → account_churn_risk + send_account_checkins',
  timeoutMs: 300_000,
  // A monthly report: a missed 1st catches up once.
  missed: 'once',
  settings: monthlyAccountReviewSettings,
  async run(context) {
    const { outcome, result } = await runMonthlyAccountReview(context, context.config);
    return jobOutcome(`${outcome.outcome}${result.checkinsApprovalId === null ? '' : '; asked send_account_checkins'}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, checkinsApprovalId: result.checkinsApprovalId, signalIds: result.signalIds, commented: result.commented },
    });
  },
});
