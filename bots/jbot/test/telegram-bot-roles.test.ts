import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { createJbot } from '../src/index.js';
import { answerTo as telegramAnswer, countingSalesbot, recorded as recordedMessage } from './telegram-test-helpers.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 2001;
const botConfig = testBotConfig();

// The Telegram approval flow as deployed: jbot and salesbot each on their own database role, the
// Approve tap decided through the channel handlers' role (fleet_channels), which also registered
// the operator chat jbot's lines go to.
describe('Telegram approvals with a role per bot', () => {
  let database: TestDatabase;
  let owner: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  const opened: Db[] = [];
  const running: RunningBot[] = [];
  let executions = 0;
  let salesbotDb: Db;
  const salesbot = countingSalesbot(() => (executions += 1), 'sent 1 follow-up email');

  const login = (role: string): Db => {
    const url = new URL(database.url);
    url.username = role;
    url.password = `jbot-roles-test-${role}`;
    const db = createPostgresDb({ url: url.toString(), poolMax: 3 });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    database = await freshDatabase();
    owner = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2 });
    for (const role of ['fleet_jbot', 'fleet_salesbot', 'fleet_channels'])
      await owner.rpc('fleet_set_role_password', { p_role: role, p_password: `jbot-roles-test-${role}` });
    emulator = await startTelegramEmulator();
    const jbot = createJbot({
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
        FLEET_TZ: 'UTC',
      },
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    const channels = login('fleet_channels');
    running.push(await startBot(jbot, { db: login('fleet_jbot'), channelsDb: channels, config: botConfig, log: silent }));
    salesbotDb = login('fleet_salesbot');
    running.push(await startBot(salesbot, { db: salesbotDb, channelsDb: channels, config: botConfig, log: silent, approvals: { pollMs: 200 } }));
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await Promise.all(opened.map((db) => db.close()));
    await emulator?.close();
    await sql?.end();
    await owner?.close();
    await database?.drop();
  });

  it('the line reaches the registered operator chat, the tap decides as fleet_channels, salesbot executes once as itself', async () => {
    const { approval } = await buildBotServices(salesbot, { db: salesbotDb, log: silent, host: 'test-host' }).approvals.request({
      action: 'send_followups',
      title: 'Send 1 follow-up email',
      draft: { emails: [{ to: 'dana@wholeharvest.example', subject: 'Holiday program' }] },
    });
    const [chat] = await sql`select registered_by from fleet_operator_chats where chat_id = ${String(OPERATOR)}`;
    expect(chat?.['registered_by']).toBe('fleet_channels');
    const line = await recordedMessage(
      sql,
      await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('Send 1 follow-up email')), { what: 'the approval line' }),
    );
    const tap = await emulator.pressButton(OPERATOR, line.messageId, `ap:${approval.id}:a`, { userId: OPERATOR, username: 'dana_ops' });
    await waitFor(async () => ((await getApproval(owner, approval.id))?.status === 'executed' ? true : undefined), { what: 'the approval executed' });
    expect(await waitFor(() => telegramAnswer(emulator, tap.callbackQueryId), { what: 'the tap answered' })).toBe('Approved');
    const [row] = await sql`select decided_by, decided_role from approvals where id = ${approval.id}`;
    expect(row).toEqual({ decided_by: `telegram:${OPERATOR} (@dana_ops)`, decided_role: 'fleet_channels' });
    expect(executions).toBe(1);
  });
});
