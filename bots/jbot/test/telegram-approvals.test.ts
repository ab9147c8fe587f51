import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { createJbot } from '../src/index.js';
import { answerTo as telegramAnswer, countingSalesbot, recorded as recordedMessage } from './telegram-test-helpers.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 1001;
const NOT_AN_APPROVER = 1002;
const STRANGER = 666_999;
const botConfig = testBotConfig();

// Approvals decided from Telegram: grammY against the telegram-test-api emulator, real Postgres,
// the same first-decision-wins decide_approval as a Discord click.
describe('approvals on Telegram: inline Approve / Reject under the same first-decision-wins rule', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  const running: RunningBot[] = [];
  let executions = 0;
  const answerTo = (callbackQueryId: string) => telegramAnswer(emulator, callbackQueryId);
  const recorded = <Message extends { messageId: number }>(message: Message) => recordedMessage(sql, message);
  const salesbot = countingSalesbot(() => (executions += 1), 'sent 2 follow-up emails');

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2 });
    emulator = await startTelegramEmulator();
    const jbot = createJbot({
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        // A group chat with the operator and a colleague; only the operator may decide.
        TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
        TELEGRAM_APPROVER_USER_IDS: String(OPERATOR),
        FLEET_TZ: 'UTC',
        // Lines queued within 2.5 s of the chat's last message go out together (the batching test).
        TELEGRAM_MIN_INTERVAL_MS: '2500',
      },
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    running.push(await startBot(jbot, { db, config: botConfig, log: silent }));
    running.push(await startBot(salesbot, { db, config: botConfig, log: silent, approvals: { pollMs: 200 } }));
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await emulator?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('an approval request becomes one line with two buttons; strangers and non-approvers change nothing; the first tap decides, once', async () => {
    const { approval } = await buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).approvals.request({
      action: 'send_followups',
      title: 'Send 2 follow-up emails to stale wholesale deals',
      draft: { emails: [{ to: 'dana@wholeharvest.example', subject: 'Picking up the holiday program' }] },
    });
    const line = await recorded(
      await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('Send 2 follow-up emails')), { what: 'the approval line' }),
    );
    // The whole (short) draft is on the line, so Approve sits under what it approves.
    expect(line.text).toBe(
      '🟡 salesbot asks: Send 2 follow-up emails to stale wholesale deals\nemails (1):\n  1) to: dana@wholeharvest.example\n     subject: Picking up the holiday program',
    );
    expect(line.inlineKeyboard).toEqual([
      [
        { text: '✅ Approve', callback_data: `ap:${approval.id}:a` },
        { text: '✖️ Reject', callback_data: `ap:${approval.id}:r` },
      ],
    ]);
    expect(emulator.botMessages(OPERATOR).filter((message) => message.text.includes('Send 2 follow-up emails'))).toHaveLength(1);

    // A chat that is not an operator chat is ignored outright (not even answered); a colleague in the operator chat is refused.
    const strangerTap = await emulator.pressButton(STRANGER, line.messageId, `ap:${approval.id}:a`, { userId: STRANGER });
    const colleagueTap = await emulator.pressButton(OPERATOR, line.messageId, `ap:${approval.id}:r`, { userId: NOT_AN_APPROVER });
    const sentinel = await emulator.sendText(OPERATOR, 'status');
    await waitFor(async () => (await sql`select 1 from operator_messages where external_update_id = ${String(sentinel.updateId)}`).length === 1, {
      what: 'the taps before the sentinel to be handled',
    });
    expect((await getApproval(db, approval.id))?.status).toBe('pending');
    expect(answerTo(strangerTap.callbackQueryId)).toBeUndefined();
    expect(answerTo(colleagueTap.callbackQueryId)).toMatch(/^Not allowed/);
    expect(emulator.botMessages(OPERATOR).find((message) => message.messageId === line.messageId)?.inlineKeyboard).toHaveLength(1);

    const operatorTap = await emulator.pressButton(OPERATOR, line.messageId, `ap:${approval.id}:a`, { userId: OPERATOR, username: 'dana_ops' });
    const decided = await waitFor(
      async () => {
        const current = await getApproval(db, approval.id);
        return current?.status === 'executed' ? current : undefined;
      },
      { what: 'the approval decided from Telegram and executed' },
    );
    expect(decided).toMatchObject({ decidedBy: `telegram:${OPERATOR} (@dana_ops)`, decidedVia: 'telegram' });
    expect(await waitFor(() => answerTo(operatorTap.callbackQueryId), { what: 'the tap answered' })).toBe('Approved');
    const edited = await waitFor(
      () => emulator.botMessages(OPERATOR).find((message) => message.messageId === line.messageId && message.text.includes('Approved by @dana_ops')),
      { what: 'the message edited' },
    );
    expect(edited.text).toMatch(/^salesbot asked: Send 2 follow-up emails to stale wholesale deals\n✅ Approved by @dana_ops/);
    expect(edited.inlineKeyboard ?? []).toEqual([]);

    // A second tap (even Reject) changes nothing: first decision wins.
    const lateTap = await emulator.pressButton(OPERATOR, line.messageId, `ap:${approval.id}:r`, { userId: OPERATOR });
    const after = await emulator.sendText(OPERATOR, 'status');
    await waitFor(async () => (await sql`select 1 from operator_messages where external_update_id = ${String(after.updateId)}`).length === 1, {
      what: 'the late tap to be handled',
    });
    expect(await getApproval(db, approval.id)).toMatchObject({ status: 'executed', decidedBy: `telegram:${OPERATOR} (@dana_ops)` });
    expect(answerTo(lateTap.callbackQueryId)).toBe('Already approved by @dana_ops via Telegram');
    expect(executions).toBe(1);
  });

  it('an approval decided elsewhere first: the Telegram tap changes nothing, says who decided, and the stale buttons go', async () => {
    const { approval } = await buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).approvals.request({
      action: 'send_followups',
      title: 'Send a delay notice to Harbor Lights Gifts',
      draft: { emails: [{ to: 'leah@harborlightsgifts.example', subject: 'Update on your order WO-7722' }] },
    });
    const line = await recorded(
      await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('delay notice to Harbor Lights')), {
        what: 'the approval line',
      }),
    );
    expect(line.inlineKeyboard?.[0]).toHaveLength(2);
    // Someone rejects it at the terminal (`fleet reject`) before the operator looks at Telegram.
    expect((await decideApproval(db, { approvalId: approval.id, decision: 'rejected', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);

    const tap = await emulator.pressButton(OPERATOR, line.messageId, `ap:${approval.id}:a`, { userId: OPERATOR });
    expect(await waitFor(() => answerTo(tap.callbackQueryId), { what: 'the tap answered' })).toBe('Already rejected by ana via fleet approve');
    const edited = await waitFor(
      () => emulator.botMessages(OPERATOR).find((message) => message.messageId === line.messageId && message.text.includes('Rejected by')),
      { what: 'the message edited' },
    );
    expect(edited.text).toBe('salesbot asked: Send a delay notice to Harbor Lights Gifts\n✖️ Rejected by ana via fleet approve — nothing will be done');
    expect(edited.inlineKeyboard ?? []).toEqual([]);
    expect(await getApproval(db, approval.id)).toMatchObject({ status: 'rejected', decidedBy: 'ana', decidedVia: 'local' });
    expect(executions).toBe(1);
  });

  it('a batched message with two approvals: deciding one keeps the other line and its buttons, deciding both removes them', async () => {
    // jbot has just answered in this chat, so the next lines wait for the per-chat interval and go out as one message.
    const asked = await emulator.sendText(OPERATOR, 'hello jbot');
    await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.replyToMessageId === asked.messageId), { what: "jbot's answer" });
    const services = buildBotServices(salesbot, { db, log: silent, host: 'test-host' });
    const saltmarsh = (await services.approvals.request({ action: 'send_followups', title: 'Send a restock note to Saltmarsh Goods', draft: {} })).approval;
    const coastal = (await services.approvals.request({ action: 'send_followups', title: 'Send a restock note to Coastal Home Co.', draft: {} })).approval;
    const batch = await recorded(
      await waitFor(
        () => emulator.botMessages(OPERATOR).find((message) => message.text.includes('Saltmarsh Goods') && message.text.includes('Coastal Home Co.')),
        { what: 'one message with both approvals' },
      ),
    );
    const rowFor = (keyboard: typeof batch.inlineKeyboard, approvalId: string) =>
      (keyboard ?? []).find((row) => row.some((button) => button.callback_data?.includes(approvalId)));
    expect(batch.inlineKeyboard).toHaveLength(2);
    expect(rowFor(batch.inlineKeyboard, saltmarsh.id)?.map((button) => button.callback_data)).toEqual([`ap:${saltmarsh.id}:a`, `ap:${saltmarsh.id}:r`]);

    const reject = await emulator.pressButton(OPERATOR, batch.messageId, `ap:${coastal.id}:r`, { userId: OPERATOR, username: 'dana_ops' });
    expect(await waitFor(() => answerTo(reject.callbackQueryId), { what: 'the tap answered' })).toBe('Rejected');
    const once = await waitFor(
      () => emulator.botMessages(OPERATOR).find((message) => message.messageId === batch.messageId && message.text.includes('Rejected by')),
      { what: 'the batch edited' },
    );
    expect(once.text).toMatch(/salesbot asks: Send a restock note to Coastal Home Co\. — ✖️ Rejected by @dana_ops — nothing will be done/);
    expect(once.text).toMatch(/salesbot asks: Send a restock note to Saltmarsh Goods\n/);
    expect(once.inlineKeyboard).toEqual([rowFor(batch.inlineKeyboard, saltmarsh.id)]);

    const approve = await emulator.pressButton(OPERATOR, batch.messageId, `ap:${saltmarsh.id}:a`, { userId: OPERATOR, username: 'dana_ops' });
    expect(await waitFor(() => answerTo(approve.callbackQueryId), { what: 'the second tap answered' })).toBe('Approved');
    const twice = await waitFor(
      () =>
        emulator
          .botMessages(OPERATOR)
          .find((message) => message.messageId === batch.messageId && message.text.includes('Saltmarsh Goods — ✅ Approved by @dana_ops')),
      { what: 'the batch edited again' },
    );
    expect(twice.text).toMatch(/Coastal Home Co\. — ✖️ Rejected by @dana_ops/);
    expect(twice.inlineKeyboard ?? []).toEqual([]);
    expect(
      await waitFor(async () => ((await getApproval(db, saltmarsh.id))?.status === 'executed' ? true : undefined), { what: 'the approved one executed' }),
    ).toBe(true);
    expect((await getApproval(db, coastal.id))?.status).toBe('rejected');
    expect(executions).toBe(2);
  });
});
