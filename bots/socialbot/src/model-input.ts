import { fingerprintOf, type BotContext, type JobRunInfo } from '@jbot/core';

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
