import type { Signal } from '../signals/signal.js';
import type { SignalPayloads, SignalType } from '../signals/signal-type.js';
import type { ActionDefinition } from '../approvals/define-action.js';
import type { Settings } from '../config/settings.js';
import type { BotContext, JobRunInfo, OperatorInstruction } from './bot-context.js';
import type { Db } from '../db/db.js';

/** What a bot's channel services get besides their context. */
export interface ChannelServices {
  /** The channel handlers' connection (role fleet_channels where configured, else the bot's own). */
  db: Db;
}

export type { BotContext, JobRunInfo, OperatorInstruction, FleetMember } from './bot-context.js';

/** A context whose `config` is typed with the given settings. */
export type ContextWith<Config> = Omit<BotContext, 'config'> & { config: Config };

/** A cron job as a bot declares it (the scheduler runs it; see the scheduler module). */
export interface JobDefinition<Config = Readonly<Record<string, unknown>>> {
  id: string;
  /** Cron expression (5 fields, or 6 with seconds); a function when a setting decides the time. */
  schedule: string | ((config: Config) => string);
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
  /** The job's own settings (thresholds), parsed once at start-up with the bot's, checked by `fleet doctor`. */
  settings?: Settings<Config>;
  run(context: ContextWith<Config> & JobRunInfo): Promise<unknown> | unknown;
}

/** A job after start-up: its schedule resolved from its parsed settings. */
export type ResolvedJob = Omit<JobDefinition, 'schedule'> & { schedule: string };

/** Declare a job; its `settings` type its `ctx.config`. */
export function defineJob<Config = Readonly<Record<string, unknown>>>(job: JobDefinition<Config>): JobDefinition {
  return job as unknown as JobDefinition;
}

/** A handler of one catalogued signal type: the payload arrives parsed with the type's schema. */
export type SignalHandlerOf<Type extends keyof SignalPayloads, Context = BotContext> = (
  signal: Signal<SignalPayloads[Type]> & { type: Type },
  context: Context,
) => Promise<void> | void;

/** signal type → handler, keyed by the catalogued types (a typo is a type error). */
export type SignalHandlers<Context = BotContext> = { [Type in keyof SignalPayloads]?: SignalHandlerOf<Type, Context> };

/** A bot is a declaration: what it does on a schedule, which signals it reacts to, what it may be approved to do. */
export interface BotDefinition<Config = Readonly<Record<string, unknown>>> {
  name: string;
  /** Purpose and channel come from the fleet roster; a definition may set them (tests, one-off bots). */
  purpose?: string;
  channel?: string;
  /** The bot's own settings, parsed once at start-up; `ctx.config` in its handlers and executors. */
  settings?: Settings<Config>;
  jobs?: readonly JobDefinition[];
  /** signal_type → handler. */
  on?: SignalHandlers<ContextWith<Config>>;
  /**
   * A handler for every signal type registered in the process, except those listed and those in
   * `on` (jbot's routing: every signal → the operator's rules).
   */
  onEvery?: { except?: readonly string[]; handle(signal: Signal, context: ContextWith<Config>): Promise<void> | void };
  /** The approval actions this bot executes once a person approves (`ctx.approvals.request({ action, … })`). */
  actions?: readonly ActionDefinition[];
  /** Signal types this bot introduces (its `signals.ts`); the roster registers every bot's types in every process. */
  signalTypes?: readonly SignalType[];
  /**
   * The operator's instruction to this bot (a reply to its escalation, or a message jbot routed
   * here). Delivered at least once through the brain; the runtime acknowledges to the operator
   * and posts the work to the bot's channel. Return a short summary for the acknowledgement.
   */
  onInstruction?: (instruction: OperatorInstruction, context: ContextWith<Config>) => Promise<string | void> | string | void;
  /**
   * Long-lived services started with the bot (jbot's Telegram channel). Return a stop function.
   * `channels.db` carries the operator's decisions (role fleet_channels): only a channel handler's
   * Approve tap and the operator chats' registration go through it, never a job.
   */
  onStart?: (context: ContextWith<Config>, channels: ChannelServices) => Promise<(() => Promise<void>) | void> | (() => Promise<void>) | void;
}

/**
 * Declare a bot; checks the declaration's shape so a typo fails at start-up, not at 08:30.
 * Pure: nothing is read from the environment until the runtime parses `settings`.
 */
export function defineBot<Config = Readonly<Record<string, unknown>>>(definition: BotDefinition<Config>): BotDefinition {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) throw new Error(`Bot name "${definition.name}" must be lower-case letters, digits and dashes`);
  const jobIds = new Set<string>();
  for (const job of definition.jobs ?? []) {
    if (jobIds.has(job.id)) throw new Error(`Bot ${definition.name} declares job "${job.id}" twice`);
    jobIds.add(job.id);
  }
  const actions = new Set<string>();
  for (const action of definition.actions ?? []) {
    if (actions.has(action.name)) throw new Error(`Bot ${definition.name} declares action "${action.name}" twice`);
    actions.add(action.name);
  }
  return definition as unknown as BotDefinition;
}
