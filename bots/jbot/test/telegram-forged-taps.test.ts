import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import {
  buildBotServices,
  catalogSignalTypes,
  createPostgresDb,
  createSignalEmitter,
  getApproval,
  SignalRegistry,
  startBot,
  type Db,
  type RunningBot,
} from '@jbot/core';
import { freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { freightDelay } from '@jbot/opsbot/signals';
import { createJbot } from '../src/index.js';
import { answerTo as telegramAnswer, countingSalesbot, recorded as recordedMessage } from './telegram-test-helpers.js';

const silent = pino({ level: 'silent' });
// The operator's own chat gets opsbot's lines; the sales team's group gets salesbot's (TELEGRAM_ROUTES).
const OPERATOR = 1001;
const SALES_GROUP = -100_2002;
const SALES_MEMBER = 2002;
const registry = new SignalRegistry([...catalogSignalTypes, freightDelay]);
const fleet = [
  { name: 'jbot', channel: '#jbot', purpose: '' },
  { name: 'opsbot', channel: '#ops-bot', purpose: '' },
  { name: 'salesbot', channel: '#sales-bot', purpose: '' },
];

// Telegram does not check callback_data against the keyboard: anyone in an operator chat can send
// any `ap:<id>:a`. A tap counts only for a button the pressed message really carried.
describe('forged Telegram taps change nothing', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  const running: RunningBot[] = [];
  let executions = 0;
  const warnings: Array<{ msg: string; groups?: string[] }> = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as { msg: string }) });
  const answerTo = (callbackQueryId: string) => telegramAnswer(emulator, callbackQueryId);
  const recorded = <Message extends { messageId: number }>(message: Message) => recordedMessage(sql, message);
  const salesbot = countingSalesbot(() => (executions += 1));
  // Every update before a later one is handled first: a sentinel message marks the taps as handled.
  const afterTaps = async (chatId: number) => {
    const sentinel = await emulator.sendText(chatId, 'status');
    await waitFor(async () => (await sql`select 1 from operator_messages where external_update_id = ${String(sentinel.updateId)}`).length === 1, {
      what: 'the taps before the sentinel to be handled',
    });
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2 });
    emulator = await startTelegramEmulator();
    const jbot = createJbot({
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        TELEGRAM_OPERATOR_CHAT_IDS: `${OPERATOR},${SALES_GROUP}`,
        TELEGRAM_ROUTES: `salesbot=${SALES_GROUP},opsbot=${OPERATOR}`,
        // No TELEGRAM_APPROVER_USER_IDS: everyone in both chats may decide what their chat was offered.
        FLEET_TZ: 'UTC',
      },
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    running.push(await startBot(jbot, { db, config: testBotConfig(), log, registry, fleet }));
    running.push(await startBot(salesbot, { db, config: testBotConfig(), log: silent, registry, fleet, approvals: { pollMs: 200 } }));
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await emulator?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('warns at start that a group operator chat without TELEGRAM_APPROVER_USER_IDS lets every member approve', () => {
    const warning = warnings.find((line) => line.msg.includes('TELEGRAM_APPROVER_USER_IDS is empty'));
    expect(warning?.msg).toContain(`group chat ${SALES_GROUP}`);
    expect(warning?.groups).toEqual([String(SALES_GROUP)]);
  });

  it("a tap forged for another chat's approval, for an approval never offered, or on a message that did not offer it: 'Not allowed', nothing decided", async () => {
    const { approval } = await buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).approvals.request({
      action: 'send_followups',
      title: 'Send a follow-up to Whole Harvest Market',
      draft: { emails: [{ to: 'dana@wholeharvest.example', subject: 'Picking up the holiday program', body: 'Hi Dana,\nShall we pick it up?' }] },
    });
    const offer = await recorded(
      await waitFor(() => emulator.botMessages(SALES_GROUP).find((message) => message.text.includes('Whole Harvest Market')), {
        what: 'the offer in the sales group',
      }),
    );
    expect(emulator.botMessages(OPERATOR).filter((message) => message.text.includes('Whole Harvest Market'))).toHaveLength(0);
    // An approval no chat was offered (requested straight in the brain, never announced).
    const [hidden] = await db.rpc<{ approval_id: string }>('request_approval', {
      p_bot: 'salesbot',
      p_action: 'send_followups',
      p_title: 'Never offered on Telegram',
      p_draft: {},
    });
    const hiddenId = String(hidden?.approval_id);
    // An opsbot line in the operator's chat, to press forged buttons on.
    const alert = await createSignalEmitter({ db, registry, bot: 'opsbot' }).emit('freight_delay', { shipment_id: 'SHKGH0525145', delay_days: 21 });
    const opsLine = await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('SHKGH0525145')), {
      what: "opsbot's line in the operator chat",
    });
    await waitFor(async () => (await sql`select 1 from channel_messages where signal_id = ${alert.id} and channel = 'telegram'`).length === 1, {
      what: 'the line recorded',
    });

    const forged = [
      // In the operator chat, salesbot's approval (offered only to the sales group), pressed on opsbot's line.
      await emulator.pressButton(OPERATOR, opsLine.messageId, `ap:${approval.id}:a`, { userId: OPERATOR }),
      // In the sales group, on the real offer, for an approval it never carried.
      await emulator.pressButton(SALES_GROUP, offer.messageId, `ap:${hiddenId}:a`, { userId: SALES_MEMBER }),
      // The right approval, on a message id that was never sent.
      await emulator.pressButton(SALES_GROUP, 999_999, `ap:${approval.id}:a`, { userId: SALES_MEMBER }),
    ];
    await afterTaps(OPERATOR);
    await afterTaps(SALES_GROUP);
    for (const tap of forged) expect(answerTo(tap.callbackQueryId)).toBe('Not allowed: this message did not offer that button. Nothing changed.');
    expect(await getApproval(db, approval.id)).toMatchObject({ status: 'pending', decidedBy: null });
    expect(await getApproval(db, hiddenId)).toMatchObject({ status: 'pending', decidedBy: null });
    expect(emulator.botMessages(SALES_GROUP).find((message) => message.messageId === offer.messageId)?.inlineKeyboard?.[0]).toHaveLength(2);

    // The real button on the real message still decides.
    const real = await emulator.pressButton(SALES_GROUP, offer.messageId, `ap:${approval.id}:a`, { userId: SALES_MEMBER, username: 'sam_sales' });
    expect(await waitFor(() => answerTo(real.callbackQueryId), { what: 'the real tap answered' })).toBe('Approved');
    await waitFor(async () => ((await getApproval(db, approval.id))?.status === 'executed' ? true : undefined), { what: 'the approval executed' });
    expect(executions).toBe(1);
    expect((await getApproval(db, hiddenId))?.status).toBe('pending');
  });
});
