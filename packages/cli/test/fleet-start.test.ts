import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_NAMES } from '@jbot/fleet';
import { createPostgresDb, repositoryRoot, type Db } from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');

interface Beat {
  [column: string]: unknown;
  bot: string;
  status: string;
  pid: number;
}

describe('fleet start / status / migrate', () => {
  let database: TestDatabase;
  let db: Db;
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-fleet-start-'));
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('migrate is idempotent on an already migrated database', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', cli, 'migrate'], { env: { ...process.env, DATABASE_URL: database.url }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/up to date \(\d+ migrations applied earlier\)/);
  });

  it('starts ten bot processes with heartbeats, and Ctrl-C stops them all cleanly', async () => {
    const supervisor = spawn(process.execPath, ['--import', 'tsx', cli, 'start'], {
      // Its own data directory: one supervisor per data directory, and a developer's `pnpm start` may hold the checkout's.
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        FLEET_DATA_DIR: dataDirectory,
        HEARTBEAT_INTERVAL_MS: '1000',
        FLEET_HOST_ID: 'test-host',
        FLEET_SAMPLE_DATA: 'true',
        SIGNAL_POLL_MS: '250',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    supervisor.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    supervisor.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const running = await waitFor(
      async () => {
        const rows = await db.rpc<Beat>('fleet_heartbeats');
        const up = rows.filter((row) => row.status === 'running');
        return up.length === BOT_NAMES.length ? up : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: 'ten running heartbeats' },
    );
    expect(running.map((row) => row.bot).sort()).toEqual([...BOT_NAMES].sort());
    expect(new Set(running.map((row) => row.pid)).size).toBe(10);

    const status = spawnSync(process.execPath, ['--import', 'tsx', cli, 'status'], { env: { ...process.env, DATABASE_URL: database.url }, encoding: 'utf8' });
    expect(status.stdout).toMatch(/10 of 10 bot processes running/);

    // A job run on demand goes through the brain to the running sysbot process.
    const crons = spawnSync(process.execPath, ['--import', 'tsx', cli, 'crons'], { env: { ...process.env, DATABASE_URL: database.url }, encoding: 'utf8' });
    expect(crons.stdout).toMatch(/sysbot\s+fleet-monitor\s+\* \* \* \* \*/);
    const run = spawnSync(process.execPath, ['--import', 'tsx', cli, 'run', 'sysbot/fleet-monitor'], {
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stdout).toMatch(/succeeded on test-host/);
    expect(run.status).toBe(0);
    const runs = spawnSync(process.execPath, ['--import', 'tsx', cli, 'runs', '--bot', 'sysbot'], {
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: 'utf8',
    });
    expect(runs.stdout).toMatch(/\(manual\)\s+sysbot\s+fleet-monitor\s+succeeded/);

    // The sample company was loaded at start; the freight demo runs the cascade on the live fleet.
    expect(output).toMatch(/Sample company Harbor & Pine loaded: \d+ deals, .* — try `pnpm fleet demo freight`/);
    const demo = spawnSync(process.execPath, ['--import', 'tsx', cli, 'demo', 'freight'], {
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(demo.stdout).toMatch(/SHKGH0525145 is 21 days late/);
    expect(demo.stdout).toMatch(/salesbot\s+Send 1 delay notice/);
    expect(demo.stdout).toMatch(/mktgbot\s+Pause \d+ ad campaigns?/);
    expect(demo.stdout).toMatch(/→ pnpm fleet approve [0-9a-f]{8}/);
    expect(demo.status).toBe(0);

    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', resolve));
    supervisor.kill('SIGINT');
    expect(await exited).toBe(0);
    const after = await db.rpc<Beat>('fleet_heartbeats');
    expect(after.map((row) => `${row.bot}:${row.status}`)).toEqual(after.map((row) => `${row.bot}:stopped`));
    expect(output).toMatch(/supervisor: all stopped/);
  }, 120_000);
});
