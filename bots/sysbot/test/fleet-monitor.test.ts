import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { fleetMonitor } from '../src/jobs/fleet-monitor.js';

const silent = pino({ level: 'silent' });

describe('sysbot fleet monitor', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  const beat = (bot: string, startedAt: Date, status = 'running') =>
    db.rpc('beat_heartbeat', { p_bot: bot, p_host: 'vps-1', p_pid: 1000, p_version: 'test', p_started_at: startedAt.toISOString(), p_status: status, p_detail: {} });
  const run = async () => {
    const context = buildBotServices(sysbot, { db, log: silent, host: 'vps-1' }).context(new AbortController().signal, silent, { job: 'fleet-monitor', runId: 'r' });
    return (await fleetMonitor.run({ ...context, job: 'fleet-monitor', runId: 'r', scheduledFor: new Date(), attempt: 1, manual: false, idempotencyKey: 'k', lastRun: async () => null })) as { restarting: number; unhealthy: number };
  };

  it('a bot restarted three times in fifteen minutes is unhealthy although its heartbeat is fresh; a crashed one too; a steady one is not', async () => {
    const now = Date.now();
    for (const minutesAgo of [12, 7, 1]) await beat('shipbot', new Date(now - minutesAgo * 60_000)); // a crash loop
    await beat('opsbot', new Date(now - 3 * 3600_000)); // up for hours
    await beat('mktgbot', new Date(now - 3600_000), 'crashed');
    const result = await run();
    expect(result).toMatchObject({ restarting: 1, unhealthy: 1 });
    const signals = await db.rpc<{ payload: { bot: string; reason: string } }>('list_signals', { p_signal_type: 'bot_unhealthy' });
    expect(signals.map((signal) => [signal.payload.bot, signal.payload.reason]).sort()).toEqual([['mktgbot', 'crashed'], ['shipbot', 'restarted 3 times in 15 minutes']]);
  });
});
