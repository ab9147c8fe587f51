import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, startTelegramEmulator, testBotConfig, waitFor, type TelegramEmulator, type TestDatabase } from '@jbot/testkit';
import { approvalNudge, approvalNudgeSettings, createJbot, loadJbotConfig } from '../src/index.js';
import { businessMsBetween } from '../src/business-hours.js';
import { countingSalesbot, recorded } from './telegram-test-helpers.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 2001;
const DAY_MS = 86_400_000;

// approval-nudge against real Postgres and the telegram-test-api emulator: the catalogue's rule
// (pending and (expires within 2 h or pending ≥ 4 business hours), not offered in the last 2 h,
// never in quiet hours), one batched re-offer whose buttons decide like the first offer's.
describe('jbot approval-nudge', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  const running: RunningBot[] = [];
  let executions = 0;
  const salesbot = countingSalesbot(() => (executions += 1));
  let env: Record<string, string>;
  const jbotDefinition = () => createJbot({ env });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    emulator = await startTelegramEmulator();
    env = {
      TELEGRAM_BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
      TELEGRAM_QUIET_HOURS: '22:00-07:00',
      FLEET_TZ: 'UTC',
      TELEGRAM_MIN_INTERVAL_MS: '200',
    };
    // The first offers go out at a daytime "now", so each approval has been offered once before the nudge looks.
    running.push(await startBot(createJbot({ env, now: () => new Date('2026-12-01T12:00:00Z') }), { db, config: testBotConfig(), log: silent }));
    running.push(await startBot(salesbot, { db, config: testBotConfig(), log: silent, approvals: { pollMs: 200 } }));
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await emulator?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const ask = async (title: string, expiresIn = DAY_MS) => {
    const { approval } = await buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).approvals.request({
      action: 'send_followups',
      title,
      draft: { emails: [{ to: 'buyer@example.com', subject: title }] },
      expiresIn,
    });
    // Wait for jbot's first offer to be sent, so the nudge sees it as offered.
    await waitFor(async () => (await sql`select 1 from telegram_outbox where approval_id = ${approval.id} and status = 'sent'`).length === 1, {
      what: `the first offer of "${title}"`,
    });
    return approval;
  };
  // Move an approval (and its first offer) into the past, as if asked that long ago.
  const backdate = async (approvalId: string, requestedAgoMs: number, offeredAgoMs: number) => {
    await sql`update approvals set requested_at = now() - ${requestedAgoMs / 1000} * interval '1 second' where id = ${approvalId}`;
    await sql`update telegram_outbox set created_at = now() - ${offeredAgoMs / 1000} * interval '1 second' where approval_id = ${approvalId}`;
  };
  const run = async (scheduledFor: Date, key: string, manual = false) => {
    const definition = jbotDefinition();
    const context = buildBotServices(definition, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, {
      job: 'approval-nudge',
      runId: key,
    });
    return (await approvalNudge.run({
      ...context,
      config: { ...loadJbotConfig(env), ...approvalNudgeSettings.load(env) },
      job: 'approval-nudge',
      runId: key,
      scheduledFor,
      attempt: 1,
      manual,
      idempotencyKey: key,
      lastRun: async () => null,
    })) as { outcome: string; detail: { nudged: Array<{ approval: string; reason: string }> } };
  };

  it('re-offers the long-pending and the about-to-expire approvals in one message with working buttons; healthy ones are left alone; never twice in 2 h', async () => {
    const longPending = await ask('Send the Q1 wholesale price list to Copper Kettle');
    const expiring = await ask('Send a restock note to Saltmarsh Goods', 5 * 3600_000);
    const fresh = await ask('Send a thank-you to Whole Harvest');
    const recentlyOffered = await ask('Send samples to Driftwood & Co');
    // A week ago is at least 4 business hours on any calendar; the fresh one waited an hour of wall clock.
    await backdate(longPending.id, 7 * DAY_MS, 7 * DAY_MS);
    await sql`update approvals set expires_at = now() + interval '90 minutes' where id = ${expiring.id}`;
    await backdate(expiring.id, 3 * 3600_000, 3 * 3600_000);
    await backdate(fresh.id, 3600_000, 3 * 3600_000);
    await backdate(recentlyOffered.id, 7 * DAY_MS, 3600_000);
    const before = emulator.botMessages(OPERATOR).length;

    // Inside quiet hours nothing is offered, whatever waits.
    const quiet = await run(new Date('2026-12-01T23:30:00Z'), 'quiet');
    expect(quiet.outcome).toBe('quiet hours: no approval offered');
    expect((await sql`select 1 from telegram_outbox where body ->> 'nudge' = 'true'`).length).toBe(0);

    const result = await run(new Date('2026-12-01T14:00:00Z'), 'tick-1400');
    expect(result.outcome).toBe('2 approvals re-offered on Telegram');
    expect(result.detail.nudged.map((item) => [item.approval, item.reason]).sort()).toEqual(
      [
        [longPending.id, 'waiting'],
        [expiring.id, 'expiring'],
      ].sort(),
    );
    const nudge = await recorded(
      sql,
      await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.startsWith('⏰')), { what: 'the nudge message' }),
    );
    // One message: the header, then each approval as its offer shows it, numbered, with its buttons.
    expect(emulator.botMessages(OPERATOR).slice(before)).toHaveLength(1);
    expect(nudge.text).toMatch(/^⏰ 2 approvals still waiting on you \(1 expires within 1 h( \d+ min)?; 1 waiting since half a day or more\):\n/);
    expect(nudge.text).toContain('1. salesbot asks: Send a restock note to Saltmarsh Goods');
    expect(nudge.text).toContain('2. salesbot asks: Send the Q1 wholesale price list to Copper Kettle');
    expect(nudge.text).not.toContain('Whole Harvest');
    expect(nudge.text).not.toContain('Driftwood');
    expect(nudge.inlineKeyboard).toEqual([
      [
        { text: '1: ✅ Approve', callback_data: `ap:${expiring.id}:a` },
        { text: '1: ✖️ Reject', callback_data: `ap:${expiring.id}:r` },
      ],
      [
        { text: '2: ✅ Approve', callback_data: `ap:${longPending.id}:a` },
        { text: '2: ✖️ Reject', callback_data: `ap:${longPending.id}:r` },
      ],
    ]);

    // The next half hour: both were just offered, so nothing is sent again.
    const again = await run(new Date('2026-12-01T14:30:00Z'), 'tick-1430', true);
    expect(again.outcome).toBe('nothing to report');
    expect((await sql`select 1 from telegram_outbox where body ->> 'nudge' = 'true' and body ->> 'kind' = 'approval'`).length).toBe(2);

    // The re-offered button decides, once, like the first offer's.
    await emulator.pressButton(OPERATOR, nudge.messageId, `ap:${longPending.id}:a`, { userId: OPERATOR });
    await waitFor(async () => (await getApproval(db, longPending.id))?.status === 'executed', { what: 'the nudged approval approved and executed' });
    expect(executions).toBe(1);
    expect((await getApproval(db, fresh.id))?.status).toBe('pending');
  });

  it('its thresholds are settings with the catalogue defaults; a bad value names the variable', () => {
    expect(approvalNudgeSettings.load({})).toEqual({
      APPROVAL_NUDGE_EXPIRING_HOURS: 2,
      APPROVAL_NUDGE_PENDING_BUSINESS_HOURS: 4,
      APPROVAL_NUDGE_REPEAT_HOURS: 2,
      JBOT_BUSINESS_HOURS: { startMinute: 8 * 60, endMinute: 18 * 60 },
    });
    expect(() => approvalNudgeSettings.load({ JBOT_BUSINESS_HOURS: '18:00-08:00' })).toThrow(/JBOT_BUSINESS_HOURS.*must start before it ends/s);
    expect(() => approvalNudgeSettings.load({ APPROVAL_NUDGE_REPEAT_HOURS: 'soon' })).toThrow(/APPROVAL_NUDGE_REPEAT_HOURS/);
  });

  it('counts business hours on weekdays inside the working day only', () => {
    const hours = { startMinute: 8 * 60, endMinute: 18 * 60, timeZone: 'America/Los_Angeles' };
    // Friday 16:00 PT → Monday 10:00 PT: 2 h on Friday + 2 h on Monday.
    expect(businessMsBetween(new Date('2026-12-04T16:00:00-08:00'), new Date('2026-12-07T10:00:00-08:00'), hours)).toBe(4 * 3600_000);
    // Overnight on a weekday: nothing between 18:00 and 08:00.
    expect(businessMsBetween(new Date('2026-12-08T18:00:00-08:00'), new Date('2026-12-09T08:00:00-08:00'), hours)).toBe(0);
  });
});
