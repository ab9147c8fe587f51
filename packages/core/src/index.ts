// @jbot/core — the public surface. Commonly used first, then building blocks, then internals
// that the CLI and testkit need.

// Bots
export {
  defineBot,
  defineJob,
  type BotDefinition,
  type BotContext,
  type ContextWith,
  type JobDefinition,
  type ResolvedJob,
  type JobRunInfo,
  type OperatorInstruction,
  type FleetMember,
  type SignalHandlerOf,
  type SignalHandlers,
  type ChannelServices,
} from './bot/define-bot.js';
export { defineContextExtension, type ContextExtension } from './bot/context-extension.js';
export { parseBotSettings, type ParsedBotSettings } from './bot/bot-settings.js';
export { startBot, type RunningBot, type StartBotOptions } from './bot/start-bot.js';
export { runBotProcess, loadBotProcessConfig, type RunBotProcessOptions, type BotProcessConfig } from './bot/run-bot-process.js';

// Job building blocks (the catalogue's conventions)
export { reportFindings, unlessUnchanged, type FindingsReport } from './jobs/report-findings.js';
export { jobOutcome, isJobOutcome, NOTHING_TO_REPORT, type JobOutcome } from './jobs/job-outcome.js';
export { readLastRun, fingerprintOf, type LastRun } from './jobs/last-run.js';
export { buildBotServices, type BotServices, type BotServicesOptions } from './bot/bot-services.js';
export { bindToRun, type RunBindable, type RunBinding } from './bot/run-binding.js';
export { runOnce, type RunOnceOutcome } from './bot/run-once.js';
export { releaseVersion } from './bot/release-version.js';
export { ServiceLease, type ServiceLeaseOptions } from './bot/service-lease.js';
export { startHeartbeat, readFleetHeartbeats, type Heartbeat, type HeartbeatStatus, type FleetHeartbeat } from './bot/heartbeat.js';

// The operator's replies from outside Telegram (CLI, dashboard)
export { replyToSignal, type ReplyToSignalInput, type ReplyToSignalResult } from './operator/reply-to-signal.js';

// Signals
export { defineSignalType, SignalRegistry, type SignalType, type SignalPayloads, type PayloadOf } from './signals/signal-type.js';
export { catalogSignalTypes, jobFailed, jobMissed, budgetExceeded, botNote, operatorInstruction, approvalRequested } from './signals/signal-catalog.js';
export { SEVERITIES, atLeast, compareSeverity, type Severity } from './signals/severity.js';
export { createSignalEmitter, type SignalEmitter } from './signals/signal-emitter.js';
export { SignalConsumer, type SignalHandler, type SignalHandlerContext, type SignalConsumerOptions } from './signals/signal-consumer.js';
export { UnknownSignalTypeError, SignalPayloadError } from './signals/signal-errors.js';
export type { Signal, EmitOptions, EmitResult } from './signals/signal.js';

// Config and logs
export { loadCoreConfig, coreEnvShape, repositoryRoot, type CoreConfig, type BrainTarget } from './config/core-config.js';
export { parseEnv, optionalString, optionalHttpUrl, envBoolean, envInteger, envNumber, envList, timeZone, type Env } from './config/env-parsing.js';
export { ConfigError, type ConfigProblem } from './config/config-error.js';
export { envSettings, settingsFrom, loadAllSettings, settingsProblems, type Settings, type SettingsOf } from './config/settings.js';
export { applyEnvFile, envFilePath, parseEnvFile, readEnvFile } from './config/env-file.js';
export { createLogger, type Logger, type LoggerOptions } from './log/logger.js';
export { secretValuesFromEnv } from './log/secret-values.js';
export { scrubString, scrubValue, REDACTED } from './log/scrub-secrets.js';
export { serializeError } from './log/serialize-error.js';
export { printableText } from './log/printable-text.js';
export { withSecretsScrubbed } from './db/secret-scrubbing-db.js';
export { FleetError } from './errors/fleet-error.js';
export { retryAfterOf, whenAborted, type RetryLater } from './errors/retry-later.js';
export { DeadlineExceededError } from './errors/deadline-error.js';
export { probeFailure, type ServiceProbe } from './health/service-probe.js';
export { createHostMetricsReader, type HostMetricsReader, type HostMetrics, type HostMetricsPaths, type HostUnitState } from './health/host-metrics.js';

