import { z } from 'zod';
import { envBoolean, envInteger, envNumber, optionalHttpUrl, optionalString, parseEnv, type Env } from '../config/env-parsing.js';
import type { ConfigProblem } from '../config/config-error.js';

/** A model's list prices in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

/** The model tiers a job chooses from. */
export type ModelTier = 'fast' | 'smart';

/** The LLM layer's configuration. */
export interface LlmConfig {
  /** Unset → the offline drafter (no request ever leaves the process). */
  apiKey: string | undefined;
  baseUrl: string | undefined;
  models: Record<ModelTier, string>;
  prices: Record<string, ModelPrice>;
  fleetDailyUsd: number;
  botDailyUsd: number;
  botBudgetsUsd: Record<string, number>;
  /** The SDK's own retries (429, 529, 5xx, honouring retry-after): at most maxRetries + 1 attempts. */
  maxRetries: number;
  timeoutMs: number;
  maxSteps: number;
  killSwitch: boolean;
}

/**
 * List prices (USD per million tokens, 5-minute cache writes) of the default and common models,
 * as published on platform.claude.com/pricing in November 2026. Prices change: check them and
 * override or add models with LLM_PRICES. (Haiku 5.5 bills prompts over 100k tokens at a higher
 * band; fleet jobs stay far below it.)
 */
export const DEFAULT_PRICES: Record<string, ModelPrice> = {
  'claude-haiku-5-5': { input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 },
  'claude-sonnet-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
  'claude-opus-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-1': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
};

/** The default model of each tier (current, not deprecated, in November 2026). */
export const DEFAULT_MODELS: Record<ModelTier, string> = { fast: 'claude-haiku-5-5', smart: 'claude-sonnet-5-5' };

const priceSchema = z.record(
  z.string(),
  z.object({ input: z.number().nonnegative(), output: z.number().nonnegative(), cacheWrite: z.number().nonnegative(), cacheRead: z.number().nonnegative() }),
);

/** The variables the LLM layer reads. */
export const llmEnvShape = {
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalHttpUrl,
  LLM_MODEL_FAST: optionalString,
  LLM_MODEL_SMART: optionalString,
  LLM_PRICES: optionalString,
  LLM_DAILY_BUDGET_USD: envNumber(5),
  LLM_BOT_DAILY_BUDGET_USD: envNumber(1),
  LLM_BOT_BUDGETS_USD: optionalString,
  LLM_MAX_RETRIES: envInteger(2, 0, 5),
  LLM_TIMEOUT_MS: envInteger(60_000, 1000, 600_000),
  LLM_MAX_STEPS: envInteger(8, 1, 50),
  LLM_KILL_SWITCH: envBoolean(false),
};

/** Parse the LLM configuration; every bad variable is named. */
export function loadLlmConfig(env: Env): LlmConfig {
  let prices: Record<string, ModelPrice> = { ...DEFAULT_PRICES };
  let botBudgetsUsd: Record<string, number> = {};
  const raw = parseEnv(llmEnvShape, env, (parsed) => {
    const problems: ConfigProblem[] = [];
    if (parsed.LLM_PRICES !== undefined) {
      try {
        prices = { ...prices, ...priceSchema.parse(JSON.parse(parsed.LLM_PRICES)) };
      } catch (error) {
        problems.push({
          variable: 'LLM_PRICES',
          message: `expected JSON like {"model-id":{"input":3,"output":15,"cacheWrite":3.75,"cacheRead":0.3}} (USD per million tokens): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        });
      }
    }
    if (parsed.LLM_BOT_BUDGETS_USD !== undefined) {
      const parsedBudgets = parseBudgets(parsed.LLM_BOT_BUDGETS_USD);
      if (typeof parsedBudgets === 'string') problems.push({ variable: 'LLM_BOT_BUDGETS_USD', message: parsedBudgets });
      else botBudgetsUsd = parsedBudgets;
    }
    const models = { fast: parsed.LLM_MODEL_FAST ?? DEFAULT_MODELS.fast, smart: parsed.LLM_MODEL_SMART ?? DEFAULT_MODELS.smart };
    for (const [tier, model] of Object.entries(models)) {
      if (prices[model] === undefined)
        problems.push({
          variable: tier === 'fast' ? 'LLM_MODEL_FAST' : 'LLM_MODEL_SMART',
          message: `has no price: add "${model}" to LLM_PRICES so its calls can be costed and capped`,
        });
    }
    return problems;
  });
  return {
    apiKey: raw.ANTHROPIC_API_KEY,
    baseUrl: raw.ANTHROPIC_BASE_URL,
    models: { fast: raw.LLM_MODEL_FAST ?? DEFAULT_MODELS.fast, smart: raw.LLM_MODEL_SMART ?? DEFAULT_MODELS.smart },
    prices,
    fleetDailyUsd: raw.LLM_DAILY_BUDGET_USD,
    botDailyUsd: raw.LLM_BOT_DAILY_BUDGET_USD,
    botBudgetsUsd,
    maxRetries: raw.LLM_MAX_RETRIES,
    timeoutMs: raw.LLM_TIMEOUT_MS,
    maxSteps: raw.LLM_MAX_STEPS,
    killSwitch: raw.LLM_KILL_SWITCH,
  };
}

/** A bot's daily cap: its own entry in LLM_BOT_BUDGETS_USD, else the default per-bot cap. */
export function botBudgetUsd(config: Pick<LlmConfig, 'botBudgetsUsd' | 'botDailyUsd'>, bot: string): number {
  return config.botBudgetsUsd[bot] ?? config.botDailyUsd;
}

// "salesbot=1.5,jbot=0.5" → { salesbot: 1.5, jbot: 0.5 }
function parseBudgets(text: string): Record<string, number> | string {
  const budgets: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const match = /^([a-z][a-z0-9-]*)\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (match === null) return `expected bot=dollars pairs separated by commas (salesbot=1.5,jbot=0.5); "${part}" is not one`;
    budgets[match[1] ?? ''] = Number(match[2]);
  }
  return budgets;
}
