// The one place `pnpm bench day` learns what the fleet is: every bot of the roster, loaded as its
// process loads it, with jbot's routing clock (quiet hours) on the simulated day, and the
// runtime pieces (signal types, roster, connectors) the fleet gives in-process bots. The bench
// reads jobs, handlers and actions from these declarations, so a catalogue job added to a bot is
// in the bench with no edit here.
import { parseBotSettings, type BotDefinition, type Db, type Env, type ParsedBotSettings } from '@jbot/core';
import { fleetRuntime, roster, type FleetRuntime } from '@jbot/fleet';
import { createJbot } from '../bots/jbot/src/index.js';

/** One bot as the bench starts it: its declaration and its settings parsed from the bench's env. */
export interface DayBot {
  definition: BotDefinition;
  settings: ParsedBotSettings;
}

/**
 * Every bot of the roster, each declaration passed through `prepare` (the bench's counters)
 * before its settings are parsed from `env` (FLEET_TZ, jbot's Telegram, quiet hours).
 */
export async function dayFleet(options: { env: Env; now: () => Date; prepare: (definition: BotDefinition) => BotDefinition }): Promise<DayBot[]> {
  const definitions = await Promise.all(roster.map((entry) => (entry.name === 'jbot' ? createJbot({ now: options.now }) : entry.load())));
  return definitions.map((loaded) => {
    const definition = options.prepare(loaded);
    return { definition, settings: parseBotSettings(definition, options.env) };
  });
}

/** The fleet's runtime for in-process bots on this brain (sample connectors). */
export function dayRuntime(db: Db): FleetRuntime {
  return fleetRuntime(db);
}
