import pino from 'pino';
import { createPostgresDb, defineBot, startBot, type Db, type JobDefinition, type Logger, type RunningBot, type SchedulerClockOption } from '@jbot/core';

/** Start a bot with the given jobs on its own connection pool, as one host would. */
export async function startSchedulerBot(
  url: string,
  host: string,
  jobs: JobDefinition[],
  options: { clock?: SchedulerClockOption; missedAfterMs?: number; bot?: string; log?: Logger } = {},
): Promise<{ running: RunningBot; db: Db; stop: () => Promise<void> }> {
  const db = createPostgresDb({ url, poolMax: 6, applicationName: host });
  const running = await startBot(defineBot({ name: options.bot ?? 'cronbot', purpose: 'scheduler test', jobs }), {
    db,
    log: options.log ?? pino({ level: 'silent' }),
    config: {
      hostId: host,
      timeZone: 'UTC',
      heartbeatIntervalMs: 60_000,
      shutdownGraceMs: 3000,
      signals: { pollMs: 200, leaseMs: 5000, maxAttempts: 3, concurrency: 4 },
      scheduler: {
        leaseMs: 2000,
        checkIntervalMs: 200,
        missedAfterMs: options.missedAfterMs ?? 5000,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      },
    },
  });
  return {
    running,
    db,
    stop: async () => {
      await running.stop();
      await db.close();
    },
  };
}

/** One cron_runs row as the tests read it. */
export interface RunRow {
  [column: string]: unknown;
  run_id: string;
  job: string;
  scheduled_for: string;
  status: string;
  host: string;
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  manual: boolean;
}

/** All runs of a bot (newest first). */
export function runsOf(db: Db, bot = 'cronbot', job?: string): Promise<RunRow[]> {
  return db.rpc<RunRow>('list_cron_runs', { p_bot: bot, p_job: job, p_limit: 100_000 });
}

export const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
