import {
  defineJob,
  envInteger,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
} from '@jbot/core';
import type { Connectors, CustomerDeduction, ProofOfDelivery } from '@jbot/connectors';
import { sendDeductionDisputes, type DeductionDisputesDraft } from '../deductions/send-deduction-disputes.js';
import { localDay } from './deal-hygiene.js';

const DAY_MS = 86_400_000;

/** The job's settings: the catalogue's thresholds ($100 unreasoned, ≤ 10 days priority, $5k warning). */
export const deductionsWatchSettings = envSettings({
  SALES_DEDUCTION_UNREASONED_MIN_USD: envNumber(100),
  SALES_DEDUCTION_PRIORITY_DAYS: envInteger(10, 0, 365),
  SALES_DEDUCTION_WARN_TOTAL_USD: envNumber(5000),
  /** A deduction taken within this many days is "new" (the unreasoned rule). */
  SALES_DEDUCTION_NEW_DAYS: envInteger(30, 1, 365),
  /** How far back open deductions are read. */
  SALES_DEDUCTION_LOOKBACK_DAYS: envInteger(90, 1, 730),
  /** The dispute window when the source gives no deadline (Xero credit notes). */
  SALES_DEDUCTION_DEFAULT_WINDOW_DAYS: envInteger(30, 1, 365),
  FLEET_TZ: timeZone('UTC'),
});

/** The thresholds the rules read (the settings, without the zone). */
export interface DeductionRules {
  unreasonedMinUsd: number;
  priorityDays: number;
  newDays: number;
  lookbackDays: number;
  defaultWindowDays: number;
}

/** The rules from loaded settings. */
export function deductionRulesOf(settings: ReturnType<typeof deductionsWatchSettings.load>): DeductionRules {
  return {
    unreasonedMinUsd: settings.SALES_DEDUCTION_UNREASONED_MIN_USD,
    priorityDays: settings.SALES_DEDUCTION_PRIORITY_DAYS,
    newDays: settings.SALES_DEDUCTION_NEW_DAYS,
    lookbackDays: settings.SALES_DEDUCTION_LOOKBACK_DAYS,
    defaultWindowDays: settings.SALES_DEDUCTION_DEFAULT_WINDOW_DAYS,
  };
}

/** One flagged deduction: why it is on the list, with its proof of delivery when one exists. */
export interface FlaggedDeduction {
  id: string;
  account_id: string;
  account: string;
  invoice_id: string | null;
  kind: CustomerDeduction['kind'];
  reason_code: string | null;
  amount: number;
  taken_on: string;
  dispute_by: string;
  days_left: number;
  /** ≥ the unreasoned minimum, taken recently, and no reason code. */
  unreasoned: boolean;
  /** A shortage or late-delivery claim the POD contradicts (on time and in full), window still open. */
  disputable: boolean;
  /** Disputable with the deadline inside the priority days. */
  priority: boolean;
  ar_email: string | null;
  pod: ProofOfDelivery | null;
  updated_at: string;
}

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** Whether the POD shows the shipment on time (delivered on or before the promise) and in full. */
export function podOnTimeInFull(pod: ProofOfDelivery): boolean {
  return pod.deliveredOn !== null && pod.deliveredOn <= pod.promisedOn && pod.unitsReceived !== null && pod.unitsReceived >= pod.unitsShipped;
}

/**
 * The deductions worth the operator's attention on `today`, deterministically: new ones of at
 * least the minimum with no reason code (unreasoned), shortage/late claims whose proof of delivery
 * shows on time and in full with the window still open (disputable), and of those the ones with
 * the deadline close (priority). Disputable first, nearest deadline first.
 */
export async function findDeductions(connectors: Pick<Connectors, 'accounting'>, today: string, rules: DeductionRules): Promise<FlaggedDeduction[]> {
  const deductions = await connectors.accounting.listDeductions({ since: addDays(today, -rules.lookbackDays) });
  const shipmentIds = [...new Set(deductions.flatMap((deduction) => (deduction.shipmentId === null ? [] : [deduction.shipmentId])))];
  const pods = new Map((await connectors.accounting.listProofsOfDelivery({ shipmentIds })).map((pod) => [pod.shipmentId, pod]));
  const flagged: FlaggedDeduction[] = [];
  for (const deduction of deductions) {
    const disputeBy = deduction.disputeBy ?? addDays(deduction.takenOn, rules.defaultWindowDays);
    const daysLeft = daysBetween(today, disputeBy);
    const pod = deduction.shipmentId === null ? null : (pods.get(deduction.shipmentId) ?? null);
    const unreasoned = deduction.reasonCode === null && deduction.amount >= rules.unreasonedMinUsd && daysBetween(deduction.takenOn, today) <= rules.newDays;
    const disputable = (deduction.kind === 'shortage' || deduction.kind === 'late_delivery') && pod !== null && podOnTimeInFull(pod) && daysLeft >= 0;
    if (!unreasoned && !disputable) continue;
    flagged.push({
      id: deduction.id,
      account_id: deduction.accountId ?? `name:${deduction.customerName}`,
      account: deduction.customerName,
      invoice_id: deduction.invoiceId,
      kind: deduction.kind,
      reason_code: deduction.reasonCode,
      amount: deduction.amount,
      taken_on: deduction.takenOn,
      dispute_by: disputeBy,
      days_left: daysLeft,
      unreasoned,
      disputable,
      priority: disputable && daysLeft <= rules.priorityDays,
      ar_email: deduction.arEmail,
      pod,
      updated_at: deduction.updatedAt,
    });
  }
  return flagged.sort(
    (left, right) => Number(right.disputable) - Number(left.disputable) || left.days_left - right.days_left || left.id.localeCompare(right.id),
  );
}

