import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, repositoryRoot, type ChannelHealth, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');

// `fleet status` reads each bot's heartbeat; a process with channel connections reports them in detail.channels.
describe('fleet status: each channel connection', () => {
  let database: TestDatabase;
  let db: Db;
  const fleet = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, DATABASE_URL: database.url, COLUMNS: '400' }, encoding: 'utf8' });
  const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
  const health = (overrides: Partial<ChannelHealth> & Pick<ChannelHealth, 'channel'>): ChannelHealth => ({
    state: 'up',
    // Hours, so the printed ages cannot change while the test runs.
    lastReceivedAt: ago(2 * 3600),
    lastSentAt: ago(3 * 86400),
    lastOkAt: ago(1),
    failingSince: null,
    lastError: null,
    restarts: 0,
    checkedAt: ago(1),
    readings: {},
    ...overrides,
  });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    const beat = (bot: string, channels: Record<string, ChannelHealth>) =>
      db.rpc('beat_heartbeat', {
        p_bot: bot,
        p_host: 'vps-1',
        p_pid: 7,
        p_version: '1',
        p_started_at: new Date(),
        p_status: 'running',
        p_detail: { channels },
      });
    await beat('jbot', {
      telegram: health({
        channel: 'telegram',
        state: 'down',
        failingSince: ago(5 * 3600),
        restarts: 3,
        lastError: 'getUpdates 409: Conflict: terminated by other getUpdates request',
        readings: { pending_updates: 2 },
      }),
      discord: health({ channel: 'discord', readings: { ping_ms: 42 } }),
    });
    await beat('opsbot', {});
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('prints state, last received and sent, and the outage per channel', () => {
    const status = fleet('status');
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/channels:/);
    expect(status.stdout).toMatch(/jbot\s+vps-1\s+telegram\s+DOWN\s+2h ago\s+3d ago\s+5h ago \(3 restarts\)\s+getUpdates 409: Conflict.*; pending_updates=2/);
    expect(status.stdout).toMatch(/jbot\s+vps-1\s+discord\s+up\s+2h ago\s+3d ago\s+ping_ms=42/);
    expect(status.stdout).not.toMatch(/opsbot\s+vps-1\s+(telegram|discord)/);
  });
});
