import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDb, embeddedUrl, repositoryRoot } from '@jbot/core';
import { freePort, waitFor } from '@jbot/testkit';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');
const BOTS = ['opsbot', 'sysbot'];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

// `pnpm start` on the embedded brain as a terminal runs it: the supervisor leads its own process
// group and Ctrl-C is a SIGINT to that whole group (bots included), as the terminal sends it.
describe('fleet start: Ctrl-C, a second Ctrl-C, and one supervisor per data directory', () => {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-start-stop-'));
  // Reachable by the postgres user (root runs Postgres as it): the cluster stays in this directory.
  fs.chmodSync(dataDirectory, 0o755);
  const started: ChildProcess[] = [];
  const postmasters: number[] = [];
  afterAll(() => {
    // After a failure: nothing of ours keeps running (the database daemon is detached from the group).
    for (const child of started) if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    for (const pid of postmasters) if (alive(pid)) process.kill(pid, 'SIGINT');
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });
  let port = 0;
  const env = () => {
    const values: NodeJS.ProcessEnv = {
      ...process.env,
      FLEET_DATA_DIR: dataDirectory,
      EMBEDDED_PG_PORT: String(port),
      HEARTBEAT_INTERVAL_MS: '1000',
      FLEET_HOST_ID: 'test-host',
    };
    for (const name of ['DATABASE_URL', 'SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY', 'DISCORD_TOKEN', 'TELEGRAM_BOT_TOKEN']) delete values[name];
    return values;
  };

  // Start the fleet and wait for its bots' heartbeats; returns the supervisor, its output, the
  // bot pids and the Postgres server's pid.
  const start = async () => {
    const supervisor = spawn(process.execPath, ['--import', 'tsx', cli, 'start', '--bots', BOTS.join(','), '--from-source'], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    started.push(supervisor);
    const run = { supervisor, output: '', exited: new Promise<void>((resolve) => supervisor.once('close', () => resolve())) };
    supervisor.stdout?.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
    supervisor.stderr?.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
    const db = createPostgresDb({ url: embeddedUrl(port), poolMax: 1 });
    try {
      const beats = await waitFor(
        async () => {
          if (supervisor.exitCode !== null) throw new Error(`fleet start exited with code ${supervisor.exitCode}:\n${run.output}`);
          if (!run.output.includes('bots: ')) return undefined;
          const rows = (await db.rpc<{ bot: string; status: string; pid: number }>('fleet_heartbeats')).filter(
            (row) => row.status === 'running' && BOTS.includes(row.bot),
          );
          return rows.length === BOTS.length ? rows : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 250, what: 'both bots running' },
      );
      const postmaster = Number(fs.readFileSync(path.join(dataDirectory, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
      postmasters.push(postmaster);
      return Object.assign(run, { botPids: beats.map((beat) => beat.pid), postmaster });
    } finally {
      await db.close();
    }
  };
  const nothingLeft = async (run: { botPids: number[]; postmaster: number }) => {
    expect(run.botPids.filter(alive)).toEqual([]);
    await waitFor(() => !alive(run.postmaster), { timeoutMs: 20_000, what: 'the Postgres server gone' });
    expect(await portOpen(port)).toBe(false);
    expect(fs.existsSync(path.join(dataDirectory, 'supervisor.pid'))).toBe(false);
  };

  it('a second start on the same data directory refuses, naming the supervisor; Ctrl-C stops everything, exit 0', async () => {
    port = await freePort();
    const first = await start();
    expect(JSON.parse(fs.readFileSync(path.join(dataDirectory, 'supervisor.pid'), 'utf8'))).toMatchObject({ pid: first.supervisor.pid, bots: BOTS });

    const second = spawnSync(process.execPath, ['--import', 'tsx', cli, 'start', '--bots', 'opsbot', '--from-source'], {
      env: env(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`The fleet is already running on this data directory: supervisor pid ${first.supervisor.pid} on ${os.hostname()}`);
    expect(second.stderr).not.toMatch(/\n\s+at /);
    expect(second.stdout).not.toContain('brain:');

    process.kill(-(first.supervisor.pid ?? 0), 'SIGINT');
    await first.exited;
    expect(first.supervisor.exitCode).toBe(0);
    expect(first.output).toMatch(/supervisor: all stopped/);
    await nothingLeft(first);
  }, 180_000);

  it('a second Ctrl-C while a bot hangs stops at once, still taking the bots and the database down', async () => {
    const run = await start();
    // A bot that cannot finish its stop (frozen), so the first Ctrl-C alone would wait for the kill deadline.
    const hung = run.botPids[0] ?? 0;
    process.kill(hung, 'SIGSTOP');
    process.kill(-(run.supervisor.pid ?? 0), 'SIGINT');
    const firstAt = Date.now();
    await waitFor(() => run.output.includes('Ctrl-C again stops at once'), { what: 'the first Ctrl-C taken' }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${run.output}`);
    });
    // The same press relayed within 250 ms counts once; a person's second press comes later.
    await waitFor(() => Date.now() - firstAt > 300, { intervalMs: 50, what: 'a moment between the presses' });
    process.kill(-(run.supervisor.pid ?? 0), 'SIGINT');
    await run.exited;
    expect(run.supervisor.signalCode).toBe('SIGINT');
    expect(run.output).toContain('supervisor: stopping at once');
    expect(run.output).not.toMatch(/\n\s+at /);
    await nothingLeft(run);
  }, 180_000);
});
