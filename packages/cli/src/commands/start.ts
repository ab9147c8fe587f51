import { createPostgresDb, ensureEmbeddedPostgres, loadCoreConfig, migrate } from '@jbot/core';
import { loadSampleCompany } from '@jbot/connectors';
import { loadDashboardConfig } from '@jbot/dashboard';
import { defineCommand } from '../command.js';
import { botsOption } from '../option-values.js';
import { prettyOutput, supervisorIo } from '../supervisor/console-output.js';
import { formatLogLine, jsonLogLine } from '../supervisor/log-line.js';
import { startOperatorConsole } from '../supervisor/operator-console.js';
import { bundleBots, bundleDirectoryIn } from '../supervisor/bundle-bots.js';
import { DASHBOARD_PROCESS, startSupervisor } from '../supervisor/supervisor.js';
import { acquireSupervisorLock } from '../supervisor/supervisor-lock.js';
import { brainRoleOf, CHANNELS_ROLE, ensureLocalRolePasswords, localRoleEnv, OPERATOR_ROLE, rolePasswordsFile } from '../brain-roles.js';

const COLORS = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];
const colorFor = (bot: string, enabled: boolean) => (text: string) => {
  if (!enabled) return text;
  const index = [...bot].reduce((sum, character) => sum + character.charCodeAt(0), 0) % COLORS.length;
  return `\u001b[${COLORS[index]}m${text}\u001b[0m`;
};

