import type { CrmLead, CrmOwnerTeam, CrmTerritory, DealOwner } from '@jbot/connectors';

/** Addresses anyone can open: with no stores yet, a lead worth a second look (flagged, never dropped). */
export const FREE_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
]);

/** One waiting lead and the rep it goes to. */
export interface LeadRoute {
  lead: CrmLead;
  owner: DealOwner;
  team: string | null;
  minutesWaiting: number;
  flag: string | null;
}

/**
 * The team for a state and segment. The most specific row wins: state+segment, then a
 * segment-wide row (distributors go to Key Accounts wherever they are), then the state, then anywhere.
 */
export function territoryTeam(territories: readonly CrmTerritory[], state: string, segment: string): string | null {
  const find = (wantState: string, wantSegment: string) =>
    territories.find((row) => row.state.toUpperCase() === wantState && row.segment.toLowerCase() === wantSegment)?.team;
  return find(state.toUpperCase(), segment.toLowerCase()) ?? find('*', segment.toLowerCase()) ?? find(state.toUpperCase(), '*') ?? find('*', '*') ?? null;
}

/** The lead's flag, when a person should look before investing time. */
export function leadFlag(lead: CrmLead): string | null {
  const domain = lead.email.split('@')[1]?.toLowerCase() ?? '';
  return FREE_MAIL_DOMAINS.has(domain) && lead.storeCount < 1 ? `free-mail address (${domain}) and no stores yet: qualify before quoting` : null;
}

/**
 * Route every unassigned lead older than `afterMinutes`: its territory's team, then round-robin
 * inside the team — the member with the fewest leads in the window (assigned ones and those routed
 * earlier in this pass), ties by owner id. A team with no members, or no territory, uses every owner.
 */
export function routeLeads(
  leads: readonly CrmLead[],
  owners: readonly DealOwner[],
  teams: readonly CrmOwnerTeam[],
  territories: readonly CrmTerritory[],
  now: Date,
  afterMinutes: number,
): LeadRoute[] {
  const teamOf = new Map(teams.map((row) => [row.ownerId, row.team]));
  const load = new Map<string, number>(owners.map((owner) => [owner.id, 0]));
  for (const lead of leads) if (lead.ownerId !== null && load.has(lead.ownerId)) load.set(lead.ownerId, (load.get(lead.ownerId) ?? 0) + 1);
  const sortedOwners = [...owners].sort((left, right) => left.id.localeCompare(right.id));
  const routes: LeadRoute[] = [];
  for (const lead of leads) {
    const minutesWaiting = Math.floor((now.getTime() - Date.parse(lead.createdAt)) / 60_000);
    if (lead.ownerId !== null || minutesWaiting < afterMinutes) continue;
    const team = territoryTeam(territories, lead.state, lead.segment);
    const members = sortedOwners.filter((owner) => team !== null && teamOf.get(owner.id) === team);
    const pool = members.length > 0 ? members : sortedOwners;
    const owner = pool.reduce<DealOwner | undefined>(
      (best, candidate) => (best === undefined || (load.get(candidate.id) ?? 0) < (load.get(best.id) ?? 0) ? candidate : best),
      undefined,
    );
    if (owner === undefined) continue;
    load.set(owner.id, (load.get(owner.id) ?? 0) + 1);
    routes.push({ lead, owner, team: members.length > 0 ? team : null, minutesWaiting, flag: leadFlag(lead) });
  }
  return routes;
}
