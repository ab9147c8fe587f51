import { z } from 'zod';
import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { ONBOARDING_ITEMS, type Deal, type OnboardingItem } from '@jbot/connectors';
import { localDay } from './deal-hygiene.js';
import { sendOnboardingPack, type OnboardingPackDraft } from '../onboarding/send-onboarding-pack.js';
import { weekdayAfter } from '../sales-days.js';

const DAY_MS = 86_400_000;

// "3,7,14": the days after a win when open checklist items get a reminder.
const dayList = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      const days = (value ?? fallback).split(',').map((item) => Number(item.trim()));
      if (days.length === 0 || days.some((day) => !Number.isInteger(day) || day < 1 || day > 90)) {
        context.addIssue({ code: 'custom', message: `expected comma-separated whole days between 1 and 90, like "${fallback}"` });
        return z.NEVER;
      }
      return [...new Set(days)].sort((left, right) => left - right);
    });

/** The job's settings: what counts as newly won, the reminder days (catalogue 3 / 7 / 14), the opening order's lead time. */
export const accountOnboardingSettings = envSettings({
  SALES_ONBOARDING_NEW_WIN_DAYS: envInteger(7, 1, 60),
  SALES_ONBOARDING_NUDGE_DAYS: dayList('3,7,14'),
  SALES_ONBOARDING_FIRST_SHIP_BUSINESS_DAYS: envInteger(5, 0, 60),
  /** How long after the win an account stays on the tracker. */
  SALES_ONBOARDING_TRACK_DAYS: envInteger(30, 1, 365),
  FLEET_TZ: timeZone('UTC'),
});

const ITEM_LABELS: Record<OnboardingItem, string> = {
  credit_application: 'credit application',
  resale_certificate: 'W-9 / resale certificate',
  item_setup: 'item setup',
  first_po: 'first PO',
};

/** One won account the job is tracking this run. */
export interface OnboardingFinding {
  deal_id: string;
  deal: string;
  account_id: string;
  account: string;
  owner: string | null;
  amount: number | null;
  won_day: string;
  days_since_win: number;
  newly_won: boolean;
  open_items: OnboardingItem[];
  /** 0 = welcome pack; otherwise the reminder day reached; null = nothing to send. */
  milestone_days: number | null;
}

/**
 * Won deals the job tracks: won within SALES_ONBOARDING_TRACK_DAYS (30). Newly won
 * (within SALES_ONBOARDING_NEW_WIN_DAYS) → the welcome pack; later, the largest reminder day
 * reached with checklist items still open → a reminder. A complete checklist needs nothing.
 */
export async function findOnboarding(
  context: Pick<BotContext, 'connectors'>,
  now: Date,
  settings: ReturnType<typeof accountOnboardingSettings.load>,
): Promise<OnboardingFinding[]> {
  const { crm } = context.connectors;
  const horizonDays = Math.max(settings.SALES_ONBOARDING_TRACK_DAYS, ...settings.SALES_ONBOARDING_NUDGE_DAYS);
  const won = (await crm.listDeals()).filter(
    (deal): deal is Deal & { closedAt: string } =>
      deal.isClosedWon && deal.closedAt !== null && now.getTime() - Date.parse(deal.closedAt) < horizonDays * DAY_MS,
  );
  const checklists = new Map((await crm.listAccountOnboarding(won.map((deal) => deal.id))).map((row) => [row.dealId, row]));
  return won
    .flatMap((deal): OnboardingFinding[] => {
      const checklist = checklists.get(deal.id);
      if (checklist === undefined) return [];
      const days = Math.floor((now.getTime() - Date.parse(deal.closedAt)) / DAY_MS);
      const open = ONBOARDING_ITEMS.filter((item) => !checklist.done[item]);
      const newlyWon = days < settings.SALES_ONBOARDING_NEW_WIN_DAYS;
      const reached = settings.SALES_ONBOARDING_NUDGE_DAYS.filter((day) => day <= days).at(-1);
      const milestone = open.length === 0 ? null : reached !== undefined ? reached : newlyWon ? 0 : null;
      if (!newlyWon && milestone === null) return [];
      return [
        {
          deal_id: deal.id,
          deal: deal.name,
          account_id: checklist.accountId,
          account: checklist.account,
          owner: deal.ownerName,
          amount: deal.amount,
          won_day: localDay(new Date(deal.closedAt), settings.FLEET_TZ),
          days_since_win: days,
          newly_won: newlyWon,
          open_items: open,
          milestone_days: milestone,
        },
      ];
    })
    .sort((left, right) => left.days_since_win - right.days_since_win || left.account.localeCompare(right.account));
}

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/** The #sales-bot post: one line per tracked account. */
export function onboardingMessage(findings: readonly OnboardingFinding[]): string {
  return findings
    .map((finding) => {
      const open = finding.open_items.length === 0 ? 'vendor setup complete' : `open: ${finding.open_items.map((item) => ITEM_LABELS[item]).join(', ')}`;
      const action =
        finding.milestone_days === null ? '' : finding.milestone_days === 0 ? ' → welcome pack drafted' : ` → day-${finding.milestone_days} reminder drafted`;
      return `• **${finding.account}** — won ${finding.won_day} (${finding.days_since_win} day${finding.days_since_win === 1 ? '' : 's'} ago${finding.amount === null ? '' : `, ${money(finding.amount)}`}${finding.owner === null ? '' : `, ${finding.owner}`}); ${open}${action}${finding.newly_won ? '\n  deal_closed_won raised: shipbot reserves the opening order, opsbot plans the demand' : ''}`;
    })
    .join('\n');
}

