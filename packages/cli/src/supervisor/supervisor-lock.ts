import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FleetError } from '@jbot/core';

/** Who holds a data directory: what `supervisor.pid` records. */
export interface SupervisorLockHolder {
  pid: number;
  host: string;
  startedAt: string;
  bots: string[];
  /** Linux: the boot and the process start time, so a pid reused after a crash is not mistaken for us. */
  bootId?: string;
  processStart?: string;
}

/** A held lock; `release` removes the file if it is still ours. */
export interface SupervisorLock {
  file: string;
  release(): void;
}

/** A second `fleet start` on a data directory whose supervisor is still running. */
export class SupervisorRunningError extends FleetError {
  constructor(file: string, holder: SupervisorLockHolder) {
    const since = holder.startedAt.slice(0, 16).replace('T', ' ');
    super(
      'supervisor_running',
      `The fleet is already running on this data directory: supervisor pid ${holder.pid} on ${holder.host}, started ${since} UTC (${holder.bots.length} bots). Stop it with Ctrl-C in its terminal or \`kill ${holder.pid}\`, or set FLEET_DATA_DIR to run another fleet. (If no supervisor is running, delete ${file}.)`,
      { facts: { file, pid: holder.pid, host: holder.host } },
    );
  }
}

/** The lock file's name inside the data directory. */
export const SUPERVISOR_LOCK_FILE = 'supervisor.pid';

/**
 * Claim the data directory for this supervisor, or throw SupervisorRunningError naming the one
 * that holds it. The file is created whole or not at all (written aside, then hard-linked into
 * place, which fails if it exists). A file left by a crash is ignored when its pid is gone, or
 * belongs to another process since (a different boot or start time).
 */
export function acquireSupervisorLock(dataDir: string, details: { bots: readonly string[] }): SupervisorLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SUPERVISOR_LOCK_FILE);
  const me: SupervisorLockHolder = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    bots: [...details.bots],
    ...processIdentity(process.pid),
  };
  const aside = `${file}.${process.pid}`;
  fs.writeFileSync(aside, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        fs.linkSync(aside, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      }
      const holder = readHolder(file);
      if (holder !== undefined && holderAlive(holder)) throw new SupervisorRunningError(file, holder);
      // Stale (or unreadable, which a whole-file write never leaves): take it over.
      fs.rmSync(file, { force: true });
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
  return {
    file,
    release() {
      const holder = readHolder(file);
      if (holder?.pid === process.pid && holder.processStart === me.processStart) fs.rmSync(file, { force: true });
    },
  };
}

/** Whether the recorded supervisor still runs (another host's is assumed to: we cannot look). */
export function holderAlive(holder: SupervisorLockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processIdentity(holder.pid);
  if (holder.bootId !== undefined && now.bootId !== undefined && holder.bootId !== now.bootId) return false;
  if (holder.processStart !== undefined && now.processStart !== undefined && holder.processStart !== now.processStart) return false;
  return true;
}

function readHolder(file: string): SupervisorLockHolder | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SupervisorLockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return { startedAt: '', bots: [], ...parsed } as SupervisorLockHolder;
  } catch {
    return undefined;
  }
}

// /proc/<pid>/stat field 22 is the start time in clock ticks since boot; with the boot id it names
// one process for good. Elsewhere (macOS) only the pid is compared.
function processIdentity(pid: number): { bootId?: string; processStart?: string } {
  try {
    const bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const processStart = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return processStart === undefined ? { bootId } : { bootId, processStart };
  } catch {
    return {};
  }
}
