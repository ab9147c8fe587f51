import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { parseEnv, type Env } from './env-parsing.js';

/**
 * The settings of one part of the fleet (a package, a bot, a job), declared next to what uses
 * them and parsed once at start-up. `load` throws ConfigError naming every bad variable.
 */
export interface Settings<Value> {
  load(env: Env): Value;
}

/** The parsed value of a Settings declaration. */
export type SettingsOf<Declared> = Declared extends Settings<infer Value> ? Value : Record<string, never>;

/** Settings from a zod shape keyed by variable name (the catalogue's thresholds, with its values as defaults). */
export function envSettings<Shape extends z.ZodRawShape>(
  shape: Shape,
  refine?: (parsed: z.infer<z.ZodObject<Shape>>) => ConfigProblem[],
): Settings<z.infer<z.ZodObject<Shape>>> & { shape: Shape } {
  return { shape, load: (env) => parseEnv(shape, env, refine) };
}

/** Settings computed by a function that throws ConfigError (cross-field rules, derived values). */
export function settingsFrom<Value>(load: (env: Env) => Value): Settings<Value> {
  return { load };
}

/**
 * Load several settings at once and gather every problem (each once), so one start-up or one
 * `fleet doctor` names everything wrong. Throws a single ConfigError when any failed.
 */
export function loadAllSettings<Values extends readonly unknown[]>(env: Env, loaders: { readonly [Index in keyof Values]: Settings<Values[Index]> }): Values {
  const problems = new Map<string, ConfigProblem>();
  const values: unknown[] = [];
  for (const loader of loaders as readonly Settings<unknown>[]) {
    try {
      values.push(loader.load(env));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const problem of error.problems) problems.set(`${problem.variable}\u0000${problem.message}`, problem);
      values.push(undefined);
    }
  }
  if (problems.size > 0) throw new ConfigError([...problems.values()]);
  return values as unknown as Values;
}

/** Every problem of a loader, or none: for reports that go on after a bad value (fleet doctor). */
export function settingsProblems(env: Env, loader: Settings<unknown>): ConfigProblem[] {
  try {
    loader.load(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}
