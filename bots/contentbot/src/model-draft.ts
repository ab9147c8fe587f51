import { labelOffline, LlmOutputError, type BotContext, type LlmRequest } from '@jbot/core';
import type { z } from 'zod';

/** The label on a draft built from the template because the model's answer could not be used. */
export const TEMPLATE_FALLBACK_LABEL = "[template draft — the model's answer was unusable]";

/** A drafted value, and whether it came from the offline drafter or the template fallback. */
export interface ModelDraft<Value> {
  value: Value;
  offline: boolean;
  fallback: boolean;
}

/**
 * A structured model draft that never loses the work: when the model's JSON is still invalid
 * after the platform's one repair, the job's own template answers instead (logged, and labelled
 * by `labelDraft`), so the approval is still asked and the next run does not call again.
 * Budget caps and the kill switch still stop the call as the platform decides.
 */
export async function draftWithModel<Value>(
  context: Pick<BotContext, 'llm' | 'log'>,
  request: LlmRequest & { schema: z.ZodType<Value>; offline: () => Value },
): Promise<ModelDraft<Value>> {
  try {
    const result = await context.llm.structured(request);
    return { value: result.value, offline: result.offline, fallback: false };
  } catch (error) {
    if (!(error instanceof LlmOutputError)) throw error;
    context.log.warn({ err: error }, 'the model answered with unusable JSON; drafting from the template instead');
    return { value: request.offline(), offline: false, fallback: true };
  }
}

/** A title or text marked as the offline drafter's or the template fallback's, when it is. */
export function labelDraft(text: string, draft: Pick<ModelDraft<unknown>, 'offline' | 'fallback'>): string {
  if (draft.fallback) return `${TEMPLATE_FALLBACK_LABEL} ${text}`;
  return labelOffline(text, draft.offline).replace('\n', ' ');
}
