import { describe, expect, it } from 'vitest';
import { botBudgetUsd, ConfigError, costUsd, DEFAULT_MODELS, DEFAULT_PRICES, estimateCostUsd, loadLlmConfig } from '@jbot/core';

function problems(env: Record<string, string>): Array<[string, string]> {
  try {
    loadLlmConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => [problem.variable, problem.message]);
  }
  return [];
}

describe('LLM configuration and prices', () => {
  it('defaults: offline (no key), a fast and a smart model that both have prices, SDK retries 2, caps in dollars', () => {
    const config = loadLlmConfig({});
    expect(config).toMatchObject({ apiKey: undefined, models: DEFAULT_MODELS, maxRetries: 2, fleetDailyUsd: 5, botDailyUsd: 1, killSwitch: false });
    expect(DEFAULT_PRICES[config.models.fast]).toBeDefined();
    expect(DEFAULT_PRICES[config.models.smart]).toBeDefined();
  });

  it('per-bot caps from LLM_BOT_BUDGETS_USD, else the default per-bot cap', () => {
    const config = loadLlmConfig({ LLM_BOT_BUDGETS_USD: 'salesbot=1.5, jbot=0.5', LLM_BOT_DAILY_BUDGET_USD: '0.25', LLM_DAILY_BUDGET_USD: '3' });
    expect([botBudgetUsd(config, 'salesbot'), botBudgetUsd(config, 'jbot'), botBudgetUsd(config, 'adsbot'), config.fleetDailyUsd]).toEqual([1.5, 0.5, 0.25, 3]);
  });

  it('LLM_PRICES adds or overrides models; a model without a price cannot be configured', () => {
    const config = loadLlmConfig({ LLM_MODEL_SMART: 'claude-next', LLM_PRICES: '{"claude-next":{"input":4,"output":20,"cacheWrite":5,"cacheRead":0.4}}' });
    expect(config.models.smart).toBe('claude-next');
    expect(config.prices['claude-next']).toEqual({ input: 4, output: 20, cacheWrite: 5, cacheRead: 0.4 });
    expect(config.prices['claude-sonnet-4-5']).toEqual({ input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 });
    expect(problems({ LLM_MODEL_FAST: 'claude-unpriced' })).toEqual([
      ['LLM_MODEL_FAST', 'has no price: add "claude-unpriced" to LLM_PRICES so its calls can be costed and capped'],
    ]);
  });

  it('every bad variable is named, with what to write instead', () => {
    const malformed = problems({ LLM_MAX_RETRIES: '9', LLM_DAILY_BUDGET_USD: 'lots', LLM_KILL_SWITCH: 'maybe', ANTHROPIC_BASE_URL: 'not a url' });
    expect(malformed.map(([variable]) => variable).sort()).toEqual(['ANTHROPIC_BASE_URL', 'LLM_DAILY_BUDGET_USD', 'LLM_KILL_SWITCH', 'LLM_MAX_RETRIES']);
    const found = problems({ LLM_PRICES: '{"x":{"input":"cheap"}}', LLM_BOT_BUDGETS_USD: 'salesbot:1' });
    expect(found.map(([variable]) => variable).sort()).toEqual(['LLM_BOT_BUDGETS_USD', 'LLM_PRICES']);
    expect(Object.fromEntries(found)['LLM_BOT_BUDGETS_USD']).toMatch(/salesbot=1\.5,jbot=0\.5/);
    expect(Object.fromEntries(found)['LLM_PRICES']).toMatch(/USD per million tokens/);
  });

  it('cost arithmetic: per-million prices for each token kind; the reserve covers the worst case', () => {
    const sonnet = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };
    // 1,000 plain + 2,000 written + 10,000 read input tokens and 500 output tokens.
    expect(costUsd({ inputTokens: 1000, cacheWriteTokens: 2000, cacheReadTokens: 10_000, outputTokens: 500 }, sonnet)).toBe(0.021); // $0.003 + $0.0075 + $0.003 + $0.0075
    // 4,000 characters ≈ 1,000 tokens, all priced as a cache write, plus the whole output allowance.
    expect(estimateCostUsd(4000, 1024, sonnet)).toBeCloseTo((1000 * 3.75 + 1024 * 15) / 1_000_000, 9);
  });
});
