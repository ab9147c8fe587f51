import type { Logger } from 'pino';
import type { SignalHandler } from '../signals/signal-consumer.js';
import type { SignalEmitter } from '../signals/signal-emitter.js';
import type { SignalType } from '../signals/signal-type.js';
import type { Db } from '../db/db.js';
import type { Approvals } from '../approvals/approvals-service.js';
import type { ApprovalExecutor } from '../approvals/approval-worker.js';
import type { Channel } from '../channels/channel.js';
import type { Llm } from '../llm/llm.js';

/** The fleet's ten bots. */
export const BOT_NAMES = ['jbot', 'salesbot', 'mktgbot', 'opsbot', 'shipbot', 'contentbot', 'adsbot', 'socialbot', 'studiobot', 'sysbot'] as const;

/** What every job run and signal handler may touch. Later layers (llm, approvals, channels, connectors) extend it. */
export interface BotContext {
  bot: string;
  host: string;
  log: Logger;
  signals: SignalEmitter;
  abortSignal: AbortSignal;
  /** The brain seam, for core services; bot code goes through the typed services, never SQL. */
  db: Db;
  /** Ask a person to approve drafted work; the bot's executor for the action runs it once approved. */
  approvals: Approvals;
  /** The bot's own work-floor channel (Discord, or the local console). */
  channel: Channel;
  /** Claude (or the offline drafter), priced and capped; calls are recorded against this run. */
  llm: Llm;
}

/** A cron job as a bot declares it (the scheduler runs it; see the scheduler module). */
export interface JobDefinition {
  id: string;
  /** Cron expression (5 fields, or 6 with seconds). */
  schedule: string;
  /** IANA time zone; defaults to FLEET_TZ. */
  tz?: string;
  description?: string;
  timeoutMs?: number;
  /** A tick that finds the previous run still going: skip it (default) or queue it. */
  overlap?: 'skip' | 'queue';
  /** Ticks missed while down: leave a `missed` row (skip, default) or run once to catch up. */
  missed?: 'skip' | 'once';
  /** How long after its time a missed tick may still be caught up under `once`. */
  graceMs?: number;
  retries?: { count: number; backoffMs?: number };
  /** A frequent check whose uneventful runs are noise (fleet-monitor each minute): start and success log at debug; failures stay loud. */
  routine?: boolean;
  run(context: BotContext & JobRunInfo): Promise<unknown> | unknown;
}

/** Facts about one run of a job. */
export interface JobRunInfo {
  job: string;
  runId: string;
  scheduledFor: Date;
  attempt: number;
  manual: boolean;
  /** Stable for (bot, job, scheduled_for, attempt group): use it as the key of external side effects. */
  idempotencyKey: string;
}

/** A bot is a declaration: who it is, what it does on a schedule, and which signals it reacts to. */
export interface BotDefinition {
  name: string;
  purpose: string;
  /** Its Discord channel name, for people reading the work floor. */
  channel?: string;
  jobs?: JobDefinition[];
  /** signal_type → handler. */
  on?: Record<string, (signal: Parameters<SignalHandler>[0], context: BotContext) => Promise<void> | void>;
  /** action → what runs once a person approves it (ctx.approvals.request({ action, … })). Runs once per approval. */
  executors?: Record<string, ApprovalExecutor>;
  /** Extra signal types this bot emits beyond the core catalog. */
  signalTypes?: SignalType[];
  /**
   * The operator's instruction to this bot (a reply to its escalation, or a message jbot routed
   * here). Delivered at least once through the brain; the runtime acknowledges to the operator
   * and posts the work to the bot's channel. Return a short summary for the acknowledgement.
   * Without it the runtime still acknowledges and records the instruction.
   */
  onInstruction?: (instruction: OperatorInstruction, context: BotContext) => Promise<string | void> | string | void;
  /**
   * Long-lived services started with the bot (jbot's Telegram channel). Return a stop function;
   * it runs on shutdown before the bot's signals are released.
   */
  onStart?: (context: BotContext) => Promise<(() => Promise<void>) | void> | (() => Promise<void>) | void;
}

/** What a bot receives from the operator. */
export interface OperatorInstruction {
  text: string;
  /** The operator_messages row. */
  operatorMessageId: string;
  /** The escalated signal it answers, when it is a reply to one. */
  signalId: string | null;
  approvalId: string | null;
  /** The operator_instruction signal that carried it. */
  instructionSignalId: string;
  channel: 'telegram' | 'discord' | 'local';
  senderId: string;
}

/** Declare a bot; checks the declaration's shape so a typo fails at start-up, not at 08:30. */
export function defineBot<Definition extends BotDefinition>(definition: Definition): Definition {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) throw new Error(`Bot name "${definition.name}" must be lower-case letters, digits and dashes`);
  const jobIds = new Set<string>();
  for (const job of definition.jobs ?? []) {
    if (jobIds.has(job.id)) throw new Error(`Bot ${definition.name} declares job "${job.id}" twice`);
    jobIds.add(job.id);
  }
  return definition;
}
