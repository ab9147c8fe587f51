import { LlmOutputError, type BotContext, type LlmRequest } from '@jbot/core';
import type { z } from 'zod';

/** What a model call gave: its value, or the job's template when there was no model or its answer was unusable. */
export interface StructuredAnswer<T> {
  value: T;
  /** The offline drafter answered (no API key). */
  offline: boolean;
  /** The model answered with JSON that failed its schema even after the repair: the template stands in. */
  unusable: boolean;
}

/**
 * `llm.structured`, but a model whose JSON is still invalid after the one repair does not fail the
 * job: the same deterministic template the offline drafter uses stands in (the job labels it), and
 * the failure is logged. Budget refusals and transport errors still fail the run loudly.
 */
export async function structuredOrTemplate<T>(
  context: Pick<BotContext, 'llm' | 'log'>,
  request: LlmRequest & { schema: z.ZodType<T>; offline: () => T },
): Promise<StructuredAnswer<T>> {
  try {
    const result = await context.llm.structured(request);
    return { value: result.value, offline: result.offline, unusable: false };
  } catch (error) {
    if (!(error instanceof LlmOutputError)) throw error;
    context.log.warn({ err: error }, 'the model answered unusable JSON: the template stands in');
    return { value: request.offline(), offline: true, unusable: true };
  }
}
