import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { creditLimitOf, daysPastDue, onCreditHold, type Connectors, type CrmCompany, type ReceivableInvoice } from '@jbot/connectors';
import { draftReminder, type ReminderBucket } from '../collections/reminder-draft.js';
import { sendArReminders, type ArRemindersDraft } from '../collections/send-ar-reminders.js';
import { placeCreditHold } from '../collections/place-credit-hold.js';
import { localDay } from './deal-hygiene.js';

const DAY_MS = 86_400_000;

/** The job's settings: the catalogue's aging buckets (1–30 polite, 31–60 firm, > 60 credit hold). */
export const arCollectionsSettings = envSettings({
  SALES_AR_POLITE_MAX_DAYS: envInteger(30, 1, 365),
  SALES_AR_FIRM_MAX_DAYS: envInteger(60, 2, 365),
  FLEET_TZ: timeZone('UTC'),
});

/** One past-due invoice, bucketed. */
export interface OverdueInvoice {
  invoice_id: string;
  number: string;
  amount_due: number;
  due_on: string;
  days_past_due: number;
  bucket: ReminderBucket;
  updated_at: string;
}

/** One account with past-due invoices: the aging table's row. */
export interface OverdueAccount {
  account_id: string;
  account: string;
  owner_id: string | null;
  owner: string;
  email: string | null;
  invoices: OverdueInvoice[];
  total_overdue: number;
  open_balance: number;
  credit_limit: number | null;
  /** Should be on credit hold: an invoice past the firm bucket, or the open balance over the credit limit. */
  hold_reason: string | null;
  on_hold: boolean;
}

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/**
 * The aging, deterministically: every open receivable past its due date on `today`, bucketed by
 * days past due, grouped by account (oldest first); an account with an invoice past the firm
 * bucket or an open balance over its CRM credit limit is marked for credit hold.
 */
export async function findOverdueAccounts(
  connectors: Pick<Connectors, 'accounting' | 'crm'>,
  today: string,
  settings: { politeMaxDays: number; firmMaxDays: number },
): Promise<OverdueAccount[]> {
  const [invoices, companies] = await Promise.all([connectors.accounting.listOpenInvoices(), connectors.crm.listCompanies()]);
  const companyById = new Map(companies.map((company) => [company.id, company]));
  const byAccount = new Map<string, ReceivableInvoice[]>();
  for (const invoice of invoices) {
    const key = invoice.accountId ?? `name:${invoice.customerName}`;
    byAccount.set(key, [...(byAccount.get(key) ?? []), invoice]);
  }
  const bucketOf = (days: number): ReminderBucket => (days <= settings.politeMaxDays ? 'polite' : days <= settings.firmMaxDays ? 'firm' : 'hold');
  const accounts: OverdueAccount[] = [];
  for (const [key, open] of byAccount) {
    const company: CrmCompany | undefined = companyById.get(key);
    const overdue = open
      .map((invoice) => ({ invoice, days: daysPastDue(invoice, today) }))
      .filter(({ days }) => days > 0)
      .sort((left, right) => right.days - left.days)
      .map(({ invoice, days }): OverdueInvoice => ({
        invoice_id: invoice.id,
        number: invoice.number,
        amount_due: invoice.amountDue,
        due_on: invoice.dueOn,
        days_past_due: days,
        bucket: bucketOf(days),
        updated_at: invoice.updatedAt,
      }));
    const openBalance = open.reduce((sum, invoice) => sum + invoice.amountDue, 0);
    const limit = company === undefined ? null : creditLimitOf(company);
    const overLimit = limit !== null && openBalance > limit;
    if (overdue.length === 0 && !overLimit) continue;
    const oldest = overdue[0];
    const holdReason =
      oldest !== undefined && oldest.bucket === 'hold'
        ? `invoice ${oldest.number} is ${oldest.days_past_due} days past due`
        : overLimit
          ? `open balance ${money(openBalance)} is over the ${money(limit ?? 0)} credit limit`
          : null;
    const first = open[0];
    accounts.push({
      account_id: company?.id ?? first?.accountId ?? key,
      account: company?.name ?? first?.customerName ?? key,
      owner_id: company?.ownerId ?? null,
      owner: company?.ownerName ?? 'Unassigned',
      email: open.find((invoice) => invoice.customerEmail !== null)?.customerEmail ?? null,
      invoices: overdue,
      total_overdue: overdue.reduce((sum, invoice) => sum + invoice.amount_due, 0),
      open_balance: openBalance,
      credit_limit: limit,
      hold_reason: holdReason,
      on_hold: company !== undefined && onCreditHold(company),
    });
  }
  return accounts.sort(
    (left, right) => (right.invoices[0]?.days_past_due ?? 0) - (left.invoices[0]?.days_past_due ?? 0) || left.account.localeCompare(right.account),
  );
}

