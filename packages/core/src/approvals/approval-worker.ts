import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/db.js';
import { WakeLoop } from '../db/wake-loop.js';
import type { Channel } from '../channels/channel.js';
import type { BotContext } from '../bot/bot-context.js';
import { approvalFromRow, type Approval, type ApprovalRow } from './approval.js';
import { getApproval } from './approvals-service.js';
import { showApproval } from './show-approval.js';
import { DeadlineExceededError } from '../errors/deadline-error.js';
import { retryAfterOf, whenAborted } from '../errors/retry-later.js';

/** How long an approved action may run before it is aborted (APPROVAL_TIMEOUT_MS). */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 600_000;

/** What an executor gets besides the approval: the bot's context plus the key for side effects. */
export type ApprovalExecutionContext = BotContext & { approvalId: string; idempotencyKey: string };

/** Runs one approved action. Its return value (JSON) is stored as the result and shown on the message. */
export type ApprovalExecutor = (approval: Approval, context: ApprovalExecutionContext) => Promise<unknown> | unknown;

/** What the worker needs. */
export interface ApprovalWorkerOptions {
  db: Db;
  bot: string;
  channel: Channel;
  executors: Readonly<Record<string, ApprovalExecutor>>;
  context: (abortSignal: AbortSignal, log: Logger, run?: { job: string; runId: string }) => BotContext;
  log: Logger;
  /** Unique per process copy; two copies of a bot must not share it. */
  worker?: string;
  /** Poll backstop (NOTIFY wakes it sooner). Default 5 s. */
  pollMs?: number;
  /** How long a claim lasts before another copy may take over. Default 60 s. */
  leaseMs?: number;
  /** Attempts before a retry-later or crashed execution ends `failed` (a person may retry it). Default 3. */
  maxAttempts?: number;
  /** The executor's deadline: past it the action is aborted, then retried or failed. Default 10 min. */
  timeoutMs?: number;
  listen?: boolean;
  /** Called when an executor starts (the bench measures click → start). */
  onExecutionStart?: (approval: Approval) => void;
}

/**
 * The owning bot's approval loop. Each pass: expire what is overdue, bring messages up to date
 * (who decided), claim approved work (one copy wins each approval), run its executor once
 * under the approval's idempotency key, record the outcome and show it. It runs on start (so
 * decisions made while the bot was down are picked up), on NOTIFY, and on a poll.
 */
