import type { FleetHeartbeat } from '@jbot/core';

// Bots whose last beats lie this close together stopped at one moment: one cause (the brain, a
// host or its network), not one fault per bot. A heartbeat interval (10 s) plus margin.
const TOGETHER_WINDOW_MS = 20_000;
// This many bots going quiet at one moment is a shared cause; fewer are judged one by one.
const TOGETHER_MIN_BOTS = 3;

/** A group of bots that stopped beating at one moment. */
export interface QuietGroup {
  /** `bot@host@last_seen` of each member: stable while none of them beats again. */
  keys: string[];
  members: FleetHeartbeat[];
  /** The earliest last beat of the group. */
  since: string;
}

/** The key that identifies one bot's silence (it changes as soon as the bot beats again). */
export function silenceKey(beat: FleetHeartbeat): string {
  return `${beat.bot}@${beat.host}@${beat.last_seen}`;
}

/**
 * Split stale heartbeats into groups that went quiet together (at least three bots whose last
 * beats are within 20 s of each other) and the rest, judged alone.
 */
export function groupQuietTogether(stale: readonly FleetHeartbeat[]): { groups: QuietGroup[]; alone: FleetHeartbeat[] } {
  const sorted = [...stale].sort((left, right) => Date.parse(left.last_seen) - Date.parse(right.last_seen));
  const runs: FleetHeartbeat[][] = [];
  for (const beat of sorted) {
    const current = runs.at(-1);
    const first = current?.[0];
    if (current !== undefined && first !== undefined && Date.parse(beat.last_seen) - Date.parse(first.last_seen) <= TOGETHER_WINDOW_MS) current.push(beat);
    else runs.push([beat]);
  }
  const groups: QuietGroup[] = [];
  const alone: FleetHeartbeat[] = [];
  for (const run of runs) {
    if (run.length >= TOGETHER_MIN_BOTS) groups.push({ keys: run.map(silenceKey), members: run, since: run[0]?.last_seen ?? '' });
    else alone.push(...run);
  }
  return { groups, alone };
}