/** The #sales-bot aging table. */
export function agingMessage(accounts: readonly OverdueAccount[]): string {
  const bucketTotal = (bucket: ReminderBucket) =>
    accounts
      .flatMap((account) => account.invoices)
      .filter((invoice) => invoice.bucket === bucket)
      .reduce((sum, invoice) => sum + invoice.amount_due, 0);
  const lines = [
    `1–30 days ${money(bucketTotal('polite'))} · 31–60 days ${money(bucketTotal('firm'))} · over 60 days ${money(bucketTotal('hold'))}`,
    '',
    ...accounts.map((account) => {
      const invoices = account.invoices.map((invoice) => `${invoice.number} ${money(invoice.amount_due)} ${invoice.days_past_due} d`).join(', ');
      const hold = account.hold_reason === null ? '' : account.on_hold ? ' — ON CREDIT HOLD' : ` — credit hold proposed (${account.hold_reason})`;
      return `• **${account.account}** (${account.owner}): ${invoices || 'nothing past due'}${hold}`;
    }),
    '',
    'Approve send_ar_reminders to email each buyer from the AR mailbox (firm reminders also give the owner a call task); each credit hold is its own approval.',
  ];
  return lines.join('\n');
}

/**
 * Ask `send_ar_reminders` for these accounts under `requestKey`, unless it was already asked
 * (then no drafting and no model call: the ⟳ rule). Firm and hold reminders get a personal
 * note from the fast model and a call task for the owner.
 */
export async function requestArReminders(
  context: BotContext,
  accounts: readonly OverdueAccount[],
  requestKey: string,
  now: Date,
  signalId?: string,
): Promise<{ approvalId: string; drafted: boolean; created: boolean }> {
  const asked = await context.approvals.findByRequestKey(requestKey);
  if (asked !== null) return { approvalId: asked.id, drafted: false, created: false };
  const since = new Date(now.getTime() - 90 * DAY_MS).toISOString().slice(0, 10);
  const payments = await context.connectors.accounting.listPayments({ since });
  const reminders: ArRemindersDraft['reminders'] = [];
  let offline = false;
  let draftedAny = false;
  for (const account of accounts) {
    if (account.email === null) continue;
    const lastPayment = payments.find((payment) => payment.accountId === account.account_id);
    for (const invoice of account.invoices) {
      const drafted = await draftReminder(context.llm, {
        account: account.account,
        invoiceNumber: invoice.number,
        amountDue: invoice.amount_due,
        dueOn: invoice.due_on,
        daysPastDue: invoice.days_past_due,
        bucket: invoice.bucket,
        otherOverdue: account.invoices.length - 1,
        lastPayment: lastPayment === undefined ? null : `${money(lastPayment.amount)} on ${lastPayment.paidOn}`,
      });
      offline ||= drafted.offline;
      draftedAny ||= drafted.drafted;
      reminders.push({
        account_id: account.account_id,
        account: account.account,
        invoice_id: invoice.invoice_id,
        invoice_number: invoice.number,
        amount_due: invoice.amount_due,
        days_past_due: invoice.days_past_due,
        bucket: invoice.bucket,
        to: account.email,
        subject: drafted.subject,
        body: drafted.body,
        ...(invoice.bucket === 'polite'
          ? {}
          : {
              owner_task: {
                owner_id: account.owner_id,
                subject: `Call ${account.account} about invoice ${invoice.number} (${invoice.days_past_due} days past due)`,
                body: `${money(invoice.amount_due)} due ${invoice.due_on}. A firm reminder went out from AR; call the buyer and log the promise-to-pay date.`,
              },
            }),
      });
    }
  }
  const total = reminders.reduce((sum, reminder) => sum + reminder.amount_due, 0);
  const count = new Set(reminders.map((reminder) => reminder.account_id)).size;
  const { approval, created } = await context.approvals.request({
    action: sendArReminders,
    title: `Send ${reminders.length} AR reminder${reminders.length === 1 ? '' : 's'} (${money(total)} past due, ${count} account${count === 1 ? '' : 's'})`,
    draft: {
      reminders,
      tasks_due_at: new Date(now.getTime() + DAY_MS).toISOString(),
      note: `Templates for 1–30 days; personal notes for older invoices drafted ${offline ? 'from templates (offline drafter)' : 'by Claude'}. Each reminder is sent once, logged on the account's deal.`,
    },
    requestKey,
    ...(signalId === undefined ? {} : { signalId }),
  });
  return { approvalId: approval.id, drafted: draftedAny, created };
}

/** What a run returns. */
export interface ArCollectionsResult {
  accounts: OverdueAccount[];
  remindersApprovalId: string | null;
  holdApprovalIds: string[];
  signalIds: string[];
  /** Whether the personal notes were drafted on this run (false: the findings were unchanged, no model call). */
  drafted: boolean;
}

/**
 * Run ar-collections once: the aging table on change, one `send_ar_reminders` approval keyed by
 * the past-due set (⟳: an unchanged set finds the approval already asked and calls no model),
 * and per account due a hold a `place_credit_hold` approval and an `ar_overdue` warning.
 */
