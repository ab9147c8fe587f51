import { parseBotSettings, type BotDefinition, type Env, type ResolvedJob } from '@jbot/core';
import { loadAllBots } from '@jbot/fleet';

/** A bot of the roster with its jobs resolved from the settings in `env`. */
export interface LoadedBot {
  definition: BotDefinition;
  jobs: ResolvedJob[];
}

/**
 * Every bot's declaration with its jobs' schedules resolved (a setting may decide a time), for
 * commands that list or run jobs. The CLI never runs bot code itself; a bad setting throws the
 * ConfigError the bot would stop with, which the command prints.
 */
export async function loadBots(env: Env): Promise<LoadedBot[]> {
  const definitions = await loadAllBots();
  return definitions.map((definition) => ({ definition, jobs: parseBotSettings(definition, env).jobs }));
}
