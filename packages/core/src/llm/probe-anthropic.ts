import { probeFailure, type ServiceProbe } from '../health/service-probe.js';
import { createAnthropicClient } from './anthropic-client.js';
import type { LlmConfig } from './llm-config.js';

/** Whether the API key works, and which models it may use (through the SDK's models list). */
export async function probeAnthropic(config: Pick<LlmConfig, 'apiKey' | 'baseUrl'>): Promise<ServiceProbe & { models?: string[] }> {
  // One attempt with a short timeout: a doctor reports, it does not wait out retries.
  const client = await createAnthropicClient({ ...config, maxRetries: 0, timeoutMs: 10_000 });
  try {
    const models: string[] = [];
    for await (const model of client.models.list({ limit: 1000 })) models.push(model.id);
    return { ok: true, detail: `${models.length} models available`, models };
  } catch (error) {
    return probeFailure(error);
  }
}