/** `fleet start` (what `pnpm start` runs): the brain, migrations, and the bots under a local supervisor. */
export const startCommand = defineCommand({
  name: 'start',
  summary: 'run the fleet locally: embedded Postgres, migrations, ten bot processes (Ctrl-C stops all)',
  options: {
    bots: { type: 'string', value: 'a,b,…', description: 'run only these bots (default: all ten)' },
    'from-source': { type: 'boolean', description: 'run the bots through tsx instead of bundling them first' },
    'no-dashboard': { type: 'boolean', description: 'do not start the dashboard (http://127.0.0.1:4680 by default)' },
  },
  keepsControls: true, // colours bot names; formatLogLine makes the bots' lines printable
  details:
    "This terminal is the local Telegram: jbot's lines and the bots' acknowledgements show here, and a line you type is your reply to the latest one (`2 follow up on both`).",
  async run({ values }, terminal) {
    const bots = botsOption(values.bots);
    const pretty = prettyOutput(terminal.env, process.stdout.isTTY === true);
    const io = supervisorIo(terminal, pretty);
    const config = loadCoreConfig(io.env);
    const childEnv: NodeJS.ProcessEnv = { ...io.env, LOG_PRETTY: 'false' };
    let stopDatabase = async () => {};
    let envFor: ((processName: string) => NodeJS.ProcessEnv) | undefined;
    // One supervisor per data directory: a second `pnpm start` refuses, naming the first.
    const lock = acquireSupervisorLock(config.dataDir, { bots });
    process.once('exit', () => lock.release());

    io.out('JBOT Fleet — starting locally');
    if (config.brain.kind === 'embedded') {
      io.out(`  brain: embedded Postgres in ${config.brain.dataDir} (port ${config.brain.port}); set DATABASE_URL or SUPABASE_URL to use another`);
      const server = await ensureEmbeddedPostgres({ dataDir: config.brain.dataDir, port: config.brain.port });
      if (server.startedHere) stopDatabase = server.stop;
      childEnv['DATABASE_URL'] = server.url;
      const result = await migrate(server.url);
      io.out(`  migrations: ${result.applied.length === 0 ? 'up to date' : `applied ${result.applied.length}`}`);
      io.out(`  ${await seedSampleCompany(server.url)}`);
      // Each bot connects as its own role (fleet_<bot>), the dashboard as the operator's; the
      // passwords are generated once and kept in the data directory.
      const roles = [...new Set([...bots.map(brainRoleOf), OPERATOR_ROLE, CHANNELS_ROLE])];
      envFor = localRoleEnv(server.url, await ensureLocalRolePasswords(config.dataDir, server.url, roles));
      io.out(`  roles: each bot as fleet_<bot>, the dashboard as ${OPERATOR_ROLE} (passwords in ${rolePasswordsFile(config.dataDir)})`);
    } else if (config.brain.kind === 'postgres') {
      io.out('  brain: DATABASE_URL');
      const result = await migrate(config.brain.url);
      io.out(`  migrations: ${result.applied.length === 0 ? 'up to date' : `applied ${result.applied.length}`}`);
      // A real database gets the sample company only when asked (a staging or demo database).
      if (io.env['FLEET_SAMPLE_DATA'] === 'true') io.out(`  ${await seedSampleCompany(config.brain.url)}`);
    } else {
      io.out('  brain: Supabase (SUPABASE_URL); migrations are applied with `supabase db push`');
    }
    // The dashboard is one more supervised child: its crash or slow query never touches a bot.
    const dashboard = values['no-dashboard'] === true ? undefined : loadDashboardConfig(io.env);
    const children = dashboard === undefined ? bots : [...bots, DASHBOARD_PROCESS];
    const bundles = values['from-source'] === true ? undefined : await bundleBots(children, bundleDirectoryIn(config.dataDir));
    io.out(`  bots: ${bots.join(', ')}${bundles === undefined ? ' (from source via tsx)' : ' (bundled)'}`);
    if (dashboard !== undefined)
      io.out(
        `  dashboard: http://${dashboard.host.includes(':') ? `[${dashboard.host}]` : dashboard.host}:${dashboard.port} (DASHBOARD_PORT; the line "dashboard: …" below confirms it is serving)`,
      );
    // This terminal is the local Telegram when a person sits at it and no real Telegram is set.
    const operatorConsole = process.stdin.isTTY === true && bots.includes('jbot') && (io.env['TELEGRAM_BOT_TOKEN'] ?? '') === '';
    if (operatorConsole) childEnv['FLEET_OPERATOR_STDIN'] = 'true';
    io.out('  inspect with `pnpm fleet status`, `pnpm fleet signals`, `pnpm fleet approvals` in another terminal; Ctrl-C stops everything');
    if (operatorConsole) io.out("  this terminal is your local Telegram: type a line to answer jbot's latest one (e.g. `2 follow up on both`)");
    io.out(
      '  see the two reference workflows now: `pnpm fleet demo monday` (stale deals → Telegram → drafts → approval), `pnpm fleet demo freight` (a late shipment cascades to four bots)\n',
    );

    const colored = process.stdout.isTTY === true;
    const supervisor = startSupervisor({
      bots: children,
      ...(bundles === undefined ? {} : { bundles }),
      env: childEnv,
      ...(envFor === undefined ? {} : { envFor }),
      ...(operatorConsole ? { inputFor: 'jbot' } : {}),
      onLine: (bot, line, stream) => terminal.out(pretty ? formatLogLine(bot, line, colorFor(bot, colored), colored) : jsonLogLine(bot, line, stream)),
      onEvent: (event) => {
        if (event.kind !== 'started') io.out(`supervisor: ${event.bot} ${event.kind} ${event.detail}`);
      },
    });

    const stopConsole = operatorConsole
      ? startOperatorConsole({ input: process.stdin, send: (line) => supervisor.send('jbot', line), say: (text) => io.out(`supervisor: ${text}`) })
      : () => {};

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        stopConsole();
        io.out(`\nsupervisor: ${signal} — stopping ${bots.length} bots (each finishes or releases its work; Ctrl-C again stops at once)…`);
        supervisor
          .stop()
          .then(() => stopDatabase())
          .then(() => {
            io.out('supervisor: all stopped');
            resolve();
          })
          .catch((error: unknown) => {
            io.error(`supervisor: error while stopping: ${String(error)}`);
            resolve();
          });
      };
      // A second Ctrl-C: kill the bots still stopping (the leases on their claimed runs and signals
      // hand that work back), still stop the database and free the data directory, then leave the
      // way an interrupted program does (by SIGINT), which pnpm and the shell pass on without a word.
      const stopNow = () => {
        io.out('supervisor: stopping at once; work still in flight goes back to the queue when its lease expires');
        supervisor
          .kill()
          .then(() => stopDatabase())
          .catch((error: unknown) => io.error(`supervisor: error while stopping: ${String(error)}`))
          .finally(() => {
            lock.release();
            process.removeAllListeners('SIGINT');
            process.kill(process.pid, 'SIGINT');
          });
      };
      // The terminal signals the whole process group (the bots stop on their own copy of it), and
      // on a second Ctrl-C pnpm also sends SIGTERM; tsx, when it is the parent, may relay the same
      // Ctrl-C again within a few tens of ms. A signal inside REPEAT_MS of the first is that same
      // press; a later one is a second press.
      const REPEAT_MS = 250;
      let firstAt: number | undefined;
      let forcing = false;
      const onSignal = (signal: string) => {
        if (firstAt === undefined) {
          firstAt = Date.now();
          stop(signal);
        } else if (!forcing && Date.now() - firstAt >= REPEAT_MS) {
          forcing = true;
          stopNow();
        }
      };
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));
    });
    lock.release();
    return 0;
  },
});

// Local mode runs on the sample company (design §7): load it once; later starts keep it, with
// whatever approved actions changed (`fleet seed --reset` reloads it). One line says what is there
// and what to try.
async function seedSampleCompany(url: string): Promise<string> {
  const db = createPostgresDb({ url, poolMax: 1 });
  try {
    const result = await loadSampleCompany(db);
    const contents = `${result.deals} deals, ${result.orders} orders, ${result.shipments} inbound shipments, ${result.campaigns} ad campaigns`;
    const loadedAt = new Date(result.loadedAt);
    const when = Number.isNaN(loadedAt.getTime()) ? result.loadedAt : `${loadedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return result.loaded
      ? `Sample company Harbor & Pine loaded: ${contents} — try \`pnpm fleet demo freight\``
      : `Sample company Harbor & Pine (loaded ${when}, kept with its changes; \`pnpm fleet seed --reset\` reloads it): ${contents} — try \`pnpm fleet demo freight\``;
  } finally {
    await db.close();
  }
}