const kindLabel = (kind: CustomerDeduction['kind']) => (kind === 'late_delivery' ? 'late delivery' : kind);

/** The #sales-bot list of flagged deductions. */
export function deductionsMessage(deductions: readonly FlaggedDeduction[]): string {
  const disputable = deductions.filter((deduction) => deduction.disputable);
  const line = (deduction: FlaggedDeduction) => {
    const tags = [deduction.priority ? 'PRIORITY' : null, deduction.unreasoned ? 'no reason code' : null].filter((tag) => tag !== null).join(', ');
    const pod =
      deduction.pod === null
        ? ''
        : ` — POD ${deduction.pod.shipmentId}: delivered ${deduction.pod.deliveredOn ?? '?'} (promised ${deduction.pod.promisedOn}), ${deduction.pod.unitsReceived ?? '?'}/${deduction.pod.unitsShipped} units`;
    return `• **${deduction.account}** ${deduction.id} ${money(deduction.amount)} ${kindLabel(deduction.kind)}${deduction.reason_code === null ? '' : ` (${deduction.reason_code})`}, invoice ${deduction.invoice_id ?? '—'}, dispute by ${deduction.dispute_by} (${deduction.days_left} d)${tags === '' ? '' : ` [${tags}]`}${pod}`;
  };
  return [
    `Disputable ${disputable.length} (${money(disputable.reduce((sum, deduction) => sum + deduction.amount, 0))}) · unreasoned ${deductions.filter((deduction) => deduction.unreasoned).length}`,
    '',
    ...deductions.map(line),
    '',
    disputable.length === 0
      ? 'Unreasoned deductions: ask the retailer for the reason code before the window closes.'
      : 'Approve send_deduction_disputes to send each retailer its dispute packet (claim, invoice, POD) from AR; unreasoned ones need the reason code first.',
  ].join('\n');
}

/** The dispute packet for one deduction: a template (the catalogue: no model call). */
export function disputePacket(deduction: FlaggedDeduction): { subject: string; body: string } {
  const pod = deduction.pod;
  const proof =
    pod === null
      ? 'Our proof of delivery is available on request.'
      : `Our proof of delivery for shipment ${pod.shipmentId} shows it delivered on ${pod.deliveredOn ?? '—'} against a promised date of ${pod.promisedOn}, ${pod.unitsReceived ?? '—'} of ${pod.unitsShipped} units signed for${pod.signedBy === null ? '' : ` by ${pod.signedBy}`}.`;
  return {
    subject: `Deduction dispute ${deduction.id}: invoice ${deduction.invoice_id ?? '—'} (${money(deduction.amount)})`,
    body: [
      `Hello ${deduction.account} accounts payable,`,
      '',
      `On ${deduction.taken_on} you deducted ${money(deduction.amount)} from your payment of invoice ${deduction.invoice_id ?? '—'} as ${kindLabel(deduction.kind)}${deduction.reason_code === null ? '' : ` (reason code ${deduction.reason_code})`}.`,
      proof,
      `The shipment arrived on time and in full, so we dispute the deduction and ask you to repay ${money(deduction.amount)} (dispute reference ${deduction.id}, filed before your ${deduction.dispute_by} deadline).`,
      '',
      'Harbor & Pine Goods Co. — Accounts Receivable',
    ].join('\n'),
  };
}

/**
 * Ask `send_deduction_disputes` for these deductions under `requestKey`, unless it was already
 * asked. Deductions without an AR contact are left out (the list says so).
 */
