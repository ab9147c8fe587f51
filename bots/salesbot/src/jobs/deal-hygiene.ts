import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { Connectors, Deal } from '@jbot/connectors';
import { createHygieneTasks, type HygieneTasksDraft } from '../hygiene/create-hygiene-tasks.js';

const DAY_MS = 86_400_000;

/** What is wrong with a deal, as the forecast sees it. */
export type DealDefectKind = 'past_close_date' | 'no_amount' | 'no_next_step' | 'no_owner' | 'closed_lost_no_reason';

/** One defect on one deal: a line of the report and, once approved, one task for the owner. */
export interface DealDefect {
  deal_id: string;
  deal: string;
  kind: DealDefectKind;
  /** The deal's owner; null for a deal nobody owns (listed as "Unassigned"). */
  owner_id: string | null;
  owner: string;
  amount: number | null;
  /** What to fix, in a rep's words. */
  detail: string;
}

/** The job's settings: the amount from which a deal is listed first (catalogue default $10k). */
export const dealHygieneSettings = envSettings({ SALES_HYGIENE_LARGE_DEAL_USD: envInteger(10_000, 0, 100_000_000), FLEET_TZ: timeZone('UTC') });

const UNASSIGNED = 'Unassigned';

/** Today's date (YYYY-MM-DD) in the company's zone: a close date is past once its day is over there. */
export function localDay(now: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function defectsOf(deal: Deal, today: string): Array<{ kind: DealDefectKind; detail: string }> {
  if (deal.stage === 'closedlost') return deal.closedLostReason === null ? [{ kind: 'closed_lost_no_reason', detail: 'closed lost without a reason' }] : [];
  if (deal.isClosed) return [];
  const found: Array<{ kind: DealDefectKind; detail: string }> = [];
  if (deal.closeDate !== null && deal.closeDate < today) found.push({ kind: 'past_close_date', detail: `close date ${deal.closeDate} has passed` });
  if (deal.amount === null) found.push({ kind: 'no_amount', detail: 'no amount' });
  if (deal.nextStep === null) found.push({ kind: 'no_next_step', detail: 'no next step' });
  if (deal.ownerId === null) found.push({ kind: 'no_owner', detail: 'no owner' });
  return found;
}

/**
 * The forecast's defects, deterministically: open deals with a close date before today, no
 * amount, no next step or no owner; closed-lost deals without a reason. Ordered by owner
 * (Unassigned last), and inside each owner deals of at least `largeDealUsd` first, largest first.
 */
export async function findDealDefects(connectors: Pick<Connectors, 'crm'>, today: string, largeDealUsd: number): Promise<DealDefect[]> {
  const deals = await connectors.crm.listDeals();
  const defects: DealDefect[] = deals.flatMap((deal) =>
    defectsOf(deal, today).map((defect) => ({
      deal_id: deal.id,
      deal: deal.name,
      kind: defect.kind,
      owner_id: deal.ownerId,
      owner: deal.ownerId === null ? UNASSIGNED : (deal.ownerName ?? `owner ${deal.ownerId}`),
      amount: deal.amount,
      detail: defect.detail,
    })),
  );
  const large = (defect: DealDefect) => defect.amount !== null && defect.amount >= largeDealUsd;
  return defects.sort(
    (left, right) =>
      Number(left.owner_id === null) - Number(right.owner_id === null) ||
      left.owner.localeCompare(right.owner) ||
      Number(large(right)) - Number(large(left)) ||
      (right.amount ?? -1) - (left.amount ?? -1) ||
      left.deal.localeCompare(right.deal) ||
      left.kind.localeCompare(right.kind),
  );
}

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/** The #sales-bot post: one line per defect, grouped by owner. */
export function hygieneMessage(defects: readonly DealDefect[]): string {
  const lines: string[] = [];
  let owner: string | null = null;
  for (const defect of defects) {
    if (defect.owner !== owner) {
      owner = defect.owner;
      lines.push(`${lines.length === 0 ? '' : '\n'}**${owner}**`);
    }
    lines.push(`• ${defect.deal}${defect.amount === null ? '' : ` (${money(defect.amount)})`}: ${defect.detail}`);
  }
  lines.push('', 'Approve to create one HubSpot task per line for its owner.');
  return lines.join('\n');
}

function taskText(defect: DealDefect): { subject: string; body: string } {
  const fix: Record<DealDefectKind, string> = {
    past_close_date: 'Move the close date (or close the deal)',
    no_amount: 'Add the deal amount',
    no_next_step: 'Write the next step',
    no_owner: 'Assign an owner',
    closed_lost_no_reason: 'Record the closed-lost reason',
  };
  return {
    subject: `${fix[defect.kind]}: ${defect.deal}`,
    body: `Deal hygiene found: ${defect.detail}. ${fix[defect.kind]} so the forecast stays honest.`,
  };
}

/** What a run returns. */
export interface DealHygieneResult {
  defects: DealDefect[];
  approvalId: string | null;
  approvalCreated: boolean;
}

/**
 * Run deal-hygiene once: find the defects, post them to #sales-bot when the set changed, and
 * ask for `create_hygiene_tasks`. The request is keyed by the defect set, so an unchanged set
 * (a rerun, a catch-up) finds the approval already asked instead of asking again.
 */
export async function runDealHygiene(
  context: BotContext & JobRunInfo,
  settings = dealHygieneSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: DealHygieneResult }> {
  const defects = await findDealDefects(context.connectors, localDay(now, settings.FLEET_TZ), settings.SALES_HYGIENE_LARGE_DEAL_USD);
  const outcome = await reportFindings(context, {
    findings: defects,
    noun: 'deal defect',
    message: (findings) => ({
      title: `Deal hygiene: ${findings.length} defect${findings.length === 1 ? '' : 's'} to fix`,
      text: hygieneMessage(findings),
      kind: 'note',
    }),
    nothingLine: 'Every open deal has a future close date, an amount, a next step and an owner; every lost deal has a reason.',
  });
  let approvalId: string | null = null;
  let approvalCreated = false;
  if (defects.length > 0) {
    const draft: HygieneTasksDraft = {
      due_at: new Date(now.getTime() + DAY_MS).toISOString(),
      tasks: defects.map((defect) => ({
        deal_id: defect.deal_id,
        deal: defect.deal,
        kind: defect.kind,
        owner_id: defect.owner_id,
        owner: defect.owner,
        ...taskText(defect),
      })),
    };
    const owners = new Set(defects.flatMap((defect) => (defect.owner_id === null ? [] : [defect.owner_id]))).size;
    const unassigned = defects.filter((defect) => defect.owner_id === null).length;
    const forWhom = [...(owners === 0 ? [] : [`${owners} owner${owners === 1 ? '' : 's'}`]), ...(unassigned === 0 ? [] : [`${unassigned} unassigned`])].join(
      ' and ',
    );
    const { approval, created } = await context.approvals.request({
      action: createHygieneTasks,
      title: `Create ${defects.length} HubSpot hygiene task${defects.length === 1 ? '' : 's'} for ${forWhom}`,
      draft,
      requestKey: `deal-hygiene:${fingerprintOf(defects.map((defect) => [defect.deal_id, defect.kind]))}`,
    });
    approvalId = approval.id;
    approvalCreated = created;
  }
  context.log.info({ defects: defects.length, approvalId, approvalCreated }, `deal hygiene: ${defects.length} defects`);
  return { outcome, result: { defects, approvalId, approvalCreated } };
}

/** salesbot's deal-hygiene: weekdays 08:50 (fleet time zone), after the HubSpot sync. */
export const dealHygiene = defineJob({
  id: 'deal-hygiene',
  schedule: '50 8 * * 1-5',
  description: 'Open deals with a past close date, no amount, no next step or no owner; closed-lost without a reason → create_hygiene_tasks',
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: dealHygieneSettings,
  async run(context) {
    const { outcome, result } = await runDealHygiene(context, context.config);
    const asked = result.approvalId === null ? '' : result.approvalCreated ? '; create_hygiene_tasks asked' : '; create_hygiene_tasks already asked';
    return jobOutcome(`${outcome.outcome}${asked}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvalId: result.approvalId },
    });
  },
});
