import type { z } from 'zod';
import { fingerprintOf, LlmOutputError, type BotContext, type JobRunInfo, type LlmRequest } from '@jbot/core';

/**
 * ⟳ for a job that also posts on change: core's `unlessUnchanged` compares with the run's one
 * fingerprint, which reportFindings already uses for the findings. This compares the model's
 * input with the `modelInput` fingerprint the last successful run kept in its detail instead.
 */
export async function unlessModelInputUnchanged<Value>(
  context: BotContext & JobRunInfo,
  input: unknown,
  draft: () => Promise<Value>,
): Promise<{ skipped: true; modelInput: string; earlier: Record<string, unknown> } | { skipped: false; modelInput: string; value: Value }> {
  const modelInput = fingerprintOf(input);
  const last = await context.lastRun();
  const earlier = (last?.result ?? null) as Record<string, unknown> | null;
  if (earlier !== null && earlier['modelInput'] === modelInput) return { skipped: true, modelInput, earlier };
  return { skipped: false, modelInput, value: await draft() };
}

/**
 * A structured model call whose unusable answer (JSON still invalid after the one repair) falls
 * back to the job's template instead of failing the run: the run's findings still stand, the
 * draft is labelled, and a half-hourly job does not call again and again on the same input.
 */
export async function structuredOrTemplate<Value>(
  context: Pick<BotContext, 'llm' | 'log'>,
  request: LlmRequest & { schema: z.ZodType<Value>; offline: () => Value },
): Promise<{ value: Value; offline: boolean; unusable: boolean }> {
  try {
    const result = await context.llm.structured<Value>(request);
    return { value: result.value, offline: result.offline, unusable: false };
  } catch (error) {
    if (!(error instanceof LlmOutputError)) throw error;
    context.log.warn({ err: error }, 'the model answer was unusable: the template stands in');
    return { value: request.offline(), offline: true, unusable: true };
  }
}
