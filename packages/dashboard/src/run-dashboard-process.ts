import { execFile } from 'node:child_process';
import { applyEnvFile, ConfigError, connectBrain, createLogger, loadCoreConfig, loadLlmConfig, scrubString, secretValuesFromEnv } from '@jbot/core';
import { loadDashboardConfig } from './dashboard-config.js';
import { startDashboard } from './dashboard-server.js';

/** Exit status for a bad configuration (EX_CONFIG): the supervisor and systemd do not restart it. */
export const EXIT_CONFIG = 78;

/**
 * The body of the dashboard process (`jbot@dashboard` under systemd, one more child of `pnpm
 * start`): parse its settings (a bad one exits 78 naming the variable), connect to the brain as
 * its own client, serve, print the URL, and stop cleanly on SIGTERM/SIGINT. A crash or a slow
 * query here touches no bot: they share only the database.
 */
export async function runDashboardProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let core;
  let config;
  try {
    applyEnvFile(env);
    core = loadCoreConfig(env);
    config = loadDashboardConfig(env);
    loadLlmConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`dashboard: ${scrubString(error.message, secretValuesFromEnv(env))}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  const secrets = secretValuesFromEnv(env);
  const log = createLogger({ level: core.log.level, pretty: core.log.pretty, secrets, base: { bot: 'dashboard' } });
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  let brain;
  try {
    brain = await connectBrain(core.brain, { applicationName: 'jbot-dashboard', secrets });
  } catch (error) {
    log.fatal({ err: error }, 'cannot connect to the brain');
    process.exitCode = 1;
    return;
  }
  let dashboard;
  try {
    dashboard = await startDashboard({ db: brain.db, config, env, log, heartbeatIntervalMs: core.heartbeatIntervalMs, brainKind: core.brain.kind });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A port in use or an address this host does not have: restarting would only repeat it.
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
      const variable = code === 'EADDRNOTAVAIL' ? 'DASHBOARD_HOST' : 'DASHBOARD_PORT';
      process.stderr.write(
        `dashboard: cannot listen on ${config.host}:${config.port} (${code}): set ${variable} to ${variable === 'DASHBOARD_PORT' ? 'a free port (another fleet may hold this one)' : 'an address of this host'}\n`,
      );
      await brain.db.close();
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  log.info({ url: dashboard.url, readOnly: config.readOnly, listening: dashboard.hints.listening }, `dashboard: ${dashboard.url}`);
  notifySystemdReady(env);
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'dashboard stopping');
    setTimeout(() => process.exit(1), 5000).unref();
    dashboard
      .stop()
      .then(() => brain.db.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'error while stopping the dashboard');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

// jbot@.service is Type=notify: say READY=1 once serving (systemd-notify, as the bots do).
function notifySystemdReady(env: NodeJS.ProcessEnv): void {
  if (env['NOTIFY_SOCKET'] === undefined) return;
  execFile('systemd-notify', ['--ready', '--status=serving'], { env: { ...process.env, ...env } }, () => {});
}
