import type { z } from 'zod';
import { fingerprintOf, LlmOutputError, type BotContext, type JobRunInfo, type LlmRequest } from '@jbot/core';

/**
 * ⟳ for a job that also posts on change: reportFindings keeps the run's fingerprint for the
 * findings, so the model's input is compared with the `modelInput` the last successful run kept
 * in its detail instead. Unchanged → no model call (the earlier draft, already asked, stands).
 */
export async function unlessModelInputUnchanged<Value>(
  context: BotContext & JobRunInfo,
  input: unknown,
  draft: () => Promise<Value>,
): Promise<{ skipped: true; modelInput: string } | { skipped: false; modelInput: string; value: Value }> {
  const modelInput = fingerprintOf(input);
  const last = await context.lastRun();
  const earlier = (last?.result ?? null) as Record<string, unknown> | null;
  const detail = (earlier?.['detail'] ?? earlier) as Record<string, unknown> | null;
  if (detail !== null && detail['modelInput'] === modelInput) return { skipped: true, modelInput };
  return { skipped: false, modelInput, value: await draft() };
}

/**
 * A structured model call whose unusable answer (JSON still invalid after the one repair) falls
 * back to the job's template instead of failing the run: the findings stand, the draft is labelled.
 */
export async function structuredOrTemplate<Value>(
  context: Pick<BotContext, 'llm' | 'log'>,
  request: LlmRequest & { schema: z.ZodType<Value>; offline: () => Value },
): Promise<{ value: Value; offline: boolean }> {
  try {
    const result = await context.llm.structured<Value>(request);
    return { value: result.value, offline: result.offline };
  } catch (error) {
    if (!(error instanceof LlmOutputError)) throw error;
    context.log.warn({ err: error }, 'the model answer was unusable: the template stands in');
    return { value: request.offline(), offline: true };
  }
}
