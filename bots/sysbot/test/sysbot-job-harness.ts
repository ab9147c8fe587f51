import pino from 'pino';
import { buildBotServices, readLastRun, type BotContext, type Db, type JobDefinition, type OperatorInstruction } from '@jbot/core';
import { createConnectors } from '@jbot/connectors';
import { sysbot } from '../src/bot.js';

const silent = pino({ level: 'silent' });

/** What a test run of one sysbot job answers. */
export interface JobRunResult {
  outcome: string;
  fingerprint: string;
  detail: Record<string, unknown>;
}

/**
 * Run one sysbot job as the scheduler would (a claimed cron_runs row, its result recorded so the
 * next run sees the last fingerprint), with the connectors built from `env` (sample company by default).
 */
export async function runSysbotJob(
  db: Db,
  job: JobDefinition,
  options: { scheduledFor: Date; env?: Record<string, string>; manual?: boolean; connectorsEnv?: Record<string, string>; simulatedTick?: boolean },
): Promise<JobRunResult> {
  if (options.simulatedTick === true) return runUnclaimed(db, job, options);
  const [claim] = await db.rpc<{ run_id: string; claimed: boolean; reason: string }>('claim_cron_run', {
    p_bot: 'sysbot',
    p_job: job.id,
    p_scheduled_for: options.scheduledFor.toISOString(),
    p_host: 'vps-1',
    p_pid: 1,
  });
  // One run per tick, as in production: a test that reuses a tick is a mistake in the test.
  if (claim?.claimed !== true) throw new Error(`${job.id} at ${options.scheduledFor.toISOString()} was not claimed (${claim?.reason ?? 'no row'})`);
  const runId = claim.run_id;
  const context = buildBotServices(sysbot, {
    db,
    log: silent,
    host: 'vps-1',
    extensions: { connectors: createConnectors({ db, env: options.connectorsEnv ?? {} }) },
  }).context(new AbortController().signal, silent, { job: job.id, runId });
  const settings = (job as unknown as { settings?: { load(env: Record<string, string>): unknown } }).settings;
  const result = (await (job.run as (context: unknown) => Promise<unknown>)({
    ...context,
    config: settings?.load(options.env ?? {}) ?? {},
    job: job.id,
    runId,
    scheduledFor: options.scheduledFor,
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: runId,
    lastRun: () => readLastRun(db, 'sysbot', job.id, options.scheduledFor),
  })) as JobRunResult;
  await db.rpc('record_cron_run_result', { p_run_id: runId, p_result: {}, p_outcome: result.outcome, p_fingerprint: result.fingerprint });
  await db.rpc('finish_cron_run', { p_run_id: runId, p_status: 'succeeded' });
  return result;
}

// A tick the brain would not let this clock claim (ahead of it, as bench day's simulated clock runs): run without a cron_runs row.
async function runUnclaimed(
  db: Db,
  job: JobDefinition,
  options: { scheduledFor: Date; env?: Record<string, string>; connectorsEnv?: Record<string, string> },
): Promise<JobRunResult> {
  const runId = crypto.randomUUID();
  const context = buildBotServices(sysbot, {
    db,
    log: silent,
    host: 'vps-1',
    extensions: { connectors: createConnectors({ db, env: options.connectorsEnv ?? {} }) },
  }).context(new AbortController().signal, silent, { job: job.id, runId });
  const settings = (job as unknown as { settings?: { load(env: Record<string, string>): unknown } }).settings;
  return (await (job.run as (context: unknown) => Promise<unknown>)({
    ...context,
    config: settings?.load(options.env ?? {}) ?? {},
    job: job.id,
    runId,
    scheduledFor: options.scheduledFor,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => null,
  })) as JobRunResult;
}

/** sysbot's context for a handler or reply (connectors on the sample company). */
export function sysbotContext(db: Db): BotContext {
  return buildBotServices(sysbot, { db, log: silent, host: 'vps-1', extensions: { connectors: createConnectors({ db, env: {} }) } }).context(
    new AbortController().signal,
    silent,
    { job: 'test', runId: 't' },
  );
}

/** The operator's reply to a signal. */
export function replyTo(signalId: string, text = 'what now?'): OperatorInstruction {
  return { text, operatorMessageId: `m-${signalId}`, signalId, approvalId: null, instructionSignalId: 'i', channel: 'telegram', senderId: '42' };
}