export async function requestDeductionDisputes(
  context: BotContext,
  deductions: readonly FlaggedDeduction[],
  requestKey: string,
  signalId?: string,
): Promise<{ approvalId: string; created: boolean } | null> {
  const packets: DeductionDisputesDraft['packets'] = deductions.flatMap((deduction) =>
    deduction.ar_email === null
      ? []
      : [
          {
            deduction_id: deduction.id,
            account_id: deduction.account_id,
            account: deduction.account,
            invoice_id: deduction.invoice_id,
            amount: deduction.amount,
            dispute_by: deduction.dispute_by,
            to: deduction.ar_email,
            ...disputePacket(deduction),
          },
        ],
  );
  if (packets.length === 0) return null;
  const total = packets.reduce((sum, packet) => sum + packet.amount, 0);
  const accounts = new Set(packets.map((packet) => packet.account_id)).size;
  const { approval, created } = await context.approvals.request({
    action: sendDeductionDisputes,
    title: `Dispute ${packets.length} deduction${packets.length === 1 ? '' : 's'} (${money(total)}, ${accounts} account${accounts === 1 ? '' : 's'})`,
    draft: { packets, note: 'Template packets with the proof of delivery; each is sent once from AR and logged on the account.' },
    requestKey,
    ...(signalId === undefined ? {} : { signalId }),
  });
  return { approvalId: approval.id, created };
}

/** What a run returns. */
export interface DeductionsWatchResult {
  deductions: FlaggedDeduction[];
  disputesApprovalId: string | null;
  signalIds: string[];
}

/**
 * Run deductions-watch once: the list on change, one `send_deduction_disputes` approval keyed by
 * the disputable set (a rerun finds it), and per account with a disputable total at or over the
 * threshold a `deduction_dispute_due` warning.
 */
export async function runDeductionsWatch(
  context: BotContext & JobRunInfo,
  settings = deductionsWatchSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: DeductionsWatchResult }> {
  const today = localDay(now, settings.FLEET_TZ);
  const deductions = await findDeductions(context.connectors, today, deductionRulesOf(settings));
  const outcome = await reportFindings(context, {
    findings: deductions,
    noun: 'deduction',
    message: (findings) => ({
      title: `Deductions: ${findings.filter((deduction) => deduction.disputable).length} disputable, ${findings.filter((deduction) => deduction.unreasoned).length} without a reason code`,
      text: deductionsMessage(findings),
      kind: 'note',
    }),
    nothingLine: 'No deduction to dispute and every recent deduction has a reason code.',
  });
  const result: DeductionsWatchResult = { deductions, disputesApprovalId: null, signalIds: [] };
  const disputable = deductions.filter((deduction) => deduction.disputable);
  if (disputable.length > 0) {
    const asked = await requestDeductionDisputes(context, disputable, `deduction-disputes:${fingerprintOf(disputable.map((deduction) => deduction.id))}`);
    result.disputesApprovalId = asked?.approvalId ?? null;
  }
  const byAccount = new Map<string, FlaggedDeduction[]>();
  for (const deduction of disputable) byAccount.set(deduction.account_id, [...(byAccount.get(deduction.account_id) ?? []), deduction]);
  for (const [accountId, mine] of byAccount) {
    const total = mine.reduce((sum, deduction) => sum + deduction.amount, 0);
    if (total < settings.SALES_DEDUCTION_WARN_TOTAL_USD) continue;
    const signal = await context.signals.emit(
      'deduction_dispute_due',
      {
        account_id: accountId,
        account: mine[0]?.account ?? accountId,
        deductions: mine.map((deduction) => ({
          id: deduction.id,
          amount: deduction.amount,
          reason: deduction.reason_code ?? kindLabel(deduction.kind),
          dispute_by: deduction.dispute_by,
        })),
        disputable_total: total,
        ...(result.disputesApprovalId === null ? {} : { approval_id: result.disputesApprovalId }),
      },
      // One warning per account and disputable set a week: the condition persists, the line does not repeat.
      { dedupeKey: `deduction-dispute-due:${accountId}:${fingerprintOf(mine.map((deduction) => deduction.id))}`, dedupeWindowMs: 7 * DAY_MS },
    );
    result.signalIds.push(signal.id);
  }
  context.log.info(
    { deductions: deductions.length, disputable: disputable.length, approvalId: result.disputesApprovalId },
    `deductions watch: ${disputable.length} disputable`,
  );
  return { outcome, result };
}

/** salesbot's deductions-watch: weekdays 09:45 (fleet time zone). */
export const deductionsWatch = defineJob({
  id: 'deductions-watch',
  schedule: '45 9 * * 1-5',
  description: 'Retailer deductions: unreasoned ≥ $100, shortage/late disputable by POD → send_deduction_disputes; ≥ $5k at an account → deduction_dispute_due',
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: deductionsWatchSettings,
  async run(context) {
    const { outcome, result } = await runDeductionsWatch(context, context.config);
    return jobOutcome(`${outcome.outcome}${result.disputesApprovalId === null ? '' : '; asked send_deduction_disputes'}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, disputesApprovalId: result.disputesApprovalId, signalIds: result.signalIds },
    });
  },
});
