import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import type { Browser, Page } from 'playwright-core';
import { repositoryRoot } from '@jbot/core';
import { freePort, freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';
import { chromiumAvailable, launchChromium, outputDirectory, screenshotPanel } from './dashboard-harness.js';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');
const screenshots = outputDirectory(import.meta.filename);
const WAIT = { timeout: 20_000, interval: 100 };
const BOTS = ['opsbot', 'shipbot'];

// The dashboard as `pnpm start` runs it: one more supervised child beside the bots.
describe.skipIf(!chromiumAvailable())('the dashboard under the fleet supervisor', () => {
  let database: TestDatabase;
  let sql: postgres.Sql;
  let supervisor: ChildProcess;
  let browser: Browser;
  let page: Page;
  let url: string;
  const output: string[] = [];

  const health = async (): Promise<{ pid: number }> => (await (await fetch(`${url}/healthz`)).json()) as { pid: number };
  const tile = (bot: string) => page.locator(`#health-body .tile[data-bot="${bot}"]`);
  const beats = () => sql<{ bot: string; pid: number; status: string; age: number }[]>`
    select bot, pid, status, extract(epoch from clock_timestamp() - last_seen)::float8 as age from bot_heartbeats order by bot`;

  beforeAll(async () => {
    database = await freshDatabase();
    sql = postgres(database.url, { max: 2 });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    supervisor = spawn(process.execPath, ['--import', 'tsx', cli, 'start', '--bots', BOTS.join(','), '--from-source'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        // Its own data directory: the supervisor lock is per directory, and other tests start fleets too.
        FLEET_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-supervised-dashboard-')),
        DASHBOARD_PORT: String(port),
        DASHBOARD_POLL_MS: '500',
        HEARTBEAT_INTERVAL_MS: '1000',
        FLEET_HOST_ID: 'test-host',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    for (const stream of [supervisor.stdout, supervisor.stderr])
      if (stream !== null) readline.createInterface({ input: stream }).on('line', (line) => output.push(line));
    await waitFor(() => output.some((line) => line.includes(`dashboard: ${url}`)), { what: 'the dashboard to serve', timeoutMs: 90_000 });
    await waitFor(async () => (await beats()).filter((beat) => beat.status === 'running').length === BOTS.length, {
      what: 'both bots running',
      timeoutMs: 90_000,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
  });
  afterAll(async () => {
    await browser?.close();
    if (supervisor?.pid !== undefined && supervisor.exitCode === null) {
      const exited = new Promise((resolve) => supervisor.once('exit', resolve));
      process.kill(-supervisor.pid, 'SIGTERM');
      await exited;
    }
    await sql?.end();
    await database?.drop();
  });

  it('prints its URL at start, and a stopped bot turns its tile stale', async () => {
    expect(output.some((line) => line.includes(`dashboard: ${url}`))).toBe(true);
    await expect.poll(() => tile('opsbot').getAttribute('data-state'), WAIT).toBe('running');
    const opsbot = (await beats()).find((beat) => beat.bot === 'opsbot');
    // Frozen (SIGSTOP), opsbot stops beating without exiting: the supervisor has nothing to restart.
    process.kill(opsbot!.pid, 'SIGSTOP');
    try {
      await expect.poll(() => tile('opsbot').getAttribute('data-state'), WAIT).toBe('stale');
      expect(await tile('shipbot').getAttribute('data-state')).toBe('running');
      await screenshotPanel(page, screenshots, 'fleet-health-stale', 'health');
    } finally {
      process.kill(opsbot!.pid, 'SIGCONT');
    }
    await expect.poll(() => tile('opsbot').getAttribute('data-state'), WAIT).toBe('running');
  });

  it('killing the dashboard leaves the fleet running, and the supervisor restarts it', async () => {
    const before = await beats();
    const { pid } = await health();
    process.kill(pid, 'SIGKILL');
    await waitFor(() => output.some((line) => line.includes('supervisor: dashboard restarting')), {
      what: 'the supervisor to restart the dashboard',
      timeoutMs: 30_000,
    });
    const restarted = await waitFor(
      async () => {
        try {
          const now = await health();
          return now.pid !== pid ? now : undefined;
        } catch {
          return undefined;
        }
      },
      { what: 'the dashboard serving again', timeoutMs: 60_000 },
    );
    expect(restarted.pid).not.toBe(pid);
    // Same bot processes throughout, still beating.
    const after = await beats();
    expect(after.map((beat) => [beat.bot, beat.pid, beat.status])).toEqual(before.map((beat) => [beat.bot, beat.pid, 'running']));
    expect(after.every((beat) => beat.age < 5)).toBe(true);
    // The open page reconnects on its own and keeps showing the fleet.
    await expect.poll(() => page.locator('#live-state').getAttribute('data-connected'), WAIT).toBe('true');
    await expect.poll(() => tile('shipbot').getAttribute('data-state'), WAIT).toBe('running');
    await screenshotPanel(page, screenshots, 'whole-page');
  });
});
