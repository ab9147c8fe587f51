import type { Logger } from 'pino';
import type { CoreConfig } from '../config/core-config.js';
import type { Db } from '../db/db.js';
import { SignalConsumer, type SignalHandler } from '../signals/signal-consumer.js';
import type { SignalRegistry } from '../signals/signal-type.js';
import type { BotDefinition } from './define-bot.js';
import type { FleetMember } from './bot-context.js';
import { parseBotSettings, type ParsedBotSettings } from './bot-settings.js';
import type { ApprovalExecutor } from '../approvals/approval-worker.js';
import { buildBotServices } from './bot-services.js';
import type { LlmConfig } from '../llm/llm-config.js';
import { startHeartbeat, type Heartbeat } from './heartbeat.js';
import { instructionHandler } from './operator-instruction.js';
import { JobScheduler } from '../scheduler/job-scheduler.js';
import type { Channel } from '../channels/channel.js';
import { ApprovalWorker, type ApprovalWorkerOptions } from '../approvals/approval-worker.js';
import { decideApproval } from '../approvals/decide-approval.js';
import { retryApproval } from '../approvals/retry-approval.js';
import { createHostMetricsReader } from '../health/host-metrics.js';

/** What a running bot needs, passed in (never module singletons) so tests can run several bots in one process. */
export interface StartBotOptions {
  db: Db;
  /** Where the channel handlers decide an operator's click or tap (role fleet_channels); default `db`. */
  channelsDb?: Db;
  config: Pick<CoreConfig, 'hostId' | 'signals' | 'heartbeatIntervalMs' | 'shutdownGraceMs' | 'timeZone' | 'approvalTimeoutMs' | 'hostMetrics'> & {
    scheduler?: Partial<
      Pick<
        import('../scheduler/job-scheduler.js').JobSchedulerOptions,
        'leaseMs' | 'checkIntervalMs' | 'missedAfterMs' | 'lookbackMs' | 'toleranceMs' | 'clock'
      >
    >;
  };
  log: Logger;
  version?: string;
  /** Defaults to the core catalog plus the bot's own types. */
  registry?: SignalRegistry;
  /**
   * The bot's work-floor channel (createChannel from @jbot/channels: Discord when DISCORD_TOKEN
   * is set). Default: the local channel, recorded in channel_messages and logged.
   */
  channel?: Channel;
  /** LLM models, prices and caps; default offline (no API key). runBotProcess passes the env's. */
  llm?: LlmConfig;
  /** The clock of the LLM budget day (tests). */
  now?: () => Date;
  /** The bot's parsed settings (runBotProcess parses them once from the env); default: parsed from an empty env. */
  settings?: ParsedBotSettings;
  /** The fleet roster (`ctx.fleet`; jbot routes by it). */
  fleet?: readonly FleetMember[];
  /** Fields other packages add to every context (`connectors`), built once per process. */
  extensions?: Readonly<Record<string, unknown>>;
  /** Approval loop tuning (tests shorten the poll and lease). */
  approvals?: Partial<Pick<ApprovalWorkerOptions, 'pollMs' | 'leaseMs' | 'maxAttempts' | 'timeoutMs' | 'worker' | 'onExecutionStart'>>;
}

/** A running bot. */
export interface RunningBot {
  name: string;
  heartbeat: Heartbeat;
  consumer: SignalConsumer;
  scheduler: JobScheduler;
  registry: SignalRegistry;
  channel: Channel;
  approvals: ApprovalWorker;
  /** Finish or release in-flight work within the grace period, mark the heartbeat stopped. */
  stop(): Promise<void>;
}

