import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/** Where a host's vital signs are read from (HOST_DISK_PATH, HOST_MEMINFO_PATH, HOST_LOADAVG_PATH). */
export interface HostMetricsPaths {
  /** The filesystem whose fullness counts (the brain's and the logs' disk); default "/". */
  diskPath?: string;
  /** A Linux /proc/meminfo-format file; default /proc/meminfo (os.freemem where it does not exist). */
  meminfoPath?: string;
  /** A /proc/loadavg-format file; default /proc/loadavg (os.loadavg where it does not exist). */
  loadavgPath?: string;
  /** Report the fleet's systemd units (`systemctl list-units 'jbot@*'`), on the VPSes (HOST_SYSTEMD_UNITS). */
  systemdUnits?: boolean;
  /** The systemctl to run (HOST_SYSTEMCTL_PATH); default "systemctl" on PATH. */
  systemctlPath?: string;
}

/** One jbot@ unit's state as systemd reports it. */
export interface HostUnitState {
  unit: string;
  active: string;
  sub: string;
}

/** One reading of the machine, carried in every heartbeat's detail as `host`. */
export interface HostMetrics {
  disk_used_pct: number;
  disk_free_bytes: number;
  mem_used_pct: number;
  load1: number;
  cpus: number;
  /** The jbot@ units and their state, where systemdUnits is on. */
  units?: HostUnitState[];
  /** Why the units could not be read (systemctl missing or failing); the other readings stand. */
  units_error?: string;
}

/** Reads the machine; an interface so a test plants a full disk or short memory through real files, not stubs. */
export interface HostMetricsReader {
  read(): HostMetrics;
}

const round = (value: number) => Math.round(value * 10) / 10;

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

// MemAvailable counts reclaimable cache, as `free` does; MemFree alone would call every busy Linux box full.
function memoryUsedShare(meminfo: string | null): number {
  if (meminfo === null) return 1 - os.freemem() / os.totalmem();
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? Number.NaN);
  const total = field('MemTotal');
  const available = Number.isNaN(field('MemAvailable')) ? field('MemFree') : field('MemAvailable');
  if (!(total > 0) || Number.isNaN(available)) throw new Error('meminfo has no MemTotal/MemAvailable lines (HOST_MEMINFO_PATH)');
  return 1 - available / total;
}

// systemctl list-units --plain --no-legend: "jbot@salesbot.service loaded failed failed JBOT salesbot".
function parseUnits(text: string): HostUnitState[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 4 && fields[0]?.startsWith('jbot@') === true)
    .map((fields) => ({ unit: fields[0] ?? '', active: fields[2] ?? '', sub: fields[3] ?? '' }));
}

// Units change rarely and systemctl is a process: each reader asks at most once a minute.
const UNITS_TTL_MS = 60_000;

/** The reader over the given paths (defaults: "/", /proc/meminfo, /proc/loadavg). */
export function createHostMetricsReader(paths: HostMetricsPaths = {}): HostMetricsReader {
  const diskPath = paths.diskPath ?? '/';
  const meminfoPath = paths.meminfoPath ?? '/proc/meminfo';
  const loadavgPath = paths.loadavgPath ?? '/proc/loadavg';
  let units: { at: number; states: HostUnitState[] } | undefined;
  const readUnits = (): HostUnitState[] => {
    if (units !== undefined && Date.now() - units.at < UNITS_TTL_MS) return units.states;
    const output = execFileSync(paths.systemctlPath ?? 'systemctl', ['list-units', 'jbot@*', '--all', '--plain', '--no-legend', '--no-pager'], {
      encoding: 'utf8',
      timeout: 5000,
    });
    units = { at: Date.now(), states: parseUnits(output) };
    return units.states;
  };
  // A systemctl that fails (not installed, no D-Bus) costs the units, not the disk and memory readings.
  const unitsOrError = (): { units: HostUnitState[] } | { units_error: string } => {
    try {
      return { units: readUnits() };
    } catch (error) {
      return { units_error: error instanceof Error ? error.message.slice(0, 200) : String(error) };
    }
  };
  return {
    read() {
      const disk = fs.statfsSync(diskPath);
      // As df reports Use%: used over what is usable (used + available to unprivileged writers),
      // so the root reserve counts as neither, and a bot sees full when it can no longer write.
      const used = (disk.blocks - disk.bfree) * disk.bsize;
      const free = disk.bavail * disk.bsize;
      const total = used + free;
      const loadavg = readIfExists(loadavgPath);
      const load1 = loadavg === null ? (os.loadavg()[0] ?? 0) : Number(loadavg.trim().split(/\s+/)[0]);
      return {
        disk_used_pct: total === 0 ? 0 : round((100 * used) / total),
        disk_free_bytes: free,
        mem_used_pct: round(100 * memoryUsedShare(readIfExists(meminfoPath))),
        load1: Number.isFinite(load1) ? load1 : 0,
        cpus: os.availableParallelism(),
        ...(paths.systemdUnits === true ? unitsOrError() : {}),
      };
    },
  };
}
