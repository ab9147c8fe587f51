import { getApproval, LLM_KILL_SWITCH_KEY, retryApproval, runOnce, type BotContext, type OperatorInstruction } from '@jbot/core';
import { approvalExecutionIssue, brainDegraded, channelDown, jobStale, llmAnomaly } from './signals.js';
import { answerChannelDown } from './channel-down-reply.js';
import { answerFleetOpsSignal } from './fleet-ops-replies.js';

// "run it", "retry", "re-run now": the operator asks for the stale job to be run now.
const RERUN = /\b(re-?run|retry|run (it|now|again)|kick)\b/i;
// "retry", "try again": the operator asks for a failed approval to be executed again.
const RETRY = /\b(retry|try (it )?again|re-?execute)\b/i;
// "kill switch", "stop the llm": the operator stops every model call in the fleet (drafts fall back to templates).
const KILL_SWITCH = /\b(kill[- ]?switch|stop (all |the )?(llm|model|ai)( calls)?)\b/i;

interface RunRow {
  [column: string]: unknown;
  scheduled_for: string;
  status: string;
  error: string | null;
}

/**
 * sysbot's answer to the operator's reply on one of its escalations. A stale job: "run it" asks
 * its bot to run it now (once per reply, however often the reply is redelivered); anything else
 * explains the finding with the job's latest runs, so the operator sees why it was raised. An
 * approval issue: "retry" retries a failed approval (the ledger repeats nothing already done);
 * anything else explains it with the approval's current state. An LLM anomaly: "kill switch"
 * turns the fleet's LLM kill switch on (core has no per-job switch yet); anything else explains it.
 * A brain problem: the finding, and the same check read again now (so "is it still bad?" has an answer).
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
  if (signal['signal_type'] === approvalExecutionIssue.type)
    return answerApprovalIssue(approvalExecutionIssue.schema.parse(signal['payload']), instruction, context);
  if (signal['signal_type'] === llmAnomaly.type) return answerLlmAnomaly(llmAnomaly.schema.parse(signal['payload']), instruction, context);
  if (signal['signal_type'] === brainDegraded.type) return answerBrainDegraded(brainDegraded.schema.parse(signal['payload']), context);
  if (signal['signal_type'] === channelDown.type) return answerChannelDown(channelDown.schema.parse(signal['payload']), context);
  const fleetOpsAnswer = await answerFleetOpsSignal(signal, instruction, context);
  if (fleetOpsAnswer !== null) return fleetOpsAnswer;
  return `noted — ${String(signal['signal_type'])} (${String(signal['severity'])}): ${JSON.stringify(signal['payload']).slice(0, 400)}`;
}

async function answerApprovalIssue(
  payload: ReturnType<typeof approvalExecutionIssue.schema.parse>,
  instruction: OperatorInstruction,
  context: BotContext,
): Promise<string> {
  if (payload.approval_id === null)
    return `${payload.detail ?? `effect ${payload.effect_key ?? '?'}`}: no approval allowed it. Find who ran it (the key is ${payload.effect_key ?? '?'} in ${payload.ledger ?? 'the ledger'}) and undo it at the vendor; sysbot cannot undo it`;
  const approval = await getApproval(context.db, payload.approval_id);
  if (approval === null) return `approval ${payload.approval_id} is no longer in the brain; nothing to act on`;
  const name = `${approval.bot} ${approval.action} ${approval.id.slice(0, 8)} "${approval.title}"`;
  if (RETRY.test(instruction.text)) {
    const retried = await retryApproval(context.db, { approvalId: approval.id, retriedBy: `operator:${instruction.senderId}` });
    return `${name}: ${retried.reason}`;
  }
  const state = [
    `now ${approval.status}`,
    approval.decidedBy === null
      ? null
      : `decided by ${approval.decidedBy}${approval.decidedAt === null ? '' : ` at ${new Date(approval.decidedAt).toISOString()}`}`,
    `${approval.attempts} attempt${approval.attempts === 1 ? '' : 's'}`,
    approval.error === null ? null : `last error: ${approval.error.slice(0, 200)}`,
  ].filter((part) => part !== null);
  const next =
    approval.status === 'failed'
      ? ' Reply "retry" and its bot runs it again (nothing already done is repeated).'
      : payload.kind === 'stuck'
        ? ` Check that ${approval.bot} is running (fleet status); it picks the approval up when it is.`
        : '';
  return `${name} — ${payload.kind}: ${payload.detail ?? ''}. ${state.join(', ')}.${next}`;
}

async function answerLlmAnomaly(payload: ReturnType<typeof llmAnomaly.schema.parse>, instruction: OperatorInstruction, context: BotContext): Promise<string> {
  const target = `${payload.bot}/${payload.job}`;
  if (KILL_SWITCH.test(instruction.text)) {
    await context.db.rpc('set_fleet_setting', {
      p_key: LLM_KILL_SWITCH_KEY,
      p_value: { enabled: true },
      p_updated_by: `operator:${instruction.senderId} via sysbot`,
    });
    return `LLM kill switch on for the whole fleet (because of ${target}): no model calls until \`pnpm fleet llm on\`; drafts fall back to labelled templates`;
  }
  const why =
    payload.kind === 'steps'
      ? `run ${payload.run_id ?? '?'} made ${payload.run_calls ?? '?'} model calls in one hour`
      : `${payload.tokens_hour} tokens in the hour from ${payload.hour_start ?? '?'} against a busiest hour of ${payload.baseline} over its history`;
  return `${target}: ${why}, $${payload.cost_usd.toFixed(4)}. The daily cap still stops it at the limit. Reply "kill switch" to stop every model call in the fleet now.`;
}

// What to do about each brain check.
const BRAIN_ADVICE: Record<string, string> = {
  size: 'prune old rows (cron_runs, channel_messages, llm_usage) or move to a larger plan',
  connections: 'lower DATABASE_POOL_MAX per bot or use the Supabase session pooler',
  long_query: 'find it in pg_stat_activity and cancel it with pg_cancel_backend(pid) if it is stuck',
  pending_receipts: 'check that the consuming bots run (`pnpm fleet status`); they drain the backlog when they do',
  oldest_pending: 'check that the consuming bots run (`pnpm fleet status`); they drain the backlog when they do',
  dead_letters: '`pnpm fleet signals` shows the deliveries that gave up and their errors',
};

async function answerBrainDegraded(payload: ReturnType<typeof brainDegraded.schema.parse>, context: BotContext): Promise<string> {
  const [now] = await context.db.rpc<{
    database_bytes: number;
    connections: number;
    max_connections: number;
    pending_receipts: number;
    long_queries: number;
    dead_receipts: number;
  }>('brain_health', {
    p_long_query_seconds: payload.check === 'long_query' ? payload.threshold : 300,
    p_dead_since: new Date(Date.now() - 86_400_000).toISOString(),
  });
  const current =
    now === undefined
      ? ''
      : ` Now: ${Math.round(Number(now.database_bytes) / 1048576)} MB, ${now.connections} of ${now.max_connections} connections, ${now.long_queries} long quer${now.long_queries === 1 ? 'y' : 'ies'}, ${now.pending_receipts} deliveries waiting, ${now.dead_receipts} dead in 24 h.`;
  return `brain ${payload.check}: ${payload.detail ?? `${payload.value} against ${payload.threshold}`}.${current} What to do: ${BRAIN_ADVICE[payload.check] ?? 'see fleet status'}.`;
}
