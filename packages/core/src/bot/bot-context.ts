import type { Logger } from 'pino';
import type { SignalEmitter } from '../signals/signal-emitter.js';
import type { Db } from '../db/db.js';
import type { Approvals } from '../approvals/approvals-service.js';
import type { Channel } from '../channels/channel.js';
import type { Llm } from '../llm/llm.js';
import type { LastRun } from '../jobs/last-run.js';
import type { ChannelHealthBoard } from '../channels/channel-health.js';

/** A member of the fleet as the roster lists it: who it is, where it posts, what it is for. */
export interface FleetMember {
  name: string;
  /** Its Discord channel name (#sales-bot). */
  channel: string;
  purpose: string;
}

/**
 * What every job run, signal handler and executor may touch. Packages outside core add fields
 * the way grammY's flavours do: @jbot/connectors augments it with `connectors`, built once per
 * process by the runtime.
 */
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
  /** The fleet's roster (names, channels, purposes): routing and the LLM router read it. */
  fleet: readonly FleetMember[];
  /** The bot's parsed settings (and, in a job run, the job's own on top). */
  config: Readonly<Record<string, unknown>>;
  /** This process's channel connections as its heartbeat reports them (jbot adds its Telegram inbox). */
  channelHealth: ChannelHealthBoard;
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
  /** The job's last successful run (its result, fingerprint), for post-on-change and skip-if-unchanged. */
  lastRun: () => Promise<LastRun | null>;
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
