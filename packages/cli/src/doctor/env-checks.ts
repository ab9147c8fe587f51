import { ConfigError, loadCoreConfig, loadLlmConfig, parseBotSettings, type BotDefinition, type ConfigProblem, type Env } from '@jbot/core';
import { loadConnectorsConfig } from '@jbot/connectors';
import { loadDiscordConfig, loadTelegramConfig } from '@jbot/channels';
import { fail, pass, type CheckResult } from './doctor-check.js';

/**
 * Run every package's config loader (the same zod schemas the bots parse at start-up) and turn
 * each problem into its own line, so a broken env file is reported whole, not one error a start.
 */
export function checkEnvironment(env: Env, bots: readonly string[], definitions: readonly BotDefinition[] = []): CheckResult[] {
  const loaders: Array<[string, () => unknown]> = [
    ['core', () => loadCoreConfig(env)],
    ['LLM', () => loadLlmConfig(env)],
    ['connectors', () => loadConnectorsConfig(env)],
    ['Telegram', () => loadTelegramConfig(env)],
    ...bots.map((bot): [string, () => unknown] => [`Discord (${bot})`, () => loadDiscordConfig(bot, env)]),
    // Each bot's and each job's own settings, exactly as the bot parses them at start-up.
    ...definitions
      .filter((definition) => bots.includes(definition.name))
      .map((definition): [string, () => unknown] => [definition.name, () => parseBotSettings(definition, env)]),
  ];
  const problems = new Map<string, ConfigProblem>();
  for (const [, load] of loaders) {
    try {
      load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // The Discord variables shared by all bots would otherwise repeat once per bot.
      for (const problem of error.problems) problems.set(`${problem.variable}\u0000${problem.message}`, problem);
    }
  }
  if (problems.size === 0)
    return [
      pass(
        'environment',
        `valid for core, LLM, connectors, Telegram, Discord and the settings of ${bots.length} bot${bots.length === 1 ? '' : 's'} and their jobs`,
      ),
    ];
  return [...problems.values()].map((problem) => fail(problem.variable, `${problem.message} (fix it in the env file)`));
}
