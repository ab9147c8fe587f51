import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, ticksBetween, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { dealStageLabel, type Connectors, type Deal } from '@jbot/connectors';

const DAY_MS = 86_400_000;
const SCHEDULE = '30 8 * * 1-5';

/** A deal as reported in the sync (the `stale_deals` payload's deal summary). */
export interface DealSummary {
  deal_id: string;
  name: string;
  owner?: string;
  /** The pipeline stage as people know it ("Decision maker bought-in"). */
  stage: string;
  amount?: number;
  last_activity_at?: string;
  days_since_activity?: number;
}

/** What the sync found. */
export interface DealChanges {
  /** Created within `newWithinDays`. */
  newDeals: DealSummary[];
  /** Open deals without activity for more than `staleAfterDays`, most neglected first. */
  staleDeals: DealSummary[];
  /** Won since the last sync. */
  closedWon: DealSummary[];
  staleAfterDays: number;
  closedWonSince: string;
}

/** Options for findDealChanges. */
export interface FindDealChangesOptions {
  staleAfterDays?: number;
  newWithinDays?: number;
  /** The previous sync; closed-won deals after it are reported. Default: `newWithinDays` ago. */
  closedWonSince?: Date;
}

function summarise(deal: Deal, now: Date): DealSummary {
  const activity = deal.lastActivityAt ?? deal.createdAt;
  return {
    deal_id: deal.id,
    name: deal.name,
    // People and the drafting model read the stage; the deal id is what tools look up.
    stage: dealStageLabel(deal.stage),
    ...(deal.ownerName === null ? {} : { owner: deal.ownerName }),
    ...(deal.amount === null ? {} : { amount: deal.amount }),
    ...(deal.lastActivityAt === null ? {} : { last_activity_at: deal.lastActivityAt }),
    ...(activity === '' ? {} : { days_since_activity: Math.max(0, Math.floor((now.getTime() - Date.parse(activity)) / DAY_MS)) }),
  };
}

/**
 * The Monday question, as a function of the CRM and the clock: which deals are new, which have
 * gone quiet for more than the threshold (open deals only; a never-touched deal counts from its
 * creation), and which were won since the last sync.
 */
export async function findDealChanges(connectors: Pick<Connectors, 'crm'>, now: Date, options: FindDealChangesOptions = {}): Promise<DealChanges> {
  const staleAfterDays = options.staleAfterDays ?? 14;
  const newWithinDays = options.newWithinDays ?? 7;
  const closedWonSince = options.closedWonSince ?? new Date(now.getTime() - newWithinDays * DAY_MS);
  const deals = await connectors.crm.listDeals();
  const age = (iso: string | null) => (iso === null || iso === '' ? Number.NaN : now.getTime() - Date.parse(iso));
  const stale = deals
    .filter((deal) => !deal.isClosed && age(deal.lastActivityAt ?? deal.createdAt) > staleAfterDays * DAY_MS)
    .map((deal) => summarise(deal, now))
    .sort((left, right) => (right.days_since_activity ?? 0) - (left.days_since_activity ?? 0));
  return {
    newDeals: deals.filter((deal) => age(deal.createdAt) >= 0 && age(deal.createdAt) < newWithinDays * DAY_MS).map((deal) => summarise(deal, now)),
    staleDeals: stale,
    closedWon: deals
      .filter(
        (deal) =>
          deal.isClosedWon && deal.closedAt !== null && Date.parse(deal.closedAt) > closedWonSince.getTime() && Date.parse(deal.closedAt) <= now.getTime(),
      )
      .map((deal) => summarise(deal, now)),
    staleAfterDays,
    closedWonSince: closedWonSince.toISOString(),
  };
}

/** ISO week label (2026-W48) — the stale-deal alert is raised at most once a week. */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The previous tick of the sync's schedule before this run: "since the last sync". */
export function previousSync(scheduledFor: Date, timeZone: string): Date {
  const ticks = ticksBetween(SCHEDULE, timeZone, new Date(scheduledFor.getTime() - 5 * DAY_MS), new Date(scheduledFor.getTime() - 1));
  return ticks.at(-1) ?? new Date(scheduledFor.getTime() - 3 * DAY_MS);
}

/** What a run returns (the scheduler records it; the Discord detail is built from it). */
export interface HubSpotSyncResult extends DealChanges {
  signalId: string | null;
  deduplicated: boolean;
}

/** The sync's settings: days without activity before a deal is stale (catalogue default 14). */
export const hubspotSyncSettings = envSettings({ SALES_STALE_DEAL_DAYS: envInteger(14, 1, 365), FLEET_TZ: timeZone('UTC') });

/** Run the sync once: detect, and raise `stale_deals` (warning) when any deal went quiet. */
export async function runHubSpotSync(
  context: Pick<BotContext, 'connectors' | 'signals' | 'log'> & Pick<JobRunInfo, 'scheduledFor' | 'manual'>,
  settings = hubspotSyncSettings.load({}),
  now = new Date(),
): Promise<HubSpotSyncResult> {
  const config = settings;
  const changes = await findDealChanges(context.connectors, now, {
    staleAfterDays: config.SALES_STALE_DEAL_DAYS,
    closedWonSince: context.manual ? new Date(now.getTime() - 7 * DAY_MS) : previousSync(context.scheduledFor, config.FLEET_TZ),
  });
  let signalId: string | null = null;
  let deduplicated = false;
  if (changes.staleDeals.length > 0) {
    const emitted = await context.signals.emit(
      'stale_deals',
      {
        deals: changes.staleDeals,
        threshold_days: changes.staleAfterDays,
        new_deals: changes.newDeals,
        closed_won: changes.closedWon,
      },
      { dedupeKey: `stale_deals:${isoWeek(now)}`, dedupeWindowMs: 7 * DAY_MS },
    );
    ({ id: signalId, deduplicated } = emitted);
  }
  context.log.info(
    { new: changes.newDeals.length, stale: changes.staleDeals.length, closedWon: changes.closedWon.length, signalId, deduplicated },
    `HubSpot sync: ${changes.newDeals.length} new, ${changes.staleDeals.length} stale (>${changes.staleAfterDays} days), ${changes.closedWon.length} closed-won`,
  );
  return { ...changes, signalId, deduplicated };
}

/** salesbot's HubSpot sync: weekdays 08:30 (fleet time zone). */
export const hubspotSync = defineJob({
  id: 'hubspot-sync',
  schedule: SCHEDULE,
  description: 'New, stale (>14 days without activity) and closed-won deals → stale_deals warning',
  timeoutMs: 120_000,
  missed: 'once',
  settings: hubspotSyncSettings,
  async run(context) {
    const result = await runHubSpotSync(context, context.config);
    const outcome = `${result.newDeals.length} new, ${result.staleDeals.length} stale, ${result.closedWon.length} closed-won${result.signalId === null ? '' : result.deduplicated ? ' (already raised this week)' : ', stale_deals raised'}`;
    return jobOutcome(outcome, {
      fingerprint: fingerprintOf(result.staleDeals.map((deal) => deal.deal_id).sort()),
      detail: { new: result.newDeals.length, stale: result.staleDeals.length, closedWon: result.closedWon.length, signalId: result.signalId },
    });
  },
});
