import type { ModelPrice } from './llm-config.js';

/** Token counts of one API response, cache fields included. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
}

/** Zero usage, for sums and the offline drafter. */
export const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };

/** Dollars for a usage at a model's prices (per million tokens), rounded to a millionth of a dollar. */
export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  const dollars =
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheWriteTokens * price.cacheWrite +
      usage.cacheReadTokens * price.cacheRead) /
    1_000_000;
  return Math.round(dollars * 1_000_000) / 1_000_000;
}

/** Add two usages. */
export function addUsage(left: TokenUsage, right: TokenUsage): TokenUsage {
  return {
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    cacheWriteTokens: left.cacheWriteTokens + right.cacheWriteTokens,
    cacheReadTokens: left.cacheReadTokens + right.cacheReadTokens,
  };
}

/**
 * What a request may cost at most, reserved against the budget before it is sent: its input
 * priced at the dearest input rate (a cache write; ≈4 characters a token) plus the full output
 * allowance. Settling with the real usage gives the difference back.
 */
export function estimateCostUsd(requestCharacters: number, maxTokens: number, price: ModelPrice): number {
  return costUsd(
    { inputTokens: 0, outputTokens: maxTokens, cacheWriteTokens: Math.ceil(requestCharacters / 4), cacheReadTokens: 0 },
    { ...price, cacheWrite: Math.max(price.cacheWrite, price.input) },
  );
}
