import { loadCoreConfig, loadLlmConfig, scrubString, secretValuesFromEnv, type Env } from '@jbot/core';
import { loadConnectorsConfig } from '@jbot/connectors';
import { loadDiscordConfig, loadTelegramConfig, discordEnvShape } from '@jbot/channels';
import { loadAllBots } from '@jbot/fleet';
import { checkBrain } from './brain-checks.js';
import { formatCheck, skip, type CheckResult } from './doctor-check.js';
import { checkEnvironment } from './env-checks.js';
import { checkAnthropic, checkConnectors, checkDiscord, checkTelegram } from './service-checks.js';

/** What `fleet doctor` found. */
export interface DoctorReport {
  results: CheckResult[];
  /** One line per check, secrets scrubbed. */
  lines: string[];
  failed: number;
}

// A loader that throws here already produced its ✗ lines in the environment check.
function attempt<T>(load: () => T): T | undefined {
  try {
    return load();
  } catch {
    return undefined;
  }
}

/** Check the environment, then every service it configures. Never throws for a bad configuration. */
export async function runDoctor(env: Env, bots: readonly string[]): Promise<DoctorReport> {
  const results = checkEnvironment(env, bots, await loadAllBots());
  const core = attempt(() => loadCoreConfig(env));
  const llm = attempt(() => loadLlmConfig(env));
  const connectors = attempt(() => loadConnectorsConfig(env));
  const telegram = attempt(() => loadTelegramConfig(env));
  const discordToken = attempt(() => bots.map((bot) => loadDiscordConfig(bot, env)).find((config) => config !== null)) ?? undefined;
  const unchecked = (name: string) => skip(name, 'not checked until its configuration above is fixed');

  const checks = await Promise.all([
    core === undefined ? Promise.resolve([unchecked('database')]) : checkBrain(core.brain),
    // The token itself can be checked even when a channel id is missing.
    checkDiscord(
      discordToken?.token ?? (env['DISCORD_TOKEN']?.trim() || undefined),
      discordToken?.apiBase ?? attempt(() => discordEnvShape.DISCORD_API_BASE.parse(env['DISCORD_API_BASE'])),
    ),
    telegram === undefined ? Promise.resolve(unchecked('TELEGRAM_BOT_TOKEN')) : checkTelegram(telegram),
    llm === undefined ? Promise.resolve([unchecked('ANTHROPIC_API_KEY')]) : checkAnthropic(llm),
    connectors === undefined ? Promise.resolve([unchecked('connectors')]) : checkConnectors(connectors),
  ]);
  results.push(...checks.flat());
  const secrets = secretValuesFromEnv(env);
  return {
    results,
    lines: results.map((result) => scrubString(formatCheck(result), secrets)),
    failed: results.filter((result) => result.outcome === 'fail').length,
  };
}
