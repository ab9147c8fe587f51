import { execFile } from 'node:child_process';
import { loadCoreConfig, type CoreConfig } from '../config/core-config.js';
import { ConfigError } from '../config/config-error.js';
import { applyEnvFile } from '../config/env-file.js';
import { connectBrainWithRetry } from '../db/connect-brain-retry.js';
import { connectBrain } from '../db/connect-brain.js';
import { createLogger } from '../log/logger.js';
import { secretValuesFromEnv } from '../log/secret-values.js';
import { scrubString } from '../log/scrub-secrets.js';
import type { BotDefinition } from './define-bot.js';
import type { FleetMember } from './bot-context.js';
import type { Channel } from '../channels/channel.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../log/logger.js';
import type { SignalType } from '../signals/signal-type.js';
import { SignalRegistry } from '../signals/signal-type.js';
import { catalogSignalTypes } from '../signals/signal-catalog.js';
import { startBot } from './start-bot.js';
import { releaseVersion } from './release-version.js';
import { loadLlmConfig, type LlmConfig } from '../llm/llm-config.js';
import { parseBotSettings, type ParsedBotSettings } from './bot-settings.js';
import type { ContextExtension } from './context-extension.js';

/** What the fleet runner plugs in: the vendors and the roster live outside core. */
export interface RunBotProcessOptions {
  /**
   * The bot's work-floor channel (createChannel from @jbot/channels: Discord when DISCORD_TOKEN
   * is set, else the local console). Default: the local recording channel.
   */
  channel?: (dependencies: { db: Db; bot: string; log: Logger; name: string; env: NodeJS.ProcessEnv }) => Promise<Channel>;
  /** Every signal type of the fleet (the roster's), registered besides the runtime's own. */
  signalTypes?: readonly SignalType[];
  /** The roster, for ctx.fleet. */
  fleet?: readonly FleetMember[];
  /** Context extensions (connectors), their settings parsed with everything else. */
  extensions?: readonly ContextExtension<never>[];
}

/** Everything a bot process parses from its environment before it touches the brain. */
export interface BotProcessConfig {
  core: CoreConfig;
  llm: LlmConfig;
  settings: ParsedBotSettings;
  extensions: Array<{ extension: ContextExtension<never>; config: unknown }>;
}

/**
 * Parse a bot process's whole configuration — core, LLM, the bot's and every job's settings,
 * each extension's — collecting every problem into one ConfigError (`fleet doctor` uses the
 * same function, so what it reports is exactly what would stop the bot).
 */
export function loadBotProcessConfig(definition: BotDefinition, env: NodeJS.ProcessEnv, extensions: readonly ContextExtension<never>[] = []): BotProcessConfig {
  const problems: ConfigError['problems'][number][] = [];
  const attempt = <Value>(load: () => Value): Value | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const core = attempt(() => loadCoreConfig(env));
  const llm = attempt(() => loadLlmConfig(env));
  const settings = attempt(() => parseBotSettings(definition, env));
  const parsedExtensions = extensions.map((extension) => ({ extension, config: attempt(() => extension.settings.load(env)) }));
  if (problems.length > 0 || core === undefined || llm === undefined || settings === undefined) {
    const unique = new Map(problems.map((problem) => [`${problem.variable}\u0000${problem.message}`, problem]));
    throw new ConfigError([...unique.values()]);
  }
  return { core, llm, settings, extensions: parsedExtensions };
}

// EX_CONFIG: systemd's RestartPreventExitStatus=78 and the supervisor do not restart on it.
const EXIT_CONFIG = 78;

/**
 * The body of every bot process: read the env file, parse every setting once (a bad value exits
 * 78 naming each bad variable, so systemd does not restart in a loop on a typo), connect to the
 * brain, start the bot, and on SIGTERM/SIGINT finish or release in-flight work within the grace
 * period, mark the heartbeat stopped and close connections.
 */
