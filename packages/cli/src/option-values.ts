import { catalogSignalTypes } from '@jbot/core';
import { BOT_NAMES, fleetSignalTypes } from '@jbot/fleet';
import { parseSince } from './parse-since.js';
import { UsageError } from './usage-error.js';

// Checks on flag values, run before a command touches the brain, so a typo is a usage error
// naming what is allowed, never a raw SQL error or a silently empty answer.

/** `--limit N`: a whole number from 1 to max. */
export function limitOption(raw: string | undefined, fallback: number, max = 1000): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > max) throw new UsageError(`--limit must be a whole number from 1 to ${max} (got "${raw}")`);
  return Number(raw);
}

/** A flag that takes one of a fixed set of words. */
export function choiceOption<Choice extends string>(flag: string, raw: string | undefined, allowed: readonly Choice[]): Choice | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${raw}")`);
  return raw as Choice;
}

/** `--since 30m|24h|7d|ISO`: the moment it names. */
export function sinceOption(raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const since = parseSince(raw);
  if (since === null)
    throw new UsageError(
      `--since must be a duration back from now (90s, 30m, 24h, 7d, 2w) or an ISO date such as 2026-12-01 or 2026-12-01T08:30Z (got "${raw}")`,
    );
  return since;
}

/** `--bot B`: one of the fleet's bots. */
export function botOption(raw: string | undefined, flag = 'bot'): string | undefined {
  return choiceOption(flag, raw, BOT_NAMES);
}

/** `--bots a,b,…`: bots of the fleet, in the order given, each once; every name checked. */
export function botsOption(raw: string | undefined): string[] {
  if (raw === undefined) return [...BOT_NAMES];
  const bots = [
    ...new Set(
      raw
        .split(',')
        .map((bot) => bot.trim())
        .filter((bot) => bot !== ''),
    ),
  ];
  const unknown = bots.filter((bot) => !(BOT_NAMES as readonly string[]).includes(bot));
  if (bots.length === 0 || unknown.length > 0)
    throw new UsageError(
      `${unknown.length > 0 ? `unknown bot${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}` : '--bots is empty'}; the bots are ${BOT_NAMES.join(', ')}`,
    );
  return bots;
}

/** Every signal type of the fleet: the runtime's own (core catalog) and each bot's (the roster). */
export function knownSignalTypes(): string[] {
  return [...new Set([...catalogSignalTypes, ...fleetSignalTypes].map((type) => type.type))].sort();
}

/** `--type T`: a signal type the fleet knows. */
export function signalTypeOption(raw: string | undefined, known: readonly string[]): string | undefined {
  return choiceOption('type', raw, known);
}