/** Start a bot: heartbeats, signal subscriptions and delivery. */
export async function startBot(definition: BotDefinition, options: StartBotOptions): Promise<RunningBot> {
  const { db, config } = options;
  const log = options.log.child({ bot: definition.name });
  const member = options.fleet?.find((candidate) => candidate.name === definition.name);
  const purpose = definition.purpose ?? member?.purpose ?? definition.name;
  const named = { ...definition, channel: definition.channel ?? member?.channel ?? `#${definition.name}` };
  const settings = options.settings ?? parseBotSettings(definition, {});
  const services = buildBotServices(named, {
    config: settings.bot,
    ...(options.fleet === undefined ? {} : { fleet: options.fleet }),
    ...(options.extensions === undefined ? {} : { extensions: options.extensions }),
    db,
    log,
    host: config.hostId,
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.channel === undefined ? {} : { channel: options.channel }),
    ...(options.llm === undefined ? {} : { llm: options.llm }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const { registry, channel, signals } = services;
  const baseContext = services.context;

  const handlers = new Map<string, SignalHandler>();
  // Every bot takes the operator's instructions addressed to it (see operator-instruction.ts).
  type Handler = (signal: Parameters<SignalHandler>[0], context: ReturnType<typeof baseContext>) => Promise<void> | void;
  const subscriptions = new Map<string, Handler>();
  // A wildcard handler (jbot's routing) takes every registered type the bot does not handle itself.
  if (definition.onEvery !== undefined) {
    const except = new Set(['operator_instruction', ...(definition.onEvery.except ?? [])]);
    for (const type of registry.list()) if (!except.has(type.type)) subscriptions.set(type.type, definition.onEvery.handle as Handler);
  }
  for (const [signalType, handler] of Object.entries(definition.on ?? {})) if (handler !== undefined) subscriptions.set(signalType, handler as Handler);
  subscriptions.set('operator_instruction', instructionHandler(definition) as Handler);
  for (const [signalType, handler] of subscriptions) {
    registry.get(signalType); // unknown subscription types fail at start-up
    handlers.set(signalType, (signal, handlerContext) =>
      handler(signal, baseContext(handlerContext.abortSignal, handlerContext.log, { job: `on:${signalType}`, runId: signal.id })),
    );
  }

  // Validates every job's schedule before the bot reports itself up.
  const scheduler = new JobScheduler({
    db,
    bot: definition.name,
    host: config.hostId,
    jobs: settings.jobs,
    log,
    signals,
    context: baseContext,
    defaultTimeZone: config.timeZone,
    listen: db.transport === 'postgres',
    ...config.scheduler,
  });

  const heartbeat = await startHeartbeat({
    db,
    bot: definition.name,
    host: config.hostId,
    version: options.version ?? '0.1.0',
    intervalMs: config.heartbeatIntervalMs,
    log,
    hostMetrics: createHostMetricsReader(config.hostMetrics),
    // The jobs with their resolved schedules, so the fleet's watchers (sysbot's cron-gap-watch) know
    // what each bot owes without loading its code.
    detail: () => ({
      // Each channel connection's liveness (sysbot's channel-liveness and `fleet status` read it).
      channels: services.channelHealth.snapshot(),
      subscriptions: [...handlers.keys()],
      jobs: settings.jobs.map((job) => job.id),
      schedules: settings.jobs.map((job) => ({
        id: job.id,
        schedule: job.schedule,
        tz: job.tz ?? config.timeZone,
        ...(job.timeoutMs === undefined ? {} : { timeoutMs: job.timeoutMs }),
      })),
    }),
  });
  const consumer = new SignalConsumer({
    db,
    registry,
    bot: definition.name,
    log,
    handlers,
    pollMs: config.signals.pollMs,
    leaseMs: config.signals.leaseMs,
    maxAttempts: config.signals.maxAttempts,
    concurrency: config.signals.concurrency,
    ...(config.signals.handlerTimeoutMs === undefined ? {} : { handlerTimeoutMs: config.signals.handlerTimeoutMs }),
    listen: db.transport === 'postgres',
    worker: `${config.hostId}:${process.pid}`,
  });
  // Decided approvals are picked up here on start, then on NOTIFY and on the poll.
  const approvalWorker = new ApprovalWorker({
    db,
    bot: definition.name,
    channel,
    executors: executorsOf(definition),
    context: baseContext,
    log,
    listen: db.transport === 'postgres',
    ...(config.approvalTimeoutMs === undefined ? {} : { timeoutMs: config.approvalTimeoutMs }),
    ...options.approvals,
  });
  await consumer.start();
  await scheduler.start();
  await approvalWorker.start();
  // Clicks on this bot's approval buttons arrive on its own channel connection.
  await channel.start?.({
    async decide(click) {
      if (click.decision === 'retry') {
        const retried = await retryApproval(options.channelsDb ?? db, { approvalId: click.approvalId, retriedBy: click.decidedBy });
        if (retried.retried) approvalWorker.wake();
        return { decided: retried.retried, reason: retried.reason };
      }
      const outcome = await decideApproval(options.channelsDb ?? db, {
        approvalId: click.approvalId,
        decision: click.decision,
        decidedBy: click.decidedBy,
        decidedVia: channel.kind,
      });
      if (outcome.decided) approvalWorker.wake();
      return { decided: outcome.decided, reason: outcome.reason };
    },
  });
  // Long-lived services record their LLM calls under job `service`.
  const stopService = await definition.onStart?.(baseContext(new AbortController().signal, log, { job: 'service', runId: `${config.hostId}:${process.pid}` }), {
    db: options.channelsDb ?? db,
  });
  log.info({ subscriptions: consumer.signalTypes, jobs: settings.jobs.map((job) => job.id) }, `${definition.name} is up: ${purpose}`);

  let stopped: Promise<void> | undefined;
  return {
    name: definition.name,
    heartbeat,
    consumer,
    scheduler,
    registry,
    channel,
    approvals: approvalWorker,
    stop() {
      stopped ??= (async () => {
        await heartbeat.beat('stopping').catch(() => {});
        await stopService?.().catch((error: unknown) => log.error({ err: error }, 'a bot service failed to stop cleanly'));
        await Promise.all([consumer.stop(config.shutdownGraceMs), scheduler.stop(config.shutdownGraceMs), approvalWorker.stop(config.shutdownGraceMs)]);
        await channel.close().catch((error: unknown) => log.error({ err: error }, 'the channel failed to close cleanly'));
        await heartbeat.stop('stopped');
        log.info('stopped');
      })();
      return stopped;
    },
  };
}

// Each action's executor gets its draft parsed with the schema the request was checked against.
function executorsOf(definition: BotDefinition): Record<string, ApprovalExecutor> {
  return Object.fromEntries(
    (definition.actions ?? []).map((action) => [
      action.name,
      ((approval, context) => action.execute(action.draft.parse(approval.draft), context, approval)) satisfies ApprovalExecutor,
    ]),
  );
}
