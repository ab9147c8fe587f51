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
    db.rpc('beat_heartbeat', {
      p_bot: bot,
      p_host: 'vps-1',
      p_pid: 1000,
      p_version: 'test',
      p_started_at: startedAt.toISOString(),
      p_status: status,
      p_detail: {},
    });
  const run = async (log = silent) => {
    const context = buildBotServices(sysbot, { db, log, host: 'vps-1' }).context(new AbortController().signal, log, { job: 'fleet-monitor', runId: 'r' });
    return (
      (await fleetMonitor.run({
        ...context,
        job: 'fleet-monitor',
        runId: 'r',
        scheduledFor: new Date(),
        attempt: 1,
        manual: false,
        idempotencyKey: 'k',
        lastRun: async () => null,
      })) as { detail: { restarting: number; unhealthy: number } }
    ).detail;
  };

  it('a healthy minute is a routine tick, logged at debug; the console only hears of trouble', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
    await beat('opsbot', new Date(Date.now() - 3 * 3600_000));
    await run(log);
    expect(fleetMonitor.routine).toBe(true);
    expect(lines.filter((line) => line.msg.startsWith('fleet monitor:'))).toEqual([
      expect.objectContaining({ level: 20, msg: 'fleet monitor: 1 of 1 healthy' }),
    ]);
  });

  it('a bot restarted three times in fifteen minutes is unhealthy although its heartbeat is fresh; a crashed one too; a steady one is not', async () => {
    const now = Date.now();
    for (const minutesAgo of [12, 7, 1]) await beat('shipbot', new Date(now - minutesAgo * 60_000)); // a crash loop
    await beat('opsbot', new Date(now - 3 * 3600_000)); // up for hours
    await beat('mktgbot', new Date(now - 3600_000), 'crashed');
    const result = await run();
    expect(result).toMatchObject({ restarting: 1, unhealthy: 1 });
    const signals = await db.rpc<{ payload: { bot: string; reason: string } }>('list_signals', { p_signal_type: 'bot_unhealthy' });
    expect(signals.map((signal) => [signal.payload.bot, signal.payload.reason]).sort()).toEqual([
      ['mktgbot', 'crashed'],
      ['shipbot', 'restarted 3 times in 15 minutes'],
    ]);
  });
});