function packText(finding: OnboardingFinding, contactName: string): { subject: string; body: string } {
  const first = contactName.split(' ')[0] ?? contactName;
  const items = finding.open_items.map((item) => `  • ${ITEM_LABELS[item]}`).join('\n');
  const signature = ['', 'Best,', finding.owner ?? 'The Harbor & Pine wholesale team'];
  if (finding.milestone_days === 0)
    return {
      subject: `Welcome to Harbor & Pine — vendor setup for ${finding.account}`,
      body: [
        `Hi ${first},`,
        '',
        `Welcome aboard, and thank you for the order! To set ${finding.account} up as a Harbor & Pine account we need a few forms back:`,
        items,
        '',
        'The forms are attached; reply with them (or send them to wholesale@harborandpine.com) and we will confirm your opening-order ship date.',
        ...signature,
      ].join('\n'),
    };
  return {
    subject: `Reminder: ${finding.open_items.length} vendor-setup item${finding.open_items.length === 1 ? '' : 's'} still open for ${finding.account}`,
    body: [
      `Hi ${first},`,
      '',
      `A quick reminder: we are still missing these for ${finding.account} before your opening order can ship:`,
      items,
      '',
      'Reply with them whenever convenient, or tell me who on your side handles vendor setup.',
      ...signature,
    ].join('\n'),
  };
}

/** What a run returns. */
export interface AccountOnboardingResult {
  findings: OnboardingFinding[];
  signals: string[];
  approvals: string[];
}

/** Run account-onboarding once: raise deal_closed_won per new win, post the tracker, ask for each pack. */
export async function runAccountOnboarding(
  context: BotContext & JobRunInfo,
  settings = accountOnboardingSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: AccountOnboardingResult }> {
  const { crm } = context.connectors;
  const findings = await findOnboarding(context, now, settings);
  const signals: string[] = [];
  const approvals: string[] = [];
  const newlyWon = findings.filter((finding) => finding.newly_won);
  const lineItems = await crm.listDealLineItems(newlyWon.map((finding) => finding.deal_id));
  for (const finding of newlyWon) {
    const skus = lineItems.filter((item) => item.dealId === finding.deal_id && item.quantity > 0).map((item) => ({ sku: item.sku, qty: item.quantity }));
    const emitted = await context.signals.emit(
      'deal_closed_won',
      {
        deal_id: finding.deal_id,
        account_id: finding.account_id,
        account: finding.account,
        amount: finding.amount,
        skus,
        first_ship_date: weekdayAfter(finding.won_day, settings.SALES_ONBOARDING_FIRST_SHIP_BUSINESS_DAYS),
      },
      // Once per deal: a rerun (or the next morning inside the new-win window) raises nothing new.
      { dedupeKey: `deal_closed_won:${finding.deal_id}`, dedupeWindowMs: 60 * DAY_MS },
    );
    signals.push(emitted.id);
  }
  for (const finding of findings) {
    if (finding.milestone_days === null) continue;
    const requestKey = `onboarding:${finding.deal_id}:${finding.milestone_days}`;
    const asked = await context.approvals.findByRequestKey(requestKey);
    if (asked !== null) {
      approvals.push(asked.id);
      continue;
    }
    const contacts = await crm.listDealContacts(finding.deal_id);
    const contact = contacts.find((item) => item.isPrimary && item.email !== '') ?? contacts.find((item) => item.email !== '');
    if (contact === undefined) {
      context.log.warn({ dealId: finding.deal_id }, `no buyer email on ${finding.account}: onboarding pack not drafted`);
      continue;
    }
    const draft: OnboardingPackDraft = {
      deal_id: finding.deal_id,
      account: finding.account,
      milestone_days: finding.milestone_days,
      open_items: finding.open_items.map((item) => ITEM_LABELS[item]),
      to: contact.email,
      contact_id: contact.id,
      ...packText(finding, `${contact.firstName} ${contact.lastName}`.trim()),
    };
    const { approval } = await context.approvals.request({
      action: sendOnboardingPack,
      title: `${finding.milestone_days === 0 ? 'Send the welcome pack' : `Send the day-${finding.milestone_days} onboarding reminder`} to ${finding.account}`,
      draft,
      requestKey,
    });
    approvals.push(approval.id);
  }
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => [finding.deal_id, finding.milestone_days, finding.open_items]),
    noun: 'onboarding account',
    message: () => ({
      title: `Account onboarding: ${findings.length} won account${findings.length === 1 ? '' : 's'} to set up`,
      text: onboardingMessage(findings),
      kind: 'note',
    }),
    nothingLine: 'No newly won account, and every recent one has its vendor setup complete.',
  });
  return { outcome, result: { findings, signals, approvals } };
}

/** salesbot's account-onboarding: weekdays 10:15 (fleet time zone). */
export const accountOnboarding = defineJob({
  id: 'account-onboarding',
  schedule: '15 10 * * 1-5',
  description:
    'Closed-won deals → deal_closed_won (info) and the welcome pack; vendor-setup items open 3 / 7 / 14 days after the win → reminder (send_onboarding_pack)',
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: accountOnboardingSettings,
  async run(context) {
    const { outcome, result } = await runAccountOnboarding(context, context.config);
    const raised = result.signals.length === 0 ? '' : `; deal_closed_won ×${result.signals.length}`;
    return jobOutcome(`${outcome.outcome}${raised}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals: result.signals, approvals: result.approvals },
    });
  },
});
