import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import type { RunningDashboard } from '../src/index.js';
import { startTestDashboard } from './dashboard-harness.js';

// The health panel from the heartbeats bots write: per bot and host, age, RSS, release, restarts,
// and each channel connection's liveness where the bot reports one.
describe('fleet health panel', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let dashboard: RunningDashboard;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 3 });
    sql = postgres(database.url, { max: 1 });
    dashboard = await startTestDashboard(db);
  });
  afterAll(async () => {
    await dashboard?.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('shows RSS, release, restarts and channel states; a late heartbeat is stale, a stopped bot says so', async () => {
    const beat = (bot: string, host: string, pid: number, startedAt: string, status: string, detail: Record<string, unknown>) =>
      db.rpc('beat_heartbeat', {
        p_bot: bot,
        p_host: host,
        p_pid: pid,
        p_version: '20261201T0900Z-1a2b3c',
        p_started_at: startedAt,
        p_status: status,
        p_detail: detail,
      });
    const now = Date.now();
    // jbot restarted twice today on vps-1; its Telegram inbox is failing.
    for (const [offset, pid] of [
      [3, 101],
      [2, 102],
      [1, 103],
    ] as const)
      await beat('jbot', 'vps-1', pid, new Date(now - offset * 3_600_000).toISOString(), 'running', {
        rss_mb: 61,
        channels: {
          telegram: { channel: 'telegram', state: 'failing', lastReceivedAt: '2026-12-01T09:58:00.000Z', lastError: 'getUpdates: 502 <Bad Gateway>' },
        },
      });
    await beat('opsbot', 'vps-1', 201, new Date(now - 600_000).toISOString(), 'running', {
      rss_mb: 48,
      channels: { discord: { channel: 'discord', state: 'up', lastReceivedAt: null } },
    });
    await beat('sysbot', 'vps-2', 301, new Date(now - 600_000).toISOString(), 'stopped', {});
    // opsbot's last beat is a minute old: three intervals (10 s) have passed.
    await sql`update bot_heartbeats set last_seen = clock_timestamp() - interval '60 seconds' where bot = 'opsbot'`;

    const html = await (await fetch(`${dashboard.url}/panels/health`)).text();
    // One tile's HTML with whitespace collapsed, as the browser shows it.
    const tile = (bot: string) => {
      const start = html.lastIndexOf('<div class="tile', html.indexOf(`data-bot="${bot}"`));
      const next = html.indexOf('<div class="tile', start + 1);
      return html.slice(start, next === -1 ? undefined : next).replace(/\s+/g, ' ');
    };
    expect(html).toContain('1 of 3 running');
    expect(tile('jbot')).toContain('data-state="running"');
    expect(tile('jbot')).toContain('61 MB · release 20261201T0900Z-1a2b3c · 2 restarts in 24 h · pid 103');
    expect(tile('jbot')).toMatch(/data-channel="telegram" title="getUpdates: 502 &lt;Bad Gateway&gt;"/);
    expect(tile('jbot')).toContain('status-failing');
    expect(tile('opsbot')).toContain('data-state="stale"');
    expect(tile('opsbot')).toMatch(/heartbeat 1 min ago|heartbeat 60 s ago/);
    expect(tile('opsbot')).toContain('status-up');
    expect(tile('sysbot')).toContain('data-state="stopped"');
  });
});
