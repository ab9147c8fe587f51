import { ConfigError, type ConfigProblem } from '../config/config-error.js';
import type { Env } from '../config/env-parsing.js';
import type { BotDefinition, ResolvedJob } from './define-bot.js';

/** A bot's settings after start-up: its own, each job's, and the jobs with their schedules resolved. */
export interface ParsedBotSettings {
  bot: Readonly<Record<string, unknown>>;
  jobs: ResolvedJob[];
}

/**
 * Parse a bot's settings and every job's, once, collecting every problem (each once) into one
 * ConfigError: a bad threshold stops start-up naming the variable, instead of failing each run.
 * Each job's `ctx.config` is the bot's settings with the job's own on top.
 */
export function parseBotSettings(definition: BotDefinition, env: Env): ParsedBotSettings {
  const problems = new Map<string, ConfigProblem>();
  const attempt = <Value>(load: () => Value): Value | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const problem of error.problems) problems.set(`${problem.variable}\u0000${problem.message}`, problem);
      return undefined;
    }
  };
  const loaded = definition.settings === undefined ? {} : attempt(() => definition.settings?.load(env));
  const bot = loaded ?? {};
  const jobs: ResolvedJob[] = [];
  for (const job of definition.jobs ?? []) {
    const own = job.settings === undefined ? {} : attempt(() => job.settings?.load(env));
    // A job whose settings (or whose bot's) failed is not resolved: its schedule may depend on them.
    if (own === undefined || loaded === undefined) continue;
    const config = { ...(bot as object), ...(own as object) };
    const schedule = typeof job.schedule === 'function' ? job.schedule(config) : job.schedule;
    const run = job.run;
    jobs.push({ ...job, schedule, run: (context) => run({ ...context, config }) });
  }
  if (problems.size > 0) throw new ConfigError([...problems.values()]);
  return { bot: bot as Readonly<Record<string, unknown>>, jobs };
}
