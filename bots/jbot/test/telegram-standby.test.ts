import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresDb, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, startTelegramEmulator, testBotConfig, waitFor, type TelegramEmulator, type TestDatabase } from '@jbot/testkit';
import { createJbot, type TelegramService } from '../src/index.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 1001;

// jbot on two hosts: Telegram serves one poller per token, so only the holder of the brain lease
// receives operator messages; when it stops, the standby takes over and nothing is lost.
describe('jbot on two hosts: one Telegram inbox, the standby takes over', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  const services = new Map<string, TelegramService>();
  const running = new Map<string, RunningBot>();

  const startJbot = async (host: string) => {
    const definition = createJbot({
      env: { TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR), FLEET_TZ: 'UTC' },
      telegramLeaseMs: 1500,
      onTelegram: (service) => services.set(host, service),
    });
    running.set(host, await startBot(definition, { db, config: testBotConfig({ hostId: host }), log: silent }));
  };
  const stored = async (updateId: number) => (await sql`select 1 from operator_messages where external_update_id = ${String(updateId)}`).length;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 1 });
    emulator = await startTelegramEmulator();
    await startJbot('vps-1');
    await startJbot('vps-2');
  });
  afterAll(async () => {
    for (const bot of running.values()) await bot.stop();
    await emulator.close();
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('only the lease holder receives; after it stops the standby receives, each message stored once', async () => {
    const holders = () => [...services.entries()].filter(([, service]) => service.lease.isHolder).map(([host]) => host);
    expect(holders()).toEqual(['vps-1']);
    const first = await emulator.sendText(OPERATOR, 'status');
    await waitFor(async () => (await stored(first.updateId)) === 1, { what: 'vps-1 to receive the first message' });

    await running.get('vps-1')?.stop();
    running.delete('vps-1');
    await waitFor(() => (holders().includes('vps-2') ? true : undefined), { what: 'vps-2 to take the inbox lease', timeoutMs: 10_000 });
    const second = await emulator.sendText(OPERATOR, 'status');
    await waitFor(async () => (await stored(second.updateId)) === 1, { what: 'vps-2 to receive the second message' });
    expect(await stored(first.updateId)).toBe(1);
    const [lease] = await sql`select holder from service_leases where name = 'jbot:telegram-inbox'`;
    expect(String(lease?.['holder'])).toMatch(/^vps-2:/);
  });
});
