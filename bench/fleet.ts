// The local fleet's footprint: time from `fleet start` to ten running heartbeats, and the RSS of
// each idle bot process (read from /proc, the kernel's figure) and of the whole fleet.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BOT_NAMES } from '@jbot/fleet';
import { createPostgresDb, repositoryRoot } from '@jbot/core';
import { createTestDatabase, startTestPostgres, waitFor } from '@jbot/testkit';

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/** Start the fleet against a fresh database, wait for ten heartbeats, measure, stop. */
export default async function run(argv: string[]): Promise<Record<string, unknown>> {
  const idleSeconds = Number(argv[0] ?? 10);
  const server = await startTestPostgres();
  const database = await createTestDatabase(server.port);
  const db = createPostgresDb({ url: database.url });
  try {
    const begin = performance.now();
    const supervisor = spawn(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'packages/cli/src/main.ts'), 'start'], {
      env: { ...process.env, DATABASE_URL: database.url, HEARTBEAT_INTERVAL_MS: '1000' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const beats = await waitFor(
      async () => {
        const rows = await db.rpc<{ bot: string; pid: number; status: string }>('fleet_heartbeats');
        const running = rows.filter((row) => row.status === 'running');
        return running.length === BOT_NAMES.length ? running : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 50 },
    );
    const readyMs = Math.round(performance.now() - begin);
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const perBot = Object.fromEntries(beats.map((row) => [row.bot, rssMb(row.pid)]));
    const values = Object.values(perBot);
    const exited = new Promise((resolve) => supervisor.once('exit', resolve));
    supervisor.kill('SIGINT');
    await exited;
    return {
      start_to_ten_heartbeats_ms: readyMs,
      idle_rss_mb_per_bot: perBot,
      idle_rss_mb_max: Math.max(...values),
      fleet_rss_mb_total: Math.round(values.reduce((sum, value) => sum + value, 0)),
      idle_seconds: idleSeconds,
    };
  } finally {
    await db.close();
    await database.drop();
    await server.stop();
  }
}
