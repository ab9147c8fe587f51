import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { createJbot } from '../src/index.js';
import { countingSalesbot } from './telegram-test-helpers.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 1001;

// An approval offered on Telegram and decided somewhere else (the dashboard, Discord, `fleet
// approve`): the operator's line says so on its own, and its buttons go, without waiting for a tap.
describe('a Telegram approval line follows a decision made elsewhere', () => {
  let database: TestDatabase;
  let db: Db;
  let emulator: TelegramEmulator;
  const running: RunningBot[] = [];
  let executions = 0;
  const salesbot = countingSalesbot(() => (executions += 1), 'sent 2 follow-up emails');

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    emulator = await startTelegramEmulator();
    const jbot = createJbot({
      env: { TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR), FLEET_TZ: 'UTC' },
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    running.push(await startBot(jbot, { db, config: testBotConfig(), log: silent }));
    running.push(await startBot(salesbot, { db, config: testBotConfig(), log: silent, approvals: { pollMs: 200 } }));
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await emulator?.close();
    await db?.close();
    await database?.drop();
  });

  it('approved on the dashboard: the line shows who decided, then that it was done, and has no buttons left', async () => {
    const { approval } = await buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).approvals.request({
      action: 'send_followups',
      title: 'Send 2 follow-up emails to stale wholesale deals',
      draft: { emails: 2 },
    });
    const line = await waitFor(
      () => emulator.botMessages(OPERATOR).find((message) => message.text.includes('Send 2 follow-up emails') && message.inlineKeyboard !== null),
      {
        what: 'the approval line with its buttons',
      },
    );
    expect(
      (await decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'operator via the dashboard', decidedVia: 'dashboard' })).decided,
    ).toBe(true);
    await waitFor(async () => (await getApproval(db, approval.id))?.status === 'executed', { what: 'the approval to execute' });
    const shown = await waitFor(
      () => {
        const current = emulator.botMessages(OPERATOR).find((message) => message.messageId === line.messageId);
        return current !== undefined && /operator via the dashboard/.test(current.text) && /done/.test(current.text) ? current : undefined;
      },
      { what: 'the line to show the decision and its execution' },
    );
    expect(shown.text).toMatch(/^salesbot asked: Send 2 follow-up emails to stale wholesale deals\n✅ Approved by operator via the dashboard/);
    expect(shown.inlineKeyboard ?? []).toEqual([]);
    expect(executions).toBe(1);
    // One line, edited in place: nothing new was sent to the operator for it.
    expect(emulator.botMessages(OPERATOR).filter((message) => message.text.includes('Send 2 follow-up emails'))).toHaveLength(1);
  });
});
