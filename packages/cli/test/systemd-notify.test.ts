import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, repositoryRoot, type Db } from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

// The readiness signal behind Type=notify: a real bot process started with NOTIFY_SOCKET sends
// READY=1 (through systemd-notify, with its barrier) once it is up. The socket's receiving end is
// a few lines of Python doing what systemd does (Node has no unix datagram sockets).
const fixture = path.join(repositoryRoot, 'packages', 'cli', 'test', 'standby-fixtures', 'standby-salesbot.ts');
const receiverScript = path.join(repositoryRoot, 'packages', 'cli', 'test', 'systemd-fixtures', 'notify-socket.py');

function ensureCommands(commands: Record<string, string>): void {
  const missing = () => Object.keys(commands).filter((command) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0);
  const packages = [...new Set(missing().map((command) => commands[command]))];
  if (packages.length === 0) return;
  if (process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
    spawnSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`], {
      timeout: 600_000,
    });
  }
  if (missing().length > 0)
    throw new Error(`${missing().join(', ')} missing and not installable here (needs root and apt-get): apt-get install ${packages.join(' ')}`);
}

describe('readiness under systemd', () => {
  let database: TestDatabase;
  let db: Db;
  let directory: string;
  const processes: ChildProcess[] = [];
  beforeAll(async () => {
    ensureCommands({ 'systemd-notify': 'systemd', python3: 'python3-minimal' });
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-notify-'));
  }, 620_000);
  afterAll(async () => {
    for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await db.close();
    await database.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('a bot sends READY=1 once it is up (heartbeat running), and systemd-notify completes its barrier', async () => {
    const socketPath = path.join(directory, 'notify.sock');
    const receiver = spawn('python3', [receiverScript, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    processes.push(receiver);
    const messages: Array<{ message?: string; listening?: string; at: number }> = [];
    readline.createInterface({ input: receiver.stdout }).on('line', (line) => messages.push({ ...(JSON.parse(line) as { message?: string }), at: Date.now() }));
    await waitFor(() => messages.some((entry) => entry.listening !== undefined), { timeoutMs: 10_000, what: 'the notify socket' });

    const started = Date.now();
    const bot = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        FLEET_HOST_ID: 'vps-1',
        NOTIFY_SOCKET: socketPath,
        LOG_LEVEL: 'warn',
        STANDBY_TICK_LOG: path.join(directory, 'ticks.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    processes.push(bot);
    let output = '';
    bot.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    bot.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const ready = await waitFor(() => messages.find((entry) => entry.message?.split('\n').includes('READY=1')), {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: 'READY=1',
    });
    expect(ready.message?.split('\n')).toContain('STATUS=running');
    // Ready means up: the heartbeat was written before the notification.
    const beats = await db.rpc<{ bot: string; host: string; status: string }>('fleet_heartbeats');
    expect(beats.filter((row) => row.bot === 'salesbot' && row.host === 'vps-1').map((row) => row.status)).toEqual(['running']);
    // The barrier message follows, and systemd-notify reports no failure.
    await waitFor(() => messages.some((entry) => entry.message === 'BARRIER=1'), { timeoutMs: 10_000, what: 'BARRIER=1' });
    const exited = new Promise((resolve) => bot.once('exit', resolve));
    bot.kill('SIGTERM');
    await exited;
    expect(output).not.toContain('systemd-notify --ready failed');
    process.stdout.write(`readiness: READY=1 ${ready.at - started} ms after spawn\n`);
  }, 120_000);
});
