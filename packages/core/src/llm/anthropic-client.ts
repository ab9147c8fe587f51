import type Anthropic from '@anthropic-ai/sdk';
import type { LlmConfig } from './llm-config.js';

/** The slice of the SDK client the runtime uses. */
export type MessagesClient = Pick<Anthropic, 'messages'>;

/**
 * The Anthropic SDK client, imported on first use so a bot that never calls a model (or runs
 * offline) does not pay for loading it. Retries are the SDK's own: 429, 529 and 5xx with
 * exponential backoff honouring retry-after, at most `maxRetries` of them — no loop on top.
 */
export async function createAnthropicClient(
  config: Pick<LlmConfig, 'apiKey' | 'baseUrl' | 'maxRetries' | 'timeoutMs'>,
): Promise<Pick<Anthropic, 'messages' | 'models'>> {
  const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
  return new AnthropicClient({
    apiKey: config.apiKey ?? null,
    ...(config.baseUrl === undefined ? {} : { baseURL: config.baseUrl }),
    maxRetries: config.maxRetries,
    timeout: config.timeoutMs,
  });
}
