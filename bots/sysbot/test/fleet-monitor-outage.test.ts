import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db, type LastRun } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { fleetMonitor } from '../src/jobs/fleet-monitor.js';

const silent = pino({ level: 'silent' });
const BOTS = ['jbot', 'salesbot', 'opsbot', 'shipbot', 'mktgbot'];

// After the brain was unreachable, every bot's heartbeat is stale at once until its next beat.
// That is one event, not five alerts about bots that never stopped: a group that went quiet
// together is held for a run; a group still silent a minute later is raised once, as one alert.
describe('sysbot fleet monitor after a brain outage', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });
  beforeEach(async () => {
    await sql`delete from bot_heartbeats`;
    await sql`delete from signal_receipts`;
    await sql`delete from bot_signals`;
  });

  const beat = (bot: string, secondsAgo: number, host = 'vps-1') =>
    db
      .rpc('beat_heartbeat', {
        p_bot: bot,
        p_host: host,
        p_pid: 1000,
        p_version: 'test',
        p_started_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
        p_status: 'running',
        p_detail: {},
      })
      .then(() => sql`update bot_heartbeats set last_seen = now() - ${secondsAgo} * interval '1 second' where bot = ${bot} and host = ${host}`);

  const run = async (last: LastRun | null) => {
    const context = buildBotServices(sysbot, { db, log: silent, host: 'vps-1' }).context(new AbortController().signal, silent, {
      job: 'fleet-monitor',
      runId: 'r',
    });
    return (await fleetMonitor.run({
      ...context,
      job: 'fleet-monitor',
      runId: 'r',
      scheduledFor: new Date(),
      attempt: 1,
      manual: false,
      idempotencyKey: 'k',
      lastRun: async () => last,
    })) as { outcome: string; fingerprint: string; detail: { held: string[]; unhealthy: number } };
  };
  const asLastRun = (result: Awaited<ReturnType<typeof run>>): LastRun => ({
    runId: 'previous',
    scheduledFor: new Date(Date.now() - 60_000).toISOString(),
    result: result.detail,
    outcome: result.outcome,
    fingerprint: result.fingerprint,
  });
  const unhealthySignals = () => db.rpc<{ payload: { bot: string; reason: string } }>('list_signals', { p_signal_type: 'bot_unhealthy' });

  it('bots that went quiet together are held a run, and once they beat again nothing is raised', async () => {
    for (const [index, bot] of BOTS.entries()) await beat(bot, 95 + index * 2);
    const first = await run(null);
    expect(first.detail.held).toHaveLength(5);
    expect(first.outcome).toBe('5 quiet together, held a run');
    expect(await unhealthySignals()).toEqual([]);

    // The brain is back: every bot writes its next beat within the interval.
    for (const bot of BOTS) await beat(bot, 1);
    const second = await run(asLastRun(first));
    expect(second.detail.held).toEqual([]);
    expect(await unhealthySignals()).toEqual([]);
  });

  it('a group still silent on the next run is raised once, as one alert naming every bot', async () => {
    for (const [index, bot] of BOTS.entries()) await beat(bot, 95 + index * 2);
    const first = await run(null);
    const second = await run(asLastRun(first));
    await run(asLastRun(first));
    const signals = await unhealthySignals();
    expect(signals).toHaveLength(1);
    expect(signals[0]?.payload.bot).toBe('mktgbot,shipbot,opsbot,salesbot,jbot');
    expect(signals[0]?.payload.reason).toMatch(/^5 bots stopped beating together at .* host vps-1 or its network is down$/);
    expect(second.outcome).toMatch(/^5 flagged: /);
  });

  it('one bot that stopped alone is raised at once, as before', async () => {
    for (const bot of BOTS.slice(1)) await beat(bot, 2);
    await beat('jbot', 90);
    const result = await run(null);
    expect(result.detail.held).toEqual([]);
    expect((await unhealthySignals()).map((signal) => signal.payload)).toEqual([expect.objectContaining({ bot: 'jbot', reason: 'no heartbeat for 90 s' })]);
  });
});
