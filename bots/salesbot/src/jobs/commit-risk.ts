import {
  defineJob,
  envInteger,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
  type Severity,
} from '@jbot/core';
import { dealStageLabel } from '@jbot/connectors';
import { localDay } from './deal-hygiene.js';
import { addDays } from '../sales-days.js';

const DAY_MS = 86_400_000;

/** The job's settings: the catalogue's stage idle limits, window, minimum amount and warning share. */
export const commitRiskSettings = envSettings({
  SALES_COMMIT_CONTRACT_IDLE_DAYS: envInteger(3, 0, 60),
  SALES_COMMIT_BOUGHT_IN_IDLE_DAYS: envInteger(5, 0, 60),
  SALES_COMMIT_WINDOW_DAYS: envInteger(21, 1, 120),
  SALES_COMMIT_MIN_AMOUNT_USD: envInteger(5_000, 0, 100_000_000),
  SALES_COMMIT_WARNING_PCT: envInteger(20, 1, 100),
  /** hubspot-sync's stale line: deals past it are in this week's stale_deals already. */
  SALES_STALE_DEAL_DAYS: envInteger(14, 1, 365),
  FLEET_TZ: timeZone('UTC'),
});

/** A late-stage deal going quiet. */
export interface CommitRiskDeal {
  deal_id: string;
  name: string;
  owner: string | null;
  stage: string;
  idle_days: number;
  amount: number;
  close_date: string;
}

/** What the check found: the deals and the commit they are part of. */
export interface CommitRisk {
  deals: CommitRiskDeal[];
  at_risk_amount: number;
  commit_amount: number;
  severity: Severity;
}

/**
 * Late-stage deals closing inside the commit window (close date ≤ today + SALES_COMMIT_WINDOW_DAYS)
 * idle longer than their stage allows (contract sent 3 d, decision maker bought in 5 d), of at
 * least the minimum amount, and not yet stale (those are in this week's stale_deals). The commit is
 * every open late-stage deal in the same window; warning when the at-risk share reaches the line.
 */
export async function findCommitRisk(
  context: Pick<BotContext, 'connectors'>,
  now: Date,
  settings: ReturnType<typeof commitRiskSettings.load>,
): Promise<CommitRisk> {
  const limits: Record<string, number> = {
    contractsent: settings.SALES_COMMIT_CONTRACT_IDLE_DAYS,
    decisionmakerboughtin: settings.SALES_COMMIT_BOUGHT_IN_IDLE_DAYS,
  };
  const horizon = addDays(localDay(now, settings.FLEET_TZ), settings.SALES_COMMIT_WINDOW_DAYS);
  const commit = (await context.connectors.crm.listDeals()).filter(
    (deal) => !deal.isClosed && limits[deal.stage] !== undefined && deal.closeDate !== null && deal.closeDate <= horizon,
  );
  const deals = commit
    .flatMap((deal): CommitRiskDeal[] => {
      const idle = Math.floor((now.getTime() - Date.parse(deal.lastActivityAt ?? deal.createdAt)) / DAY_MS);
      const amount = deal.amount ?? 0;
      if (idle <= (limits[deal.stage] ?? Infinity) || idle > settings.SALES_STALE_DEAL_DAYS || amount < settings.SALES_COMMIT_MIN_AMOUNT_USD) return [];
      return [{ deal_id: deal.id, name: deal.name, owner: deal.ownerName, stage: deal.stage, idle_days: idle, amount, close_date: deal.closeDate ?? '' }];
    })
    .sort((left, right) => right.amount - left.amount || left.deal_id.localeCompare(right.deal_id));
  const atRisk = deals.reduce((sum, deal) => sum + deal.amount, 0);
  const commitAmount = commit.reduce((sum, deal) => sum + (deal.amount ?? 0), 0);
  const severity: Severity = commitAmount > 0 && atRisk * 100 >= commitAmount * settings.SALES_COMMIT_WARNING_PCT ? 'warning' : 'info';
  return { deals, at_risk_amount: atRisk, commit_amount: commitAmount, severity };
}

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/** The #sales-bot post: owner mentions with their quiet deals. */
export function commitRiskMessage(risk: CommitRisk): string {
  const share = risk.commit_amount === 0 ? 0 : Math.round((risk.at_risk_amount * 100) / risk.commit_amount);
  return [
    `${money(risk.at_risk_amount)} of the ${money(risk.commit_amount)} commit (${share}%) is going quiet.`,
    ...risk.deals.map(
      (deal) =>
        `• **@${deal.owner ?? 'Unassigned'}** ${deal.name} (${money(deal.amount)}, ${dealStageLabel(deal.stage)}, closes ${deal.close_date}): ${deal.idle_days} days without activity`,
    ),
  ].join('\n');
}

/** Run commit-risk once: the post on change and commit_at_risk (warning at the line, info below it). */
export async function runCommitRisk(
  context: BotContext & JobRunInfo,
  settings = commitRiskSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; risk: CommitRisk; signalId: string | null }> {
  const risk = await findCommitRisk(context, now, settings);
  let signalId: string | null = null;
  if (risk.deals.length > 0) {
    const emitted = await context.signals.emit(
      'commit_at_risk',
      {
        deals: risk.deals.map((deal) => ({
          deal_id: deal.deal_id,
          name: deal.name,
          ...(deal.owner === null ? {} : { owner: deal.owner }),
          stage: deal.stage,
          idle_days: deal.idle_days,
          amount: deal.amount,
        })),
        at_risk_amount: risk.at_risk_amount,
        commit_amount: risk.commit_amount,
      },
      // One signal per day and deal set: a rerun the same afternoon raises nothing new.
      {
        severity: risk.severity,
        dedupeKey: `commit_at_risk:${localDay(now, settings.FLEET_TZ)}:${fingerprintOf(risk.deals.map((deal) => deal.deal_id))}`,
        dedupeWindowMs: DAY_MS,
      },
    );
    signalId = emitted.id;
  }
  const outcome = await reportFindings(context, {
    findings: risk.deals.map((deal) => [deal.deal_id, deal.idle_days]),
    noun: 'quiet late-stage deal',
    message: () => ({
      title: `Commit risk: ${risk.deals.length} late-stage deal${risk.deals.length === 1 ? '' : 's'} going quiet`,
      text: commitRiskMessage(risk),
      kind: 'note',
    }),
    nothingLine: 'Every late-stage deal in the commit window had activity inside its stage limit.',
  });
  return { outcome, risk, signalId };
}

/** salesbot's commit-risk: weekdays 14:00 (fleet time zone). */
export const commitRisk = defineJob({
  id: 'commit-risk',
  schedule: '0 14 * * 1-5',
  description:
    'Late-stage deals idle past their stage limit (contract sent 3 d, bought-in 5 d) before the stale line → commit_at_risk (warning at 20% of the commit)',
  timeoutMs: 120_000,
  // A daily check: a missed afternoon catches up once.
  missed: 'once',
  settings: commitRiskSettings,
  async run(context) {
    const { outcome, risk, signalId } = await runCommitRisk(context, context.config);
    return jobOutcome(`${outcome.outcome}${signalId === null ? '' : `; commit_at_risk (${risk.severity})`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signalId, severity: risk.severity, atRisk: risk.at_risk_amount, commit: risk.commit_amount },
    });
  },
});