export class ApprovalWorker {
  readonly worker: string;
  private readonly options: ApprovalWorkerOptions;
  private readonly log: Logger;
  private readonly loop: WakeLoop;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(options: ApprovalWorkerOptions) {
    this.options = options;
    this.worker = options.worker ?? `${options.bot}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.log = options.log.child({ component: 'approvals' });
    this.loop = new WakeLoop({
      pass: () => this.pass(),
      pollMs: options.pollMs ?? 5000,
      log: this.log,
      failureMessage: 'approval pass failed; retrying on the next wake',
      listen:
        options.listen === false
          ? undefined
          : { db: options.db, channel: 'approvals', accept: (payload) => (JSON.parse(payload) as { bot?: string }).bot === options.bot },
    });
  }

  /** Start listening and polling, and run a first pass now. */
  async start(): Promise<void> {
    await this.loop.start();
  }

  /** Run a pass soon; passes never overlap (a wake during a pass runs one more). */
  wake(): void {
    this.loop.wake();
  }

  /** Wait for the current pass (tests, shutdown). */
  async idle(): Promise<void> {
    await this.loop.idle();
  }

  /** Stop waking; an executor in flight is aborted and finishes within the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    if (!(await this.loop.stop(graceMs))) this.abort.abort();
  }

  private async pass(): Promise<void> {
    const { db, bot } = this.options;
    await db.rpc('expire_approvals', { p_bot: bot });
    await this.renderAll();
    while (!this.stopped) {
      const claimed = await db.rpc<ApprovalRow>('claim_approval_execution', {
        p_bot: bot,
        p_worker: this.worker,
        p_lease_seconds: (this.options.leaseMs ?? 60_000) / 1000,
        p_limit: 1,
        p_max_attempts: this.options.maxAttempts ?? 3,
      });
      const [row] = claimed;
      if (row === undefined) break;
      await this.execute(approvalFromRow(row));
    }
    await this.renderAll();
  }

  private async execute(approval: Approval): Promise<void> {
    const { db, executors } = this.options;
    const log = this.log.child({ approvalId: approval.id, action: approval.action, attempt: approval.attempts });
    await this.render(approval);
    const executor = executors[approval.action];
    let outcome: ExecutionOutcome;
    if (executor === undefined) {
      outcome = { kind: 'failed', error: `${approval.bot} has no executor for action "${approval.action}"` };
    } else {
      this.options.onExecutionStart?.(approval);
      log.info(`executing approved action: ${approval.title}`);
      outcome = await this.runExecutor(approval, executor, log);
    }
    if (outcome.kind === 'deferred') {
      const [deferred] = await db.rpc<{ deferred: boolean; status: string; retry_at: string | null }>('defer_approval_execution', {
        p_approval_id: approval.id,
        p_worker: this.worker,
        p_retry_after_seconds: outcome.retryAfterMs / 1000,
        p_error: outcome.error,
      });
      if (deferred?.deferred === true) log.warn({ retryAt: deferred.retry_at, error: outcome.error }, 'approved action will be retried later');
      else log.warn({ status: deferred?.status }, 'lost the claim before handing it back; another copy owns the outcome');
    } else {
      const [finished] = await db.rpc<{ finished: boolean; status: string }>('finish_approval_execution', {
        p_approval_id: approval.id,
        p_worker: this.worker,
        p_succeeded: outcome.kind === 'succeeded',
        p_result: outcome.kind === 'succeeded' ? jsonSafe(outcome.result) : null,
        p_error: outcome.kind === 'failed' ? outcome.error : null,
      });
      if (finished?.finished !== true) log.warn({ status: finished?.status }, 'lost the claim before finishing; another copy owns the outcome');
    }
    const latest = await getApproval(db, approval.id);
    if (latest !== null) await this.render(latest);
  }

  /**
   * Run one executor under its deadline. The claim is renewed only while the execution is live:
   * once the deadline passes (or the bot stops) the executor is aborted and the pass moves on even
   * if its promise never settles, so a hung vendor call cannot hold the approval for ever.
   */
  private async runExecutor(approval: Approval, executor: ApprovalExecutor, log: Logger): Promise<ExecutionOutcome> {
    const { db } = this.options;
    const deadlineMs = this.options.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
    const leaseMs = this.options.leaseMs ?? 60_000;
    const execution = new AbortController();
    const onStop = () => execution.abort(new Error('the bot is stopping'));
    if (this.abort.signal.aborted) onStop();
    else this.abort.signal.addEventListener('abort', onStop, { once: true });
    const deadline = setTimeout(() => {
      execution.abort(
        new DeadlineExceededError(
          `${approval.bot} ${approval.action} (approval ${approval.id})`,
          deadlineMs,
          { bot: approval.bot, approvalId: approval.id, action: approval.action },
          Math.min(deadlineMs, 30_000),
        ),
      );
    }, deadlineMs);
    // Keep the claim alive while the executor runs, so a slow action is not taken over by
    // another copy; a lost claim is logged (the idempotency key still keeps side effects single).
    const keepAlive = setInterval(
      () => {
        if (execution.signal.aborted) return;
        db.rpc<{ extended: boolean }>('extend_approval_lease', { p_approval_id: approval.id, p_worker: this.worker, p_lease_seconds: leaseMs / 1000 })
          .then(([row]) => row?.extended === false && log.warn('lost the execution claim while running'))
          .catch((thrown: unknown) => log.warn({ err: thrown }, 'could not extend the execution claim'));
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      const context = {
        ...this.options.context(execution.signal, log, { job: `approval:${approval.action}`, runId: approval.id }),
        approvalId: approval.id,
        idempotencyKey: approval.idempotencyKey,
      };
      const result = await Promise.race([Promise.resolve().then(() => executor(approval, context)), whenAborted(execution.signal)]);
      return { kind: 'succeeded', result: result ?? null };
    } catch (thrown) {
      return this.classify(approval, thrown, log);
    } finally {
      clearTimeout(deadline);
      clearInterval(keepAlive);
      this.abort.signal.removeEventListener('abort', onStop);
    }
  }

  // A stop hands the approval back; "retry later" is retried while attempts remain; anything
  // else (or the last attempt) fails visibly, and a person can retry it.
  private classify(approval: Approval, thrown: unknown, log: Logger): ExecutionOutcome {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    const maxAttempts = this.options.maxAttempts ?? 3;
    if (this.abort.signal.aborted) {
      log.warn({ err: thrown }, 'the bot stopped while the approved action ran; handing it back');
      return { kind: 'deferred', retryAfterMs: 0, error: `attempt ${approval.attempts} was interrupted by a shutdown: ${message}` };
    }
    const retryAfterMs = retryAfterOf(thrown);
    if (retryAfterMs !== null && approval.attempts < maxAttempts) {
      log.warn({ err: thrown, retryAfterMs }, 'approved action must be retried later');
      return { kind: 'deferred', retryAfterMs: Math.max(1000, retryAfterMs), error: `attempt ${approval.attempts} of ${maxAttempts}: ${message}` };
    }
    log.error({ err: thrown }, 'approved action failed');
    return { kind: 'failed', error: retryAfterMs === null ? message : `attempt ${approval.attempts} of ${maxAttempts} (the last): ${message}` };
  }

  private async renderAll(): Promise<void> {
    const rows = await this.options.db.rpc<ApprovalRow>('approvals_to_render', { p_bot: this.options.bot });
    for (const row of rows) await this.render(approvalFromRow(row));
  }

  private async render(approval: Approval): Promise<void> {
    await showApproval(this.options.db, this.options.channel, approval).catch((error: unknown) =>
      this.log.error({ err: error, approvalId: approval.id }, 'could not update the approval message; retrying on the next pass'),
    );
  }
}

/** What one execution came to. */
type ExecutionOutcome = { kind: 'succeeded'; result: unknown } | { kind: 'failed'; error: string } | { kind: 'deferred'; error: string; retryAfterMs: number };

// Results go into jsonb: anything JSON cannot hold is stored as its string form.
function jsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return String(value);
  }
}
