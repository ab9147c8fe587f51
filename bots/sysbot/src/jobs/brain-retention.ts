import { envBoolean, envInteger } from '@jbot/core';
import type { BotContext, JobRunInfo } from '@jbot/core';

/**
 * Retention windows (days) per table, as db-health prunes them once a day. Defaults keep three
 * months of signals, posts and failed runs and a month of routine runs, delivered receipts and
 * sent Telegram lines; what is still needed is kept whatever its age (see prune_brain).
 */
export const brainRetentionShape = {
  BRAIN_RETENTION_ENABLED: envBoolean(true),
  BRAIN_RETENTION_SIGNAL_DAYS: envInteger(90, 1, 3650),
  BRAIN_RETENTION_RECEIPT_DAYS: envInteger(30, 1, 3650),
  BRAIN_RETENTION_RUN_DAYS: envInteger(30, 1, 3650),
  BRAIN_RETENTION_FAILED_RUN_DAYS: envInteger(90, 1, 3650),
  BRAIN_RETENTION_MESSAGE_DAYS: envInteger(90, 1, 3650),
  BRAIN_RETENTION_OUTBOX_DAYS: envInteger(30, 1, 3650),
  BRAIN_RETENTION_OUTPUT_DAYS: envInteger(90, 1, 3650),
} as const;

/** The parsed retention settings. */
export interface BrainRetentionConfig {
  BRAIN_RETENTION_ENABLED: boolean;
  BRAIN_RETENTION_SIGNAL_DAYS: number;
  BRAIN_RETENTION_RECEIPT_DAYS: number;
  BRAIN_RETENTION_RUN_DAYS: number;
  BRAIN_RETENTION_FAILED_RUN_DAYS: number;
  BRAIN_RETENTION_MESSAGE_DAYS: number;
  BRAIN_RETENTION_OUTBOX_DAYS: number;
  BRAIN_RETENTION_OUTPUT_DAYS: number;
}

/** What one day's pruning did (summed over its batches). */
export interface RetentionOutcome {
  ran: boolean;
  deleted: Record<string, number>;
  batches: number;
  complete: boolean;
}

// A complete pass this recent means today's pruning is done.
const ONCE_PER_MS = 20 * 3600_000;
// Each call deletes at most this many rows per table; calls repeat until a pass completes or the
// budget is spent (the next run carries on), so no transaction holds locks for long.
const BATCH = 20_000;
const BUDGET_MS = 30_000;

/** Prune the brain if today's pass is not done yet (two sysbots: prune_brain serialises them). */
export async function pruneBrainIfDue(context: BotContext & JobRunInfo, config: BrainRetentionConfig): Promise<RetentionOutcome> {
  const idle: RetentionOutcome = { ran: false, deleted: {}, batches: 0, complete: true };
  if (!config.BRAIN_RETENTION_ENABLED) return idle;
  const [last] = await context.db.rpc<{ ran_at: string; complete: boolean }>('last_brain_retention');
  if (last?.complete === true && Date.now() - Date.parse(last.ran_at) < ONCE_PER_MS) return idle;
  const deleted: Record<string, number> = {};
  const started = Date.now();
  let batches = 0;
  let complete = false;
  while (!complete && Date.now() - started < BUDGET_MS && !context.abortSignal.aborted) {
    const [row] = await context.db.rpc<Record<string, number | boolean>>('prune_brain', {
      p_signal_days: config.BRAIN_RETENTION_SIGNAL_DAYS,
      p_receipt_days: config.BRAIN_RETENTION_RECEIPT_DAYS,
      p_run_days: config.BRAIN_RETENTION_RUN_DAYS,
      p_failed_run_days: config.BRAIN_RETENTION_FAILED_RUN_DAYS,
      p_message_days: config.BRAIN_RETENTION_MESSAGE_DAYS,
      p_outbox_days: config.BRAIN_RETENTION_OUTBOX_DAYS,
      p_output_days: config.BRAIN_RETENTION_OUTPUT_DAYS,
      p_batch: BATCH,
    });
    batches += 1;
    complete = row?.['complete'] === true;
    for (const [key, value] of Object.entries(row ?? {})) if (key !== 'complete') deleted[key] = (deleted[key] ?? 0) + Number(value);
  }
  const total = Object.values(deleted).reduce((sum, value) => sum + value, 0);
  context.log.info(
    { deleted, batches, complete },
    `brain retention: ${total} old row${total === 1 ? '' : 's'} pruned${complete ? '' : ' so far (the next run continues)'}`,
  );
  return { ran: true, deleted, batches, complete };
}
