import { loadCoreConfig } from '../config/core-config.js';
import { ConfigError } from '../config/config-error.js';
import { connectBrain } from '../db/connect-brain.js';
import { createLogger } from '../log/logger.js';
import { secretValuesFromEnv } from '../log/secret-values.js';
import { scrubString } from '../log/scrub-secrets.js';
import type { BotDefinition } from './define-bot.js';
import type { Channel } from '../channels/channel.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../log/logger.js';
import { startBot } from './start-bot.js';
import { releaseVersion } from './release-version.js';
import { loadLlmConfig } from '../llm/llm-config.js';
import { execFile } from 'node:child_process';

/**
 * The body of every bot's src/main.ts: load config, connect to the brain, start the bot, and
 * on SIGTERM/SIGINT finish or release in-flight work within the grace period, mark the
 * heartbeat stopped and close connections. A bad config exits 78 (EX_CONFIG) so systemd
 * does not restart in a loop on a typo.
 */
/** What a bot's main.ts may plug in: the vendors live outside core. */
export interface RunBotProcessOptions {
  /**
   * The bot's work-floor channel from the env (createChannel from @jbot/channels: Discord when
   * DISCORD_TOKEN is set, else the local console). Default: the local recording channel.
   */
  channel?: (dependencies: { db: Db; bot: string; log: Logger; name: string; env: NodeJS.ProcessEnv }) => Promise<Channel>;
}

export async function runBotProcess(definition: BotDefinition, options: RunBotProcessOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const secrets = secretValuesFromEnv(env);
  let config;
  let llm;
  try {
    config = loadCoreConfig(env);
    llm = loadLlmConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${scrubString(error.message, secrets)}\n`);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger({ level: config.log.level, pretty: config.log.pretty, secrets, base: { bot: definition.name } });
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

  let brain;
  try {
    brain = await connectBrain(config.brain, { applicationName: definition.name, secrets });
  } catch (error) {
    log.fatal({ err: error }, 'cannot connect to the brain');
    process.exitCode = 1;
    return;
  }
  let channel: Channel | undefined;
  try {
    channel = await options.channel?.({ db: brain.db, bot: definition.name, log, name: definition.channel ?? `#${definition.name}`, env });
  } catch (error) {
    // A channel misconfiguration (DISCORD_CHANNEL_<BOT> missing…) is a config error: exit 78.
    if (error instanceof ConfigError) {
      log.fatal({ err: error }, error.message);
      await brain.db.close();
      process.exit(78);
    }
    throw error;
  }
  const running = await startBot(definition, { db: brain.db, config, log, llm, version: releaseVersion(), ...(channel === undefined ? {} : { channel }) });
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
      .then(() => brain.db.close())
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
