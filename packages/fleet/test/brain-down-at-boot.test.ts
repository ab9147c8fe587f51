import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '@jbot/core';
import { freePort, freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

// A bot started while its database is down (a managed-database failover, a host that reboots
// before the network is up) waits for it, saying so each time, instead of exiting 1 and leaving
// the systemd unit failed. The real bot process is spawned; a fake `systemd-notify` on PATH
// records what the unit would be told; the "database" is a port that starts forwarding later.
const botMain = path.join(repositoryRoot, 'packages', 'fleet', 'src', 'main.ts');

describe('brain down at boot', () => {
  let database: TestDatabase;
  let directory: string;
  let forwarder: net.Server | undefined;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    database = await freshDatabase();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-brain-down-'));
    const notify = path.join(directory, 'systemd-notify');
    fs.writeFileSync(notify, `#!/bin/sh\necho "$@" >> ${path.join(directory, 'notify.log')}\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(directory, 'empty.env'), '');
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await new Promise<void>((resolve) => (forwarder === undefined ? resolve() : forwarder.close(() => resolve())));
    fs.rmSync(directory, { recursive: true, force: true });
    await database.drop();
  });

  /** Forward a port to the real database, as the database coming back would. */
  function forward(port: number, upstream: URL): Promise<net.Server> {
    const server = net.createServer((socket) => {
      const upstreamSocket = net.connect(Number(upstream.port), upstream.hostname);
      socket.pipe(upstreamSocket).pipe(socket);
      socket.on('error', () => upstreamSocket.destroy());
      upstreamSocket.on('error', () => socket.destroy());
    });
    return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
  }

  it('waits with backoff (logged each time, start timeout extended), then connects and is ready once the database returns', async () => {
    const upstream = new URL(database.url);
    const port = await freePort();
    const url = new URL(database.url);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', botMain, 'opsbot'], {
      cwd: repositoryRoot,
      env: {
        PATH: `${directory}:${process.env['PATH'] ?? ''}`,
        HOME: process.env['HOME'],
        LOG_LEVEL: 'info',
        LOG_PRETTY: 'false',
        DATABASE_URL: url.toString(),
        FLEET_ENV_FILE: path.join(directory, 'empty.env'),
        NOTIFY_SOCKET: path.join(directory, 'notify.sock'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));

    const notifyLog = () => (fs.existsSync(path.join(directory, 'notify.log')) ? fs.readFileSync(path.join(directory, 'notify.log'), 'utf8') : '');
    await waitFor(() => (output.match(/the brain is unreachable; retrying/g) ?? []).length >= 2, { what: 'two logged retries', timeoutMs: 30_000 });
    expect(exited).toBeUndefined();
    await waitFor(() => /EXTEND_TIMEOUT_USEC=\d+/.test(notifyLog()), { what: 'the start timeout to be extended' });
    expect(notifyLog()).not.toMatch(/--ready/);

    forwarder = await forward(port, upstream);
    await waitFor(() => /--ready/.test(notifyLog()), { what: 'READY=1 after the database returned', timeoutMs: 30_000 });
    expect(output).toMatch(/connected to the brain/);
    expect(exited).toBeUndefined();
    child.kill('SIGTERM');
    await waitFor(() => exited !== undefined, { what: 'the bot to stop' });
    expect(exited).toBe(0);
  });
});
