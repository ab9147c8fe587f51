import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireSupervisorLock, SupervisorRunningError } from '../src/supervisor/supervisor-lock.js';

// The pid file that keeps two supervisors off one data directory, and what it does after a crash.
describe('supervisor.pid', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-lock-'));
  const file = path.join(dataDir, 'supervisor.pid');
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('a second claim while the holder runs is refused with its pid; after release it is free again', () => {
    const lock = acquireSupervisorLock(dataDir, { bots: ['opsbot'] });
    let refused: unknown;
    try {
      acquireSupervisorLock(dataDir, { bots: ['opsbot'] });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(SupervisorRunningError);
    expect(String((refused as Error).message)).toContain(`supervisor pid ${process.pid} on ${os.hostname()}`);
    expect(fs.readdirSync(dataDir)).toEqual(['supervisor.pid']);
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    acquireSupervisorLock(dataDir, { bots: [] }).release();
  });

  it('a file left by a crashed supervisor (its pid gone) is taken over', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(file, JSON.stringify({ pid: Number(gone.stdout), host: os.hostname(), startedAt: new Date().toISOString(), bots: ['opsbot'] }));
    const lock = acquireSupervisorLock(dataDir, { bots: ['sysbot'] });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, bots: ['sysbot'] });
    lock.release();
  });

  it.runIf(fs.existsSync('/proc/self/stat'))('a pid reused by another process since the crash is not mistaken for the supervisor', () => {
    // Our own pid, alive, but recorded with another start time: the pid was reused.
    fs.writeFileSync(
      file,
      JSON.stringify({
        pid: process.pid,
        host: os.hostname(),
        startedAt: new Date().toISOString(),
        bots: [],
        processStart: '1',
        bootId: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
      }),
    );
    const lock = acquireSupervisorLock(dataDir, { bots: [] });
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it.runIf(fs.existsSync('/proc/self/stat'))('a file from an earlier boot is stale whatever its pid', () => {
    fs.writeFileSync(
      file,
      JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: '2026-01-01T00:00:00Z', bots: [], bootId: 'an-earlier-boot', processStart: '1' }),
    );
    acquireSupervisorLock(dataDir, { bots: [] }).release();
    expect(fs.existsSync(file)).toBe(false);
  });
});