// The brain
export type { Db, Listener, Row } from './db/db.js';
export { createPostgresDb, rpcStatement, type PostgresDbOptions } from './db/postgres-db.js';
export { createSupabaseDb, type SupabaseDbOptions } from './db/supabase-db.js';
export { connectBrain, assertMigrated, type Brain } from './db/connect-brain.js';
export { connectBrainWithRetry, isTransientBrainError, type BrainRetryOptions } from './db/connect-brain-retry.js';
export { migrate, listMigrations, migrationsDirectory, type MigrationResult } from './db/migrate.js';
export { BrainCallError, BrainConnectionError, BrainNoRowError } from './db/brain-error.js';
export { rpcOne } from './db/rpc-one.js';
export { WakeLoop, settlesWithin, type WakeLoopOptions } from './db/wake-loop.js';
export { ensureEmbeddedPostgres, embeddedUrl, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded/embedded-postgres.js';

// Scheduler
export { JobScheduler, type JobSchedulerOptions } from './scheduler/job-scheduler.js';
export { validateJobSchedule, nextTick, previousTick, ticksBetween } from './scheduler/cron-expression.js';
export { ScheduleError } from './scheduler/schedule-error.js';
export type { SchedulerClock, SchedulerClockOption } from './scheduler/scheduler-clock.js';
export { downOnPurpose, type LifecycleEvent } from './scheduler/deliberate-downtime.js';

// Channels and approvals (Discord work floor; the vendors live in @jbot/channels)
export {
  createLocalRecordingChannel,
  recordChannelMessage,
  recordChannelMessageEdit,
  messageText,
  messageBody,
  signalDetailMessage,
  withDetailPosts,
  splitText,
  ChannelLiveness,
  ChannelHealthBoard,
} from './channels/index.js';
export type {
  Channel,
  ChannelMessage,
  ChannelField,
  ChannelButton,
  ChannelKind,
  PostedMessage,
  ChannelInbound,
  ApprovalClick,
  ApprovalClickOutcome,
  OutboundRecord,
  ChannelHealth,
  LivenessClock,
  LocalRecordingChannelOptions,
  SignalDetailInput,
} from './channels/index.js';
export {
  defineAction,
  ApprovalDraftError,
  decideApproval,
  decisionReason,
  createApprovals,
  getApproval,
  listApprovals,
  ApprovalWorker,
  approvalMessage,
  statusLine,
  summariseResult,
  showApproval,
  approvalFromRow,
  isApprovalId,
  APPROVAL_STATUSES,
  DEFAULT_APPROVAL_EXPIRY_MS,
  UnknownApprovalActionError,
  ApprovalError,
  retryApproval,
  DEFAULT_APPROVAL_TIMEOUT_MS,
} from './approvals/index.js';
export type {
  Approval,
  ApprovalRow,
  ApprovalStatus,
  DecideApprovalInput,
  DecideApprovalResult,
  Approvals,
  ApprovalRequest,
  RequestedApproval,
  ApprovalWorkerOptions,
  ApprovalExecutor,
  ApprovalExecutionContext,
  ActionDefinition,
  RetryApprovalResult,
} from './approvals/index.js';

// LLM (Anthropic tool-use runtime, priced ledger, hard budgets, offline drafter)
export {
  createLlmService,
  loadLlmConfig,
  llmEnvShape,
  botBudgetUsd,
  DEFAULT_PRICES,
  DEFAULT_MODELS,
  LLM_KILL_SWITCH_KEY,
  BudgetExceededError,
  LlmKillSwitchError,
  LlmOutputError,
  costUsd,
  estimateCostUsd,
  NO_USAGE,
  readConnectorTool,
  emitSignalTool,
  requestApprovalTool,
  workspaceTools,
  botWorkspaceDirectory,
  runScriptTool,
  OFFLINE_LABEL,
  offlineText,
  labelOffline,
  probeAnthropic,
  systemBlocks,
  toolDefinitions,
  userContent,
  fenceData,
} from './llm/index.js';
export type {
  Llm,
  AnyLlmTool,
  LlmRequest,
  LlmResult,
  LlmTool,
  ToolStep,
  UntrustedText,
  LlmService,
  LlmServiceOptions,
  LlmRun,
  LlmConfig,
  ModelPrice,
  ModelTier,
  TokenUsage,
} from './llm/index.js';
