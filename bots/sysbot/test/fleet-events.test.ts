import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, defineBot, startBot, type Db, type RunningBot, type Signal } from '@jbot/core';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { postFleetEvent } from '../src/fleet-events.js';

const silent = pino({ level: 'silent' });

describe("sysbot: the fleet's health on #sys-bot", () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let running: RunningBot;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 1 });
    running = await startBot(sysbot, { db, config: testBotConfig(), log: silent });
  });
  afterAll(async () => {
    await running.stop();
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('a failing job elsewhere becomes one line on #sys-bot, once however often it is delivered', async () => {
    const salesbot = buildBotServices(defineBot({ name: 'salesbot', purpose: 'test' }), { db, log: silent, host: 'test' });
    const failed = await salesbot.signals.emit('job_failed', { bot: 'salesbot', job: 'hubspot-sync', error: 'HubSpot answered 401', consecutive_failures: 2 });
    const line = await waitFor(
      async () => (await sql`select text, signal_id::text from channel_messages where bot = 'sysbot' and body->>'kind' = 'fleet_event'`)[0],
      { what: 'the #sys-bot line' },
    );
    expect(line).toEqual({ text: 'salesbot: job hubspot-sync failed 2× in a row — HubSpot answered 401', signal_id: failed.id });
    // Redeliver only once the first delivery is acknowledged: its post is recorded a moment before
    // its runOnce claim is marked done, and a redelivery in between is told to retry (as it should).
    await waitFor(
      async () => (await sql`select 1 from signal_receipts where signal_id = ${failed.id} and consumer_bot = 'sysbot' and status = 'handled'`).length === 1,
      {
        what: "sysbot's receipt handled",
      },
    );
    const [signal] = await sql`select id::text, source_bot, signal_type, severity::text, payload from bot_signals where id = ${failed.id}`;
    await postFleetEvent(
      { id: failed.id, sourceBot: 'salesbot', type: 'job_failed', severity: signal?.['severity'], payload: signal?.['payload'] } as unknown as Signal,
      buildBotServices(sysbot, { db, log: silent, host: 'test' }).context(new AbortController().signal, silent),
    );
    expect(await sql`select 1 from channel_messages where bot = 'sysbot' and body->>'kind' = 'fleet_event'`).toHaveLength(1);
  });
});
