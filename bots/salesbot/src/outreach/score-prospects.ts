import type { CrmProspect, CrmTerritory, CrmOwnerTeam, DealOwner } from '@jbot/connectors';
import { territoryTeam } from '../leads/route-leads.js';

const DAY_MS = 86_400_000;

/** How well a retail segment fits the brands (points of the ICP score). */
export const SEGMENT_FIT: Readonly<Record<string, number>> = {
  gift: 40,
  home: 35,
  grocery: 30,
  general: 25,
  spa: 25,
  outdoor: 20,
  cafe: 20,
  pharmacy: 15,
};

/** Points for a state where we already have wholesale distribution. */
export const DISTRIBUTION_POINTS = 30;

/** A prospect that fits the ideal-account profile, with its score and the rep who writes. */
export interface ScoredProspect {
  prospect: CrmProspect & { buyer: NonNullable<CrmProspect['buyer']> };
  score: number;
  ownerId: string;
  owner: string;
}

/** The ICP rules a prospect is scored by (settings). */
export interface IcpRules {
  minStores: number;
  maxStores: number;
  distributionStates: readonly string[];
  contactGapDays: number;
}

/**
 * Eligible prospects, best first: a buyer email, minStores–maxStores stores, no open deal, not
 * suppressed, not contacted within contactGapDays, and not in `excluded` (an outreach already
 * waiting for approval). Score = segment fit + distribution in the state; ties to more stores, then name.
 * The rep is the territory's (first by id), or the first owner.
 */
export function scoreProspects(
  prospects: readonly CrmProspect[],
  rules: IcpRules,
  now: Date,
  excluded: ReadonlySet<string>,
  routing: { owners: readonly DealOwner[]; teams: readonly CrmOwnerTeam[]; territories: readonly CrmTerritory[] },
): ScoredProspect[] {
  const distribution = new Set(rules.distributionStates.map((state) => state.toUpperCase()));
  const owners = [...routing.owners].sort((left, right) => left.id.localeCompare(right.id));
  const teamOf = new Map(routing.teams.map((row) => [row.ownerId, row.team]));
  return prospects
    .flatMap((prospect): ScoredProspect[] => {
      const buyer = prospect.buyer;
      if (buyer === null || buyer.email === '' || prospect.suppressed || prospect.hasOpenDeal || excluded.has(prospect.id)) return [];
      if (prospect.storeCount < rules.minStores || prospect.storeCount > rules.maxStores) return [];
      if (prospect.lastContactedAt !== null && now.getTime() - Date.parse(prospect.lastContactedAt) < rules.contactGapDays * DAY_MS) return [];
      const score = (SEGMENT_FIT[prospect.segment] ?? 10) + (distribution.has(prospect.state) ? DISTRIBUTION_POINTS : 0);
      const team = territoryTeam(routing.territories, prospect.state, prospect.segment);
      const owner = owners.find((candidate) => team !== null && teamOf.get(candidate.id) === team) ?? owners[0];
      if (owner === undefined) return [];
      return [{ prospect: { ...prospect, buyer }, score, ownerId: owner.id, owner: `${owner.firstName} ${owner.lastName}`.trim() }];
    })
    .sort(
      (left, right) =>
        right.score - left.score || right.prospect.storeCount - left.prospect.storeCount || left.prospect.name.localeCompare(right.prospect.name),
    );
}
