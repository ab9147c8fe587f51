import type { Logger } from 'pino';
import type { Db } from '../db/db.js';
import type { HostMetricsReader } from '../health/host-metrics.js';

/** Heartbeat status values (bot_heartbeats.status). */
export type HeartbeatStatus = 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

/** Beats for one bot process on one host. */
export interface Heartbeat {
  /** Write a beat now (also used for status changes). */
  beat(status?: HeartbeatStatus, detail?: Record<string, unknown>): Promise<void>;
  /** Host clock minus database clock at the last beat, in ms (positive: host is fast). */
  readonly skewMs: number;
  /** Stop the timer and write a final status. */
  stop(status?: HeartbeatStatus): Promise<void>;
}

// Past this the scheduler and leases disagree with other hosts; warn the operator.
const SKEW_WARNING_MS = 5000;
// A sample whose round trip took longer than this says nothing about the clocks: the midpoint
// can be seconds off (a reconnect after a brain outage, a pool queue). It is discarded.
const SKEW_SAMPLE_MAX_ROUND_TRIP_MS = 1000;

/** Start writing heartbeats every intervalMs; the first beat is written before this resolves. */
export async function startHeartbeat(options: {
  db: Db;
  bot: string;
  host: string;
  version: string;
  intervalMs: number;
  log: Logger;
  detail?: () => Record<string, unknown>;
  /** The machine's disk, memory and load, carried in each beat for sysbot's host-health. */
  hostMetrics?: HostMetricsReader;
}): Promise<Heartbeat> {
  const startedAt = new Date();
  let skewMs = 0;
  let currentStatus: HeartbeatStatus = 'running';
  let skewWarned = false;
  // Beats are written one after another: an interval beat still in flight when the bot stops
  // must not land after the final 'stopped' and leave the bot looking 'stopping' for good.
  let queue: Promise<void> = Promise.resolve();
  const beat = (status: HeartbeatStatus = currentStatus, extra: Record<string, unknown> = {}): Promise<void> => {
    currentStatus = status;
    const written = queue.then(() => write(status, extra));
    queue = written.catch(() => {});
    return written;
  };
  const write = async (status: HeartbeatStatus, extra: Record<string, unknown>): Promise<void> => {
    const before = Date.now();
    const [row] = await options.db.rpc<{ db_now: string }>('beat_heartbeat', {
      p_bot: options.bot,
      p_host: options.host,
      p_pid: process.pid,
      p_version: options.version,
      p_started_at: startedAt,
      p_status: status,
      p_detail: {
        ...options.detail?.(),
        ...extra,
        rss_mb: Math.round(process.memoryUsage.rss() / 1048576),
        // The previous beat's measurement: host clock minus database clock (host-health's skew check).
        clock_skew_ms: skewMs,
        ...(options.hostMetrics === undefined ? {} : { host_metrics: readHostMetrics(options.hostMetrics, options.log) }),
      },
    });
    const after = Date.now();
    if (row !== undefined && after - before <= SKEW_SAMPLE_MAX_ROUND_TRIP_MS) {
      skewMs = Math.round((before + after) / 2 - Date.parse(row.db_now));
      if (Math.abs(skewMs) > SKEW_WARNING_MS && !skewWarned) {
        skewWarned = true;
        options.log.warn({ skewMs }, 'this host clock differs from the database clock by more than 5 s; fix NTP (the database clock decides what is due)');
      }
    }
  };
  await beat('running');
  const timer = setInterval(() => {
    beat().catch((error: unknown) => options.log.warn({ err: error }, 'heartbeat failed; will retry at the next interval'));
  }, options.intervalMs);
  timer.unref();
  return {
    beat,
    get skewMs() {
      return skewMs;
    },
    async stop(status = 'stopped') {
      clearInterval(timer);
      await beat(status);
    },
  };
}

// A host reading that fails (a missing path) is logged, and the beat still goes out.
function readHostMetrics(reader: HostMetricsReader, log: Logger): unknown {
  try {
    return reader.read();
  } catch (error) {
    log.warn({ err: error }, 'could not read host metrics (HOST_DISK_PATH / HOST_MEMINFO_PATH / HOST_LOADAVG_PATH); the heartbeat goes without them');
    return { error: error instanceof Error ? error.message.slice(0, 200) : String(error) };
  }
}

/** One bot process placement as fleet_heartbeats reports it. */
export interface FleetHeartbeat {
  [column: string]: unknown;
  bot: string;
  host: string;
  pid: number;
  version: string;
  started_at: string;
  last_seen: string;
  status: HeartbeatStatus;
  detail: { rss_mb?: number; subscriptions?: string[]; jobs?: string[]; clock_skew_ms?: number; host_metrics?: Record<string, unknown> };
  seconds_since_seen: number;
}

/** Every bot's heartbeat per host (status, deploy waits and the fleet monitor read the same rows). */
export function readFleetHeartbeats(db: Db): Promise<FleetHeartbeat[]> {
  return db.rpc<FleetHeartbeat>('fleet_heartbeats');
}
