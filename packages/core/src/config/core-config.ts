import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ConfigProblem } from './config-error.js';
import { repositoryRoot } from './repository-root.js';
import { envBoolean, envInteger, optionalString, parseEnv, timeZone, type Env } from './env-parsing.js';
import type { HostMetricsPaths } from '../health/host-metrics.js';

const postgresUrl = optionalString.refine((value) => {
  if (value === undefined) return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'expected postgres://user:password@host:5432/database');

/** The variables every fleet process reads (the brain, logging, timing). */
export const coreEnvShape = {
  DATABASE_URL: postgresUrl,
  DATABASE_POOL_MAX: envInteger(4, 1, 100),
  DATABASE_PREPARE: envBoolean(true),
  SUPABASE_URL: optionalString.refine((value) => value === undefined || /^https?:\/\//.test(value), 'expected https://<project>.supabase.co'),
  SUPABASE_SERVICE_ROLE_KEY: optionalString,
  // Per-bot access on Supabase: the project's anon key as apikey, the bot's own JWT (role
  // fleet_<bot>) as bearer; the service-role key is then only for migrations.
  SUPABASE_ANON_KEY: optionalString,
  SUPABASE_BOT_TOKEN: optionalString,
  // The channel handlers' connection (role fleet_channels): an operator's Approve click or tap.
  CHANNELS_DATABASE_URL: postgresUrl,
  SUPABASE_CHANNELS_TOKEN: optionalString,
  FLEET_DATA_DIR: optionalString,
  EMBEDDED_PG_PORT: envInteger(54339, 1024, 65535),
  FLEET_HOST_ID: optionalString,
  FLEET_TZ: timeZone('UTC'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional().default('info'),
  LOG_PRETTY: z.enum(['auto', 'true', 'false']).optional().default('auto'),
  SIGNAL_POLL_MS: envInteger(1000, 10, 600_000),
  SIGNAL_LEASE_MS: envInteger(30_000, 1000, 3_600_000),
  SIGNAL_MAX_ATTEMPTS: envInteger(5, 1, 100),
  SIGNAL_CONCURRENCY: envInteger(8, 1, 256),
  SIGNAL_HANDLER_TIMEOUT_MS: envInteger(300_000, 100, 86_400_000),
  APPROVAL_TIMEOUT_MS: envInteger(600_000, 100, 86_400_000),
  HEARTBEAT_INTERVAL_MS: envInteger(10_000, 500, 600_000),
  HOST_DISK_PATH: optionalString,
  HOST_MEMINFO_PATH: optionalString,
  HOST_LOADAVG_PATH: optionalString,
  HOST_SYSTEMD_UNITS: envBoolean(false),
  HOST_SYSTEMCTL_PATH: optionalString,
  SHUTDOWN_GRACE_MS: envInteger(10_000, 100, 120_000),
} as const;

/** Where the brain lives, decided once from the environment. */
export type BrainTarget =
  | { kind: 'postgres'; url: string; poolMax: number; prepare: boolean }
  | { kind: 'supabase'; url: string; serviceRoleKey: string; accessToken?: string }
  | { kind: 'embedded'; dataDir: string; port: number };

/** The parsed core configuration. */
export interface CoreConfig {
  brain: BrainTarget;
  /** Where the channel handlers decide (role fleet_channels); unset: through `brain`. */
  channelsBrain?: BrainTarget;
  dataDir: string;
  hostId: string;
  timeZone: string;
  log: { level: string; pretty: 'auto' | 'true' | 'false' };
  /** handlerTimeoutMs: a signal handler's deadline (default 5 min where unset). */
  signals: { pollMs: number; leaseMs: number; maxAttempts: number; concurrency: number; handlerTimeoutMs?: number };
  /** An approved action's deadline (default 10 min where unset). */
  approvalTimeoutMs?: number;
  heartbeatIntervalMs: number;
  shutdownGraceMs: number;
  /** Where heartbeats read the machine's disk, memory and load. */
  hostMetrics?: HostMetricsPaths;
}

export { repositoryRoot } from './repository-root.js';

/** Parse the core variables; throws ConfigError naming each bad variable. */
export function loadCoreConfig(env: Env = process.env): CoreConfig {
  const raw = parseEnv(coreEnvShape, env, (parsed): ConfigProblem[] => {
    const problems: ConfigProblem[] = [];
    if (parsed.SUPABASE_URL !== undefined && parsed.SUPABASE_SERVICE_ROLE_KEY === undefined && parsed.SUPABASE_BOT_TOKEN === undefined) {
      problems.push({
        variable: 'SUPABASE_SERVICE_ROLE_KEY',
        message:
          'is required when SUPABASE_URL is set (Project Settings → API → service_role key), unless this is a bot: then SUPABASE_BOT_TOKEN (its JWT, `pnpm fleet roles`) and SUPABASE_ANON_KEY',
      });
    }
    if (parsed.SUPABASE_BOT_TOKEN !== undefined && parsed.SUPABASE_ANON_KEY === undefined && parsed.SUPABASE_SERVICE_ROLE_KEY === undefined) {
      problems.push({ variable: 'SUPABASE_ANON_KEY', message: 'is required with SUPABASE_BOT_TOKEN (Project Settings → API → anon key)' });
    }
    if (parsed.SUPABASE_SERVICE_ROLE_KEY !== undefined && parsed.SUPABASE_URL === undefined && parsed.DATABASE_URL === undefined) {
      problems.push({ variable: 'SUPABASE_URL', message: 'is required when SUPABASE_SERVICE_ROLE_KEY is set (https://<project>.supabase.co)' });
    }
    return problems;
  });
  const dataDir = path.resolve(raw.FLEET_DATA_DIR ?? path.join(repositoryRoot, '.data'));
  let brain: BrainTarget;
  if (raw.DATABASE_URL !== undefined) {
    brain = { kind: 'postgres', url: raw.DATABASE_URL, poolMax: raw.DATABASE_POOL_MAX, prepare: raw.DATABASE_PREPARE };
  } else if (raw.SUPABASE_URL !== undefined && raw.SUPABASE_BOT_TOKEN !== undefined) {
    const apiKey = raw.SUPABASE_ANON_KEY ?? raw.SUPABASE_SERVICE_ROLE_KEY ?? '';
    brain = { kind: 'supabase', url: raw.SUPABASE_URL, serviceRoleKey: apiKey, accessToken: raw.SUPABASE_BOT_TOKEN };
  } else if (raw.SUPABASE_URL !== undefined && raw.SUPABASE_SERVICE_ROLE_KEY !== undefined) {
    brain = { kind: 'supabase', url: raw.SUPABASE_URL, serviceRoleKey: raw.SUPABASE_SERVICE_ROLE_KEY };
  } else {
    brain = { kind: 'embedded', dataDir: path.join(dataDir, 'pg'), port: raw.EMBEDDED_PG_PORT };
  }
  let channelsBrain: BrainTarget | undefined;
  if (raw.CHANNELS_DATABASE_URL !== undefined) {
    channelsBrain = { kind: 'postgres', url: raw.CHANNELS_DATABASE_URL, poolMax: 1, prepare: raw.DATABASE_PREPARE };
  } else if (raw.SUPABASE_CHANNELS_TOKEN !== undefined && brain.kind === 'supabase') {
    channelsBrain = { kind: 'supabase', url: brain.url, serviceRoleKey: brain.serviceRoleKey, accessToken: raw.SUPABASE_CHANNELS_TOKEN };
  }
  return {
    brain,
    ...(channelsBrain === undefined ? {} : { channelsBrain }),
    dataDir,
    hostId: raw.FLEET_HOST_ID ?? os.hostname(),
    timeZone: raw.FLEET_TZ,
    log: { level: raw.LOG_LEVEL, pretty: raw.LOG_PRETTY },
    signals: {
      pollMs: raw.SIGNAL_POLL_MS,
      leaseMs: raw.SIGNAL_LEASE_MS,
      maxAttempts: raw.SIGNAL_MAX_ATTEMPTS,
      concurrency: raw.SIGNAL_CONCURRENCY,
      handlerTimeoutMs: raw.SIGNAL_HANDLER_TIMEOUT_MS,
    },
    approvalTimeoutMs: raw.APPROVAL_TIMEOUT_MS,
    heartbeatIntervalMs: raw.HEARTBEAT_INTERVAL_MS,
    shutdownGraceMs: raw.SHUTDOWN_GRACE_MS,
    hostMetrics: {
      ...(raw.HOST_DISK_PATH === undefined ? {} : { diskPath: raw.HOST_DISK_PATH }),
      ...(raw.HOST_MEMINFO_PATH === undefined ? {} : { meminfoPath: raw.HOST_MEMINFO_PATH }),
      ...(raw.HOST_LOADAVG_PATH === undefined ? {} : { loadavgPath: raw.HOST_LOADAVG_PATH }),
      systemdUnits: raw.HOST_SYSTEMD_UNITS,
      ...(raw.HOST_SYSTEMCTL_PATH === undefined ? {} : { systemctlPath: raw.HOST_SYSTEMCTL_PATH }),
    },
  };
}
