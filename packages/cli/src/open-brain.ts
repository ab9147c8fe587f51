import fs from 'node:fs';
import net from 'node:net';
import {
  assertMigrated,
  connectBrain,
  createLogger,
  createPostgresDb,
  ensureEmbeddedPostgres,
  FleetError,
  loadCoreConfig,
  migrate,
  readFleetHeartbeats,
  secretValuesFromEnv,
  withSecretsScrubbed,
  type CoreConfig,
  type Db,
  type Logger,
} from '@jbot/core';
import { formatAge } from './format-table.js';
import { OPERATOR_ROLE, rolePasswordsFile, roleUrl } from './brain-roles.js';

/** A CLI session on the brain. */
export interface BrainSession {
  db: Db;
  config: CoreConfig;
  log: Logger;
  databaseUrl?: string;
  close(): Promise<void>;
}

/** The command needs bots that are not running (or the local fleet is down): it says so and how to start them. */
export class FleetNotRunningError extends FleetError {
  constructor(message: string, facts: Record<string, unknown> = {}) {
    super('fleet_not_running', message, { facts });
  }
}

/** How to start the fleet, per brain: the local supervisor, or the hosts' units. */
function startHint(config: CoreConfig): string {
  return config.brain.kind === 'embedded'
    ? 'start it with `pnpm start` (in another terminal), then run this again'
    : 'start it (`pnpm start` here, or `systemctl start jbot-fleet.target` on its hosts), then run this again';
}

/**
 * Connect the CLI to the configured brain. With the local embedded brain:
 * - `needs: 'fleet'` (demo, run, reply): a stopped local fleet is reported at once
 *   (FleetNotRunningError) instead of starting a database and waiting for bots that never come;
 * - `needs: 'brain'` (status, signals, runs…): the command reads a stopped fleet's brain by
 *   starting its Postgres for the command alone and stopping it on close, so nothing is left running.
 */
export async function openBrain(env: NodeJS.ProcessEnv, options: { needs?: 'brain' | 'fleet' } = {}): Promise<BrainSession> {
  const config = loadCoreConfig(env);
  const secrets = secretValuesFromEnv(env);
  const log = createLogger({ level: env['LOG_LEVEL'] ?? 'warn', pretty: 'false', secrets, base: { bot: 'cli' } });
  const session = (db: Db, databaseUrl: string | undefined, close: () => Promise<void>): BrainSession => ({
    db,
    config,
    log,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    close,
  });
  if (config.brain.kind === 'embedded' && !(await portOpen(config.brain.port))) {
    if (options.needs === 'fleet')
      throw new FleetNotRunningError(`The local fleet is not running (no brain on port ${config.brain.port}): ${startHint(config)}.`, {
        port: config.brain.port,
      });
    const server = await ensureEmbeddedPostgres({ dataDir: config.brain.dataDir, port: config.brain.port });
    const stopServer = server.startedHere ? server.stop : async () => {};
    try {
      await migrate(server.url);
      const connection = createPostgresDb({ url: operatorUrl(config.dataDir, server.url), poolMax: 4, applicationName: 'fleet-cli' });
      await assertMigrated(connection);
      // The same scrubbing seam connectBrain puts on every other brain.
      const db = withSecretsScrubbed(connection, secrets);
      return session(db, server.url, async () => {
        // A `pnpm start` that attached meanwhile owns it now: leave it running for the fleet.
        const [others] = await db.rpc<{ other_brain_sessions: number }>('other_brain_sessions').catch(() => [{ other_brain_sessions: 0 }]);
        await db.close();
        if ((others?.other_brain_sessions ?? 0) === 0) await stopServer();
      });
    } catch (error) {
      await stopServer();
      throw error;
    }
  }
  const brain = await connectBrain(config.brain, { applicationName: 'fleet-cli', secrets });
  if (config.brain.kind === 'embedded' && brain.databaseUrl !== undefined && operatorUrl(config.dataDir, brain.databaseUrl) !== brain.databaseUrl) {
    // The local fleet's CLI speaks as the operator's role, like the dashboard (the owner only migrates).
    await brain.db.close();
    const db = withSecretsScrubbed(
      createPostgresDb({ url: operatorUrl(config.dataDir, brain.databaseUrl), poolMax: 4, applicationName: 'fleet-cli' }),
      secrets,
    );
    return session(db, brain.databaseUrl, () => db.close());
  }
  return session(brain.db, brain.databaseUrl, () => brain.db.close());
}

// The operator role's login on the local embedded brain once `pnpm start` has set its password
// (brain-roles.json in the data directory); the owner's URL before that.
function operatorUrl(dataDir: string, ownerUrl: string): string {
  try {
    const passwords = JSON.parse(fs.readFileSync(rolePasswordsFile(dataDir), 'utf8')) as Record<string, unknown>;
    const password = passwords[OPERATOR_ROLE];
    return typeof password === 'string' && password !== '' ? roleUrl(ownerUrl, OPERATOR_ROLE, password) : ownerUrl;
  } catch {
    return ownerUrl;
  }
}

/**
 * Fail at once, naming each one, when bots this command needs have no fresh running heartbeat:
 * a manual run or an instruction would otherwise wait unseen (and fire at the next start).
 */
export async function requireRunning(session: BrainSession, bots: readonly string[]): Promise<void> {
  const beats = await readFleetHeartbeats(session.db);
  const staleAfter = (session.config.heartbeatIntervalMs * 3) / 1000;
  const down = bots.flatMap((bot) => {
    const mine = beats.filter((beat) => beat.bot === bot);
    if (mine.some((beat) => beat.status === 'running' && beat.seconds_since_seen <= staleAfter)) return [];
    const latest = mine.sort((left, right) => left.seconds_since_seen - right.seconds_since_seen)[0];
    return [
      latest === undefined
        ? `${bot} (never started on this brain)`
        : `${bot} (${latest.status === 'running' ? 'silent' : latest.status}, last heartbeat ${formatAge(latest.seconds_since_seen)} on ${latest.host})`,
    ];
  });
  if (down.length > 0)
    throw new FleetNotRunningError(`Not running: ${down.join(', ')}. This needs the running fleet: ${startHint(session.config)}.`, { bots: down });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
