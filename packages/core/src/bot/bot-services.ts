import type { Logger } from 'pino';
import type { Db } from '../db/db.js';
import type { Channel } from '../channels/channel.js';
import { createLocalRecordingChannel } from '../channels/local-recording-channel.js';
import { withDetailPosts } from '../channels/signal-detail.js';
import { ChannelHealthBoard } from '../channels/channel-health.js';
import { createApprovals, type Approvals } from '../approvals/approvals-service.js';
import { catalogSignalTypes } from '../signals/signal-catalog.js';
import { createSignalEmitter, type SignalEmitter } from '../signals/signal-emitter.js';
import { SignalRegistry } from '../signals/signal-type.js';
import type { BotDefinition } from './define-bot.js';
import type { BotContext, FleetMember } from './bot-context.js';
import { createLlmService, type LlmRun, type LlmService } from '../llm/llm-service.js';
import { loadLlmConfig, type LlmConfig } from '../llm/llm-config.js';
import { bindToRun } from './run-binding.js';

/** What buildBotServices needs. */
export interface BotServicesOptions {
  db: Db;
  log: Logger;
  host: string;
  registry?: SignalRegistry;
  /** Default: the local channel, recorded in channel_messages and logged. */
  channel?: Channel;
  /** Default: no API key (the offline drafter) and the default caps; runBotProcess passes the env's. */
  llm?: LlmConfig;
  /** The clock that decides the LLM budget day (tests). */
  now?: () => Date;
  /** The bot's parsed settings (`ctx.config`); default none. */
  config?: Readonly<Record<string, unknown>>;
  /** The fleet roster (`ctx.fleet`); default just this bot. */
  fleet?: readonly FleetMember[];
  /**
   * Fields other packages add to every context, built once per process (`connectors` from
   * @jbot/connectors): the typed flavours of BotContext.
   */
  extensions?: Readonly<Record<string, unknown>>;
}

/** The per-bot services every job, handler and executor shares. */
export interface BotServices {
  registry: SignalRegistry;
  channel: Channel;
  signals: SignalEmitter;
  approvals: Approvals;
  llm: LlmService;
  /** The process's channel connections (the heartbeat reads it). */
  channelHealth: ChannelHealthBoard;
  /**
   * A context for one run or delivery: its own abort signal and child logger over the shared
   * services; `run` names the job and run its LLM calls are recorded against.
   */
  context(abortSignal: AbortSignal, log: Logger, run?: Pick<LlmRun, 'job' | 'runId'>): BotContext;
}

/**
 * Build a bot's services once: the registry (core catalog plus the bot's own types), its channel,
 * the signal emitter that also posts each new signal's detail to that channel (design §4 Routing),
 * and approvals. startBot uses it, and so do tests that run a job or handler directly, so a new
 * context field is added in one place.
 */
export function buildBotServices(definition: Pick<BotDefinition, 'name' | 'channel' | 'actions' | 'signalTypes'>, options: BotServicesOptions): BotServices {
  const { db, host } = options;
  const log = options.log;
  const registry = options.registry ?? new SignalRegistry(catalogSignalTypes);
  for (const type of definition.signalTypes ?? []) if (!registry.has(type.type)) registry.register(type);
  const fleet = options.fleet ?? [{ name: definition.name, channel: definition.channel ?? `#${definition.name}`, purpose: '' }];
  const config = options.config ?? {};
  const channel = options.channel ?? createLocalRecordingChannel({ db, bot: definition.name, target: definition.channel ?? `#${definition.name}`, log });
  const rawSignals = createSignalEmitter({ db, registry, bot: definition.name });
  const signals = withDetailPosts(rawSignals, {
    channel,
    bot: definition.name,
    log,
    defaultSeverity: (signalType) => registry.get(signalType).defaultSeverity,
  });
  // The approval message itself is the work-floor post, so its announcement skips the detail post.
  const approvals = createApprovals({ db, bot: definition.name, channel, log, actions: definition.actions ?? [], signals: rawSignals });
  const llm = createLlmService({
    db,
    bot: definition.name,
    config: options.llm ?? loadLlmConfig({}),
    signals,
    log,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const channelHealth = new ChannelHealthBoard();
  const workFloorHealth = channel.health?.bind(channel);
  if (workFloorHealth !== undefined) channelHealth.report(channel.kind, workFloorHealth);
  return {
    registry,
    channel,
    signals,
    approvals,
    llm,
    channelHealth,
    context: (abortSignal, childLog, run) =>
      ({
        // Extension fields bind to this run where they can (ctx.connectors: this run's abortSignal).
        ...bindToRun(options.extensions, { abortSignal, log: childLog }),
        bot: definition.name,
        host,
        log: childLog,
        signals,
        abortSignal,
        db,
        approvals,
        channel,
        fleet,
        config,
        channelHealth,
        llm: llm.forRun({ job: run?.job ?? null, runId: run?.runId ?? null, log: childLog, abortSignal }),
      }) as BotContext,
  };
}