export async function runBotProcess(definition: BotDefinition, options: RunBotProcessOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let parsed: BotProcessConfig;
  try {
    applyEnvFile(env);
    parsed = loadBotProcessConfig(definition, env, options.extensions);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${scrubString(error.message, secretValuesFromEnv(env))}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  const { core: config, llm } = parsed;
  const secrets = secretValuesFromEnv(env);
  const log = createLogger({ level: config.log.level, pretty: config.log.pretty, secrets, base: { bot: definition.name } });
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

  let brain;
  try {
    // A brain that is down at boot (failover, reboot before the network) is waited for, so the
    // unit heals itself instead of exhausting systemd's start limit; READY=1 only once connected.
    brain = await connectBrainWithRetry(config.brain, {
      log,
      applicationName: definition.name,
      secrets,
      onWait: (attempt, delayMs) => notifySystemdWaiting(env, attempt, delayMs),
    });
  } catch (error) {
    log.fatal({ err: error }, 'cannot connect to the brain');
    process.exitCode = 1;
    return;
  }
  // The channel handlers' own role (fleet_channels): an operator's click or tap is decided there,
  // never through the bot's role, which the brain refuses deciding.
  let channelsDb: Db | undefined;
  if (config.channelsBrain !== undefined) {
    try {
      channelsDb = (await connectBrain(config.channelsBrain, { applicationName: `${definition.name}:channels`, secrets })).db;
    } catch (error) {
      log.fatal({ err: error }, 'cannot connect to the brain as the channel handlers (CHANNELS_DATABASE_URL / SUPABASE_CHANNELS_TOKEN)');
      await brain.db.close();
      process.exitCode = 1;
      return;
    }
  }
  const member = options.fleet?.find((candidate) => candidate.name === definition.name);
  let channel: Channel | undefined;
  try {
    channel = await options.channel?.({ db: brain.db, bot: definition.name, log, name: definition.channel ?? member?.channel ?? `#${definition.name}`, env });
  } catch (error) {
    // A channel misconfiguration (DISCORD_CHANNEL_<BOT> missing…) is a config error: exit 78.
    if (error instanceof ConfigError) {
      log.fatal({ err: error }, error.message);
      await brain.db.close();
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  const db = brain.db;
  const extensions = Object.assign(
    {},
    ...parsed.extensions.map(({ extension, config: extensionConfig }) => extension.create({ db, log, config: extensionConfig as never })),
  ) as Record<string, unknown>;
  const registry = new SignalRegistry(catalogSignalTypes);
  for (const type of [...(options.signalTypes ?? []), ...(definition.signalTypes ?? [])]) if (!registry.has(type.type)) registry.register(type);
  const running = await startBot(definition, {
    db,
    ...(channelsDb === undefined ? {} : { channelsDb }),
    config,
    log,
    llm,
    registry,
    settings: parsed.settings,
    extensions,
    version: releaseVersion(),
    ...(options.fleet === undefined ? {} : { fleet: options.fleet }),
    ...(channel === undefined ? {} : { channel }),
  });
  notifySystemdReady(log, env);
  let shuttingDown = false;
  const shutdown = (reason: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ reason }, 'shutting down');
    // Hard stop if something hangs: the supervisor and systemd expect us gone within the grace period.
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 2000).unref();
    running
      .stop()
      .then(() => Promise.all([db.close(), channelsDb?.close()]))
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  // `on`, not `once`: Ctrl-C reaches a bot from the terminal and again from the supervisor (and tsx
  // relays it); a repeat must not fall back to the default action and kill the bot mid-shutdown.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/**
 * While waiting for the brain under systemd: show why in `systemctl status` and push the start
 * timeout (TimeoutStartSec) past the next attempt, so a long outage is waited out rather than
 * killed and counted against the start limit.
 */
function notifySystemdWaiting(env: NodeJS.ProcessEnv, attempt: number, delayMs: number): void {
  if (env['NOTIFY_SOCKET'] === undefined) return;
  const extendUsec = (delayMs + 30_000) * 1000;
  execFile(
    'systemd-notify',
    [`--status=waiting for the brain (attempt ${attempt})`, `EXTEND_TIMEOUT_USEC=${extendUsec}`],
    { env: { ...process.env, ...env } },
    () => {},
  );
}

/**
 * Under systemd (jbot@.service is Type=notify) say READY=1 once the bot is up: brain connected,
 * heartbeat written, scheduler and consumers running. Node cannot write to the unix datagram
 * socket itself, so systemd-notify sends it; it waits until systemd has processed the message,
 * which is what makes NotifyAccess=all reliable for a helper process that exits at once.
 */
function notifySystemdReady(log: Logger, env: NodeJS.ProcessEnv): void {
  if (env['NOTIFY_SOCKET'] === undefined) return;
  execFile('systemd-notify', ['--ready', '--status=running'], { env: { ...process.env, ...env } }, (error) => {
    if (error !== null) log.warn({ err: error }, 'systemd-notify --ready failed: systemd will time the start out (TimeoutStartSec) and restart the bot');
  });
}