export async function runArCollections(
  context: BotContext & JobRunInfo,
  settings = arCollectionsSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: ArCollectionsResult }> {
  const today = localDay(now, settings.FLEET_TZ);
  const accounts = await findOverdueAccounts(context.connectors, today, {
    politeMaxDays: settings.SALES_AR_POLITE_MAX_DAYS,
    firmMaxDays: settings.SALES_AR_FIRM_MAX_DAYS,
  });
  const outcome = await reportFindings(context, {
    findings: accounts,
    noun: 'past-due account',
    message: (findings) => ({
      title: `AR collections: ${findings.length} account${findings.length === 1 ? '' : 's'} past due, ${money(findings.reduce((sum, account) => sum + account.total_overdue, 0))} overdue`,
      text: agingMessage(findings),
      kind: 'note',
    }),
    nothingLine: 'No wholesale invoice is past due and every account is inside its credit limit.',
  });
  const result: ArCollectionsResult = { accounts, remindersApprovalId: null, holdApprovalIds: [], signalIds: [], drafted: false };
  const remindable = accounts.filter((account) => account.email !== null && account.invoices.length > 0);
  if (remindable.length > 0) {
    // Keyed by the invoices and their buckets, not the day: an unchanged set is reminded once (and
    // drafted once); an invoice moving to the firm bucket is a new reminder.
    const requestKey = `ar-reminders:${fingerprintOf(remindable.map((account) => account.invoices.map((invoice) => [invoice.invoice_id, invoice.bucket])))}`;
    const asked = await requestArReminders(context, remindable, requestKey, now);
    result.remindersApprovalId = asked.approvalId;
    result.drafted = asked.drafted;
  }
  for (const account of accounts.filter((candidate) => candidate.hold_reason !== null && !candidate.on_hold)) {
    const invoices = account.invoices.map((invoice) => ({
      id: invoice.invoice_id,
      number: invoice.number,
      amount: invoice.amount_due,
      days_past_due: invoice.days_past_due,
    }));
    const { approval } = await context.approvals.request({
      action: placeCreditHold,
      title: `Put ${account.account} on credit hold (${account.hold_reason ?? ''})`,
      draft: { account_id: account.account_id, account: account.account, reason: account.hold_reason ?? '', invoices, total_overdue: account.total_overdue },
      // One hold request per account and reason: a daily rerun finds it (pending, placed or declined).
      requestKey: `credit-hold:${account.account_id}:${fingerprintOf([
        account.invoices.filter((invoice) => invoice.bucket === 'hold').map((invoice) => invoice.invoice_id),
        account.credit_limit !== null && account.open_balance > account.credit_limit,
      ])}`,
    });
    result.holdApprovalIds.push(approval.id);
    const signal = await context.signals.emit(
      'ar_overdue',
      {
        account_id: account.account_id,
        account: account.account,
        invoices: account.invoices.map((invoice) => ({ id: invoice.number, amount: invoice.amount_due, days_past_due: invoice.days_past_due })),
        total_overdue: account.total_overdue,
        credit_hold: false,
        ...(account.hold_reason === null ? {} : { reason: account.hold_reason }),
        approval_id: approval.id,
      },
      // One warning per account and past-due set a week: the condition persists, the line does not repeat.
      { dedupeKey: `ar-overdue:${account.account_id}:${fingerprintOf(account.invoices.map((invoice) => invoice.invoice_id))}`, dedupeWindowMs: 7 * DAY_MS },
    );
    result.signalIds.push(signal.id);
  }
  context.log.info(
    { accounts: accounts.length, remindersApprovalId: result.remindersApprovalId, holds: result.holdApprovalIds.length, drafted: result.drafted },
    `ar collections: ${accounts.length} accounts past due`,
  );
  return { outcome, result };
}

/** salesbot's ar-collections: weekdays 09:30 (fleet time zone). */
export const arCollections = defineJob({
  id: 'ar-collections',
  schedule: '30 9 * * 1-5',
  description: 'Wholesale invoices past due by aging bucket → send_ar_reminders; > 60 days or over the credit limit → place_credit_hold + ar_overdue',
  timeoutMs: 180_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: arCollectionsSettings,
  async run(context) {
    const { outcome, result } = await runArCollections(context, context.config);
    const asked = [
      ...(result.remindersApprovalId === null ? [] : ['send_ar_reminders']),
      ...(result.holdApprovalIds.length === 0 ? [] : [`${result.holdApprovalIds.length} credit hold${result.holdApprovalIds.length === 1 ? '' : 's'}`]),
    ];
    return jobOutcome(`${outcome.outcome}${asked.length === 0 ? '' : `; asked ${asked.join(' and ')}`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, remindersApprovalId: result.remindersApprovalId, holdApprovalIds: result.holdApprovalIds, drafted: result.drafted },
    });
  },
});
