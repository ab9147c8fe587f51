import { defineJob, envInteger, envList, envSettings, fingerprintOf, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { onCreditHold, type Connectors } from '@jbot/connectors';
import { accountDeal } from '../collections/account-deal.js';
import { sendReorderNudges, type ReorderNudgesDraft } from '../outreach/send-reorder-nudges.js';
import { draftReorderNudge } from '../reorders/reorder-nudge-draft.js';
import { localDay } from './deal-hygiene.js';

const DAY_MS = 86_400_000;

// Quotes a buyer has in hand (published or approved), as quote-expiry counts them.
const SENT_QUOTE_STATUSES = new Set(['APPROVAL_NOT_NEEDED', 'APPROVED']);

/** The job's settings: the catalogue's rule (late = > 1.5 × the median interval, ≥ 3 prior orders, 12 months of history). */
export const reorderCadenceSettings = envSettings({
  SALES_REORDER_LATE_FACTOR_PCT: envInteger(150, 101, 1000),
  SALES_REORDER_MIN_ORDERS: envInteger(3, 3, 50),
  SALES_REORDER_HISTORY_DAYS: envInteger(365, 60, 730),
  SALES_REORDER_USUAL_SKUS: envInteger(5, 1, 20),
  // Available-to-promise as shipbot counts it: available − DTC demand over these days (its safety stock).
  SALES_REORDER_ATP_DAYS: envInteger(7, 0, 90),
  // Every sample account has some open deal (new programmes, displays); an order already being
  // closed is what makes a nudge redundant, so only these stages (and any open quote) hold one back.
  SALES_REORDER_BLOCKING_STAGES: envList.transform((stages) => (stages.length > 0 ? stages : ['decisionmakerboughtin', 'contractsent'])),
  FLEET_TZ: timeZone('UTC'),
});

/** One account late to reorder: the catalogue's finding. */
export interface LateAccount {
  account_id: string;
  account: string;
  owner: string;
  email: string | null;
  contact_name: string | null;
  last_order_on: string;
  days_since_last_order: number;
  median_interval_days: number;
  orders: number;
  /** Usual SKUs in stock (most units first) with the units the account usually takes. */
  skus: Array<{ sku: string; usual_units: number }>;
  /** Usual SKUs left out because they are out of stock (available-to-promise ≤ 0). */
  out_of_stock: string[];
}

/** An account that is late but held back, and why (shown in the post so nobody wonders). */
export interface HeldBackAccount {
  account: string;
  reason: string;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
const dayOffset = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * The rule, deterministically: per account with ≥ SALES_REORDER_MIN_ORDERS orders in the history
 * window, days since the last order > factor × the median interval between its orders; accounts
 * with an open deal in a blocking stage or an open quote, or on credit hold (CRM company property
 * credit_hold), are held back; the usual SKUs (those in at least half its orders) that are out of
 * stock (available-to-promise ≤ 0, shipbot's figure) are left out, and an account with none in stock is held back.
 */
export async function findLateAccounts(
  connectors: Pick<Connectors, 'wholesaleHistory' | 'crm' | 'fulfilment'>,
  today: string,
  settings: { lateFactorPct: number; minOrders: number; historyDays: number; usualSkus: number; atpDays: number; blockingStages: readonly string[] },
): Promise<{ late: LateAccount[]; heldBack: HeldBackAccount[] }> {
  const [orders, companies, deals, quotes, stock] = await Promise.all([
    connectors.wholesaleHistory.listOrdersSince(dayOffset(today, settings.historyDays)),
    connectors.crm.listCompanies(),
    connectors.crm.listDeals(),
    connectors.crm.listQuotes(),
    connectors.fulfilment.listStockLevels(),
  ]);
  // ATP per SKU across locations: available (on hand − committed) − DTC demand over the ATP days.
  const available = new Map<string, number>();
  for (const level of stock) available.set(level.sku, (available.get(level.sku) ?? 0) + level.available - level.dailyVelocity * settings.atpDays);
  const companyById = new Map(companies.map((company) => [company.id, company]));
  const dealById = new Map(deals.map((deal) => [deal.id, deal]));
  const byAccount = new Map<string, typeof orders>();
  for (const order of orders) byAccount.set(order.accountId, [...(byAccount.get(order.accountId) ?? []), order]);
  const late: LateAccount[] = [];
  const heldBack: HeldBackAccount[] = [];
  for (const [accountId, history] of byAccount) {
    if (history.length < settings.minOrders) continue;
    const days = [...new Set(history.map((order) => order.orderedOn))].sort();
    const intervals = days.slice(1).map((day, index) => daysBetween(days[index] ?? day, day));
    if (intervals.length === 0) continue;
    const medianInterval = median(intervals);
    const lastOrderOn = days.at(-1) ?? today;
    const since = daysBetween(lastOrderOn, today);
    if (since * 100 <= medianInterval * settings.lateFactorPct) continue;
    const company = companyById.get(accountId);
    const name = company?.name ?? history[0]?.accountName ?? accountId;
    const mine = deals.filter((deal) => deal.accountName === name);
    const blockingDeal = mine.find((deal) => !deal.isClosed && settings.blockingStages.includes(deal.stage));
    const openQuote = quotes.find((quote) => {
      const deal = quote.dealId === null ? undefined : dealById.get(quote.dealId);
      return deal !== undefined && deal.accountName === name && !deal.isClosed && SENT_QUOTE_STATUSES.has(quote.status) && quote.expiresOn >= today;
    });
    if (company !== undefined && onCreditHold(company)) {
      heldBack.push({ account: name, reason: 'on credit hold' });
      continue;
    }
    if (openQuote !== undefined) {
      heldBack.push({ account: name, reason: `open quote ${openQuote.title}` });
      continue;
    }
    if (blockingDeal !== undefined) {
      heldBack.push({ account: name, reason: `open deal ${blockingDeal.name} (${blockingDeal.stage})` });
      continue;
    }
    // Usual SKUs: in at least half the account's orders; the units it usually takes (median).
    const units = new Map<string, number[]>();
    for (const order of history) for (const line of order.lines) units.set(line.sku, [...(units.get(line.sku) ?? []), line.units]);
    const usual = [...units]
      .filter(([, taken]) => taken.length * 2 >= history.length)
      .map(([sku, taken]) => ({ sku, usual_units: Math.round(median(taken)) }))
      .sort((left, right) => right.usual_units - left.usual_units || left.sku.localeCompare(right.sku))
      .slice(0, settings.usualSkus);
    const inStock = usual.filter((line) => (available.get(line.sku) ?? 0) > 0);
    const outOfStock = usual.filter((line) => (available.get(line.sku) ?? 0) <= 0).map((line) => line.sku);
    if (inStock.length === 0) {
      heldBack.push({ account: name, reason: `its usual SKUs are out of stock (${outOfStock.join(', ')})` });
      continue;
    }
    const deal = accountDeal(deals, name);
    late.push({
      account_id: accountId,
      account: name,
      owner: company?.ownerName ?? deal?.ownerName ?? 'Unassigned',
      email: deal?.contactEmail ?? null,
      contact_name: deal?.contactName ?? null,
      last_order_on: lastOrderOn,
      days_since_last_order: since,
      median_interval_days: medianInterval,
      orders: history.length,
      skus: inStock,
      out_of_stock: outOfStock,
    });
  }
  const byLateness = (left: LateAccount, right: LateAccount) =>
    right.days_since_last_order / right.median_interval_days - left.days_since_last_order / left.median_interval_days ||
    left.account.localeCompare(right.account);
  return { late: late.sort(byLateness), heldBack: heldBack.sort((left, right) => left.account.localeCompare(right.account)) };
}

/** The #sales-bot post: each late account, its rhythm and the SKUs its nudge names. */
export function lateAccountsMessage(late: readonly LateAccount[], heldBack: readonly HeldBackAccount[]): string {
  return [
    ...late.map(
      (account) =>
        `• **${account.account}** (${account.owner}): ${account.days_since_last_order} days since the last order (${account.last_order_on}), usually every ${account.median_interval_days} days — nudge names ${account.skus.map((line) => line.sku).join(', ')}${account.out_of_stock.length === 0 ? '' : `; left out (out of stock): ${account.out_of_stock.join(', ')}`}${account.email === null ? ' — no buyer email in the CRM' : ''}`,
    ),
    ...(heldBack.length === 0 ? [] : ['', `Late but held back: ${heldBack.map((account) => `${account.account} (${account.reason})`).join('; ')}.`]),
    '',
    'Approve send_reorder_nudges to email each buyer a replenishment nudge from their rep; each is sent once and logged on the account deal.',
  ].join('\n');
}

/** The line every nudge's body carries: it ties a draft to the account's late spell (its last order). */
const spellLine = (account: Pick<LateAccount, 'last_order_on'>) => `Your last order with us was on ${account.last_order_on};`;

/**
 * Ask `send_reorder_nudges` for these accounts under `requestKey`, unless it was already asked
 * (then no drafting and no model call: the ⟳ rule). One fast-model draft per account that is new
 * to the late set: an account drafted in an earlier reorder approval for the same late spell (same
 * last order) reuses that draft, and one whose nudge for the spell was already sent is not nudged again.
 */
export async function requestReorderNudges(
  context: BotContext,
  late: readonly LateAccount[],
  requestKey: string,
): Promise<{ approvalId: string; drafted: number; offline: boolean } | null> {
  const asked = await context.approvals.findByRequestKey(requestKey);
  if (asked !== null) return { approvalId: asked.id, drafted: 0, offline: false };
  const earlier = (await context.approvals.list({ limit: 200 })).flatMap((approval) => {
    if (approval.action !== sendReorderNudges.name) return [];
    const parsed = sendReorderNudges.draft.safeParse(approval.draft);
    return parsed.success && parsed.data.kind === 'reorder' ? parsed.data.emails.map((email) => ({ email, status: approval.status })) : [];
  });
  const emails: ReorderNudgesDraft['emails'] = [];
  let offline = false;
  let drafted = 0;
  for (const account of late) {
    if (account.email === null) continue;
    const before = earlier.filter((entry) => entry.email.account_id === account.account_id && entry.email.body.includes(spellLine(account)));
    if (before.some((entry) => entry.status === 'executed')) continue;
    const reuse = before.find((entry) => entry.status !== 'rejected' && entry.email.to === account.email);
    if (reuse !== undefined) {
      emails.push(reuse.email);
      continue;
    }
    const draft = await draftReorderNudge(context.llm, {
      account: account.account,
      contactName: account.contact_name,
      owner: account.owner,
      lastOrderOn: account.last_order_on,
      daysSinceLastOrder: account.days_since_last_order,
      medianIntervalDays: account.median_interval_days,
      skus: account.skus.map((line) => ({ sku: line.sku, usualUnits: line.usual_units })),
    });
    drafted += 1;
    offline ||= draft.offline;
    emails.push({ account_id: account.account_id, account: account.account, to: account.email, subject: draft.subject, body: draft.body });
  }
  if (emails.length === 0) return null;
  const { approval } = await context.approvals.request({
    action: sendReorderNudges,
    title: `Send ${emails.length} reorder nudge${emails.length === 1 ? '' : 's'} (${emails.map((email) => email.account).join(', ')})`,
    draft: {
      kind: 'reorder',
      emails,
      note: `Accounts later than 1.5× their usual reorder interval; out-of-stock SKUs left out; notes drafted ${offline ? 'from templates (offline drafter)' : 'by Claude'}.`,
    },
    requestKey,
  });
  return { approvalId: approval.id, drafted, offline };
}

/** What a run returns. */
export interface ReorderCadenceResult {
  late: LateAccount[];
  heldBack: HeldBackAccount[];
  nudgesApprovalId: string | null;
  /** Nudges drafted on this run (0: the late set was already asked, no model call). */
  drafted: number;
}

/**
 * Run reorder-cadence once: the late accounts posted on change and one `send_reorder_nudges`
 * approval keyed by the late set and the SKUs named (an unchanged set finds it asked and drafts nothing).
 */
export async function runReorderCadence(
  context: BotContext & JobRunInfo,
  settings = reorderCadenceSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: ReorderCadenceResult }> {
  const today = localDay(now, settings.FLEET_TZ);
  const { late, heldBack } = await findLateAccounts(context.connectors, today, {
    lateFactorPct: settings.SALES_REORDER_LATE_FACTOR_PCT,
    minOrders: settings.SALES_REORDER_MIN_ORDERS,
    historyDays: settings.SALES_REORDER_HISTORY_DAYS,
    usualSkus: settings.SALES_REORDER_USUAL_SKUS,
    atpDays: settings.SALES_REORDER_ATP_DAYS,
    blockingStages: settings.SALES_REORDER_BLOCKING_STAGES,
  });
  // The findings' fingerprint ignores the day count (it grows daily) so an unchanged set is not reposted.
  const findings = late.map((account) => ({
    account_id: account.account_id,
    last_order_on: account.last_order_on,
    skus: account.skus.map((line) => line.sku),
  }));
  const outcome = await reportFindings(context, {
    findings,
    noun: 'late account',
    message: () => ({
      title: `Reorder cadence: ${late.length} account${late.length === 1 ? '' : 's'} late to reorder`,
      text: lateAccountsMessage(late, heldBack),
      kind: 'note',
    }),
    nothingLine: `No wholesale account is later than ${settings.SALES_REORDER_LATE_FACTOR_PCT / 100}× its usual reorder interval${heldBack.length === 0 ? '' : ` (held back: ${heldBack.map((account) => account.account).join(', ')})`}.`,
  });
  const result: ReorderCadenceResult = { late, heldBack, nudgesApprovalId: null, drafted: 0 };
  if (late.length > 0) {
    const asked = await requestReorderNudges(context, late, `reorder-nudges:${fingerprintOf(findings)}`);
    result.nudgesApprovalId = asked?.approvalId ?? null;
    result.drafted = asked?.drafted ?? 0;
  }
  context.log.info({ late: late.length, heldBack: heldBack.length, drafted: result.drafted }, `reorder cadence: ${late.length} late`);
  return { outcome, result };
}

/** salesbot's reorder-cadence: 10:00 on weekdays (fleet time zone). */
export const reorderCadence = defineJob({
  id: 'reorder-cadence',
  schedule: '0 10 * * 1-5',
  description: 'Wholesale accounts late to reorder against their own rhythm → send_reorder_nudges (usual SKUs in stock)',
  timeoutMs: 180_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: reorderCadenceSettings,
  async run(context) {
    const { outcome, result } = await runReorderCadence(context, context.config);
    return jobOutcome(`${outcome.outcome}${result.nudgesApprovalId === null ? '' : '; asked send_reorder_nudges'}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, nudgesApprovalId: result.nudgesApprovalId, drafted: result.drafted, heldBack: result.heldBack.length },
    });
  },
});
