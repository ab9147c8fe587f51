import { runOnce, type BotContext, type OperatorInstruction } from '@jbot/core';
import { jobStale } from './signals.js';

// "run it", "retry", "re-run now": the operator asks for the stale job to be run now.
const RERUN = /\b(re-?run|retry|run (it|now|again)|kick)\b/i;

interface RunRow {
  [column: string]: unknown;
  scheduled_for: string;
  status: string;
  error: string | null;
}

/**
 * sysbot's answer to the operator's reply on one of its escalations. A stale job: "run it" asks
 * its bot to run it now (once per reply, however often the reply is redelivered); anything else
 * explains the finding with the job's latest runs, so the operator sees why it was raised.
 */
export async function answerOperator(instruction: OperatorInstruction, context: BotContext): Promise<string> {
  if (instruction.signalId === null) return 'reply to one of my alerts (a stale job, a stuck approval) and I will explain it or act on it';
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return `signal ${instruction.signalId} is no longer in the brain; nothing to act on`;
  if (signal['signal_type'] === jobStale.type) {
    const payload = jobStale.schema.parse(signal['payload']);
    const target = `${payload.bot}/${payload.job}`;
    if (RERUN.test(instruction.text) && payload.kind !== 'unhosted') {
      const requested = await runOnce(context.db, { key: `sysbot:rerun:${instruction.operatorMessageId}`, bot: context.bot }, async () => {
        const [row] = await context.db.rpc<{ run_id: string }>('request_manual_run', {
          p_bot: payload.bot,
          p_job: payload.job,
          p_requested_by: `operator:${instruction.senderId}`,
        });
        return { runId: row?.run_id ?? null };
      });
      const runId = (requested.result as { runId?: string | null } | null)?.runId ?? 'pending';
      return `${requested.ran ? 'asked' : 'already asked'} ${payload.bot} to run ${payload.job} now (run ${runId}); the next cron-gap-watch shows whether it succeeded`;
    }
    const runs = await context.db.rpc<RunRow>('list_cron_runs', { p_bot: payload.bot, p_job: payload.job, p_limit: 3 });
    const recent =
      runs.length === 0
        ? 'no runs recorded'
        : runs
            .map((run) => `${new Date(run.scheduled_for).toISOString()} ${run.status}${run.error === null ? '' : ` (${run.error.slice(0, 120)})`}`)
            .join('; ');
    const why =
      payload.kind === 'stale'
        ? `no scheduled success for ${payload.ticks_missed} ticks of ${payload.schedule ?? 'its schedule'} (last success ${payload.last_success_at ?? 'never'})`
        : payload.kind === 'slow'
          ? `its p95 run time ${Math.round((payload.p95_ms ?? 0) / 1000)} s is close to its ${Math.round((payload.timeout_ms ?? 0) / 1000)} s timeout`
          : `no live host lists it: deploy ${payload.bot} with this job (fleet status shows where it runs)`;
    return `${target}: ${why}. Latest runs: ${recent}.${payload.kind === 'unhosted' ? '' : ' Reply "run it" and I will ask the bot to run it now.'}`;
  }
  return `noted — ${String(signal['signal_type'])} (${String(signal['severity'])}): ${JSON.stringify(signal['payload']).slice(0, 400)}`;
}
