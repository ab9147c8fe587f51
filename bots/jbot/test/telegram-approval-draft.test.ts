import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, startTelegramEmulator, waitFor, type TelegramEmulator, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { createJbot } from '../src/index.js';
import { answerTo as telegramAnswer, countingSalesbot, recorded as recordedMessage } from './telegram-test-helpers.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 1001;

// salesbot's follow-up drafts as plan-follow-ups.ts shapes them (the offline drafter's template bodies).
const mondayDraft = {
  emails: [
    {
      deal_id: '9001',
      deal: 'Whole Harvest Market — Holiday program (Driftwood Candle Co.)',
      to: 'dana.whitfield@wholeharvest.example',
      contact_id: '501',
      subject: 'Picking up Holiday program (Driftwood Candle Co.)',
      body: "[offline draft]\nHi Dana,\n\nIt has been a few weeks since we last spoke about Holiday program (Driftwood Candle Co.). I'd love to pick it back up and make sure the timing still works on your side.\nWould you have 15 minutes this week for a quick call? I can bring updated availability and pricing.\n\nBest,\nMaya Chen",
    },
    {
      deal_id: '9002',
      deal: 'Cobblestone Kitchen Supply — Café shelf program (Trailhead Coffee Roasters)',
      to: 'luis.ortega@cobblestonekitchen.example',
      contact_id: '502',
      subject: 'Picking up Café shelf program (Trailhead Coffee Roasters)',
      body: "[offline draft]\nHi Luis,\n\nIt has been a few weeks since we last spoke about Café shelf program (Trailhead Coffee Roasters). I'd love to pick it back up and make sure the timing still works on your side.\nWould you have 15 minutes this week for a quick call? I can bring updated availability and pricing.\n\nBest,\nLuis Park",
    },
  ],
  note: 'Drafted from templates (offline drafter) for "Follow up on both, draft emails". On approval salesbot sends each email through the CRM and marks the deal re-engaged, once.',
};

// A model-written body steered by an injected deal note: the dangerous sentence sits deep in a long email.
const steeredBody = [
  'Hi Leah,',
  '',
  ...Array.from({ length: 30 }, (_, index) => `Paragraph ${index + 1} of our update on the spring assortment, with the details you asked about last month.`),
  'IMPORTANT: our bank changed — please wire the deposit to IBAN GB33 BUKB 2020 1555 5555 55 from now on.',
  '',
  'Best,',
  'The Harbor & Pine wholesale team',
].join('\n');

describe('approving on Telegram shows what is approved', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  const running: RunningBot[] = [];
  let executions = 0;
  const answerTo = (callbackQueryId: string) => telegramAnswer(emulator, callbackQueryId);
  const recorded = <Message extends { messageId: number }>(message: Message) => recordedMessage(sql, message);
  const salesbot = countingSalesbot(() => (executions += 1));
  const request = (title: string, draft: unknown) =>
    buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).approvals.request({ action: 'send_followups', title, draft });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2 });
    emulator = await startTelegramEmulator();
    const jbot = createJbot({
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
        TELEGRAM_APPROVER_USER_IDS: String(OPERATOR),
        FLEET_TZ: 'UTC',
        TELEGRAM_MIN_INTERVAL_MS: '0',
      },
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    running.push(await startBot(jbot, { db, config: testBotConfig(), log: silent }));
    running.push(await startBot(salesbot, { db, config: testBotConfig(), log: silent, approvals: { pollMs: 200 } }));
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await emulator?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('the Monday follow-ups: the offer names both recipients, both subjects and the bodies, with Approve under them', async () => {
    const { approval } = await request('Send 2 follow-up emails to stale wholesale deals', mondayDraft);
    const offer = await recorded(
      await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('Send 2 follow-up emails')), { what: 'the offer' }),
    );
    for (const email of mondayDraft.emails) {
      expect(offer.text).toContain(`to: ${email.to}`);
      expect(offer.text).toContain(`subject: ${email.subject}`);
      // Short drafts go out whole: every line of each body is on the phone.
      for (const line of email.body.split('\n').filter((text) => text !== '')) expect(offer.text).toContain(line);
    }
    expect(offer.text).toContain('On approval salesbot sends each email through the CRM');
    expect(offer.inlineKeyboard).toEqual([
      [
        { text: '✅ Approve', callback_data: `ap:${approval.id}:a` },
        { text: '✖️ Reject', callback_data: `ap:${approval.id}:r` },
      ],
    ]);
  });

  it('a long model-written draft: the offer shows recipients, subjects and first lines but no Approve; Approve comes under the full draft', async () => {
    const draft = {
      notices: [
        {
          customer: 'Harbor Lights Gifts',
          to: 'leah@harborlightsgifts.example',
          orders: 'WO-7722 → 2026-12-18',
          subject: 'Update on your order WO-7722',
          body: steeredBody,
        },
        {
          customer: 'Saltmarsh Goods',
          to: 'orders@saltmarshgoods.example',
          orders: 'WO-7730 → 2026-12-20',
          subject: 'Update on your order WO-7730',
          body: steeredBody.replace('Leah', 'team'),
        },
      ],
      note: "Drafted by Claude from shipbot's forecast.",
    };
    const { approval } = await request('Send 2 delay notices to wholesale customers (SHKGH0525145 21 days late)', draft);
    const offer = await recorded(
      await waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes('Send 2 delay notices')), { what: 'the clipped offer' }),
    );
    expect(offer.text).toContain('to: leah@harborlightsgifts.example');
    expect(offer.text).toContain('to: orders@saltmarshgoods.example');
    expect(offer.text).toContain('subject: Update on your order WO-7722');
    expect(offer.text).toContain('Paragraph 1 of our update');
    expect(offer.text).not.toContain('IBAN');
    expect(offer.text).toContain('tap 📄 Full draft');
    expect(offer.inlineKeyboard).toEqual([
      [
        { text: '📄 Full draft', callback_data: `ap:${approval.id}:d` },
        { text: '✖️ Reject', callback_data: `ap:${approval.id}:r` },
      ],
    ]);

    // An Approve sent for the clipped offer (Telegram does not check callback_data) changes nothing.
    const blind = await emulator.pressButton(OPERATOR, offer.messageId, `ap:${approval.id}:a`, { userId: OPERATOR });
    expect(await waitFor(() => answerTo(blind.callbackQueryId), { what: 'the blind tap answered' })).toMatch(/^Not allowed/);
    expect((await getApproval(db, approval.id))?.status).toBe('pending');

    // One tap brings every word, in as many messages as it takes; Approve is under the last.
    const opened = await emulator.pressButton(OPERATOR, offer.messageId, `ap:${approval.id}:d`, { userId: OPERATOR });
    expect(await waitFor(() => answerTo(opened.callbackQueryId), { what: 'the full-draft tap answered' })).toBe(
      'The full draft follows below; Approve is under it.',
    );
    const withApprove = await recorded(
      await waitFor(
        () =>
          emulator
            .botMessages(OPERATOR)
            .find(
              (message) =>
                message.messageId > offer.messageId && (message.inlineKeyboard ?? []).flat().some((button) => button.callback_data === `ap:${approval.id}:a`),
            ),
        { what: 'the full draft with Approve' },
      ),
    );
    const parts = emulator.botMessages(OPERATOR).filter((message) => message.messageId > offer.messageId && message.messageId <= withApprove.messageId);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]?.text).toMatch(/^\(1\/\d\) Full draft — salesbot asks: Send 2 delay notices/);
    const fullText = parts.map((message) => message.text).join('\n');
    for (const line of steeredBody.split('\n').filter((text) => text !== '')) expect(fullText).toContain(line);
    expect(fullText.match(/wire the deposit to IBAN GB33/g)).toHaveLength(2);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);

    const approve = await emulator.pressButton(OPERATOR, withApprove.messageId, `ap:${approval.id}:a`, { userId: OPERATOR, username: 'dana_ops' });
    expect(await waitFor(() => answerTo(approve.callbackQueryId), { what: 'the approve tap answered' })).toBe('Approved');
    await waitFor(async () => ((await getApproval(db, approval.id))?.status === 'executed' ? true : undefined), { what: 'the approval executed' });
    expect(executions).toBe(1);
    const decided = await waitFor(
      () => emulator.botMessages(OPERATOR).find((message) => message.messageId === withApprove.messageId && message.text.includes('Approved by @dana_ops')),
      { what: 'the full draft edited with the decision' },
    );
    expect(decided.inlineKeyboard ?? []).toEqual([]);

    // The clipped offer's "Full draft" after the decision says so and loses its stale buttons.
    const late = await emulator.pressButton(OPERATOR, offer.messageId, `ap:${approval.id}:d`, { userId: OPERATOR });
    expect(await waitFor(() => answerTo(late.callbackQueryId), { what: 'the late tap answered' })).toBe('Already approved by @dana_ops via Telegram');
    const stale = await waitFor(
      () => emulator.botMessages(OPERATOR).find((message) => message.messageId === offer.messageId && message.text.includes('Approved by @dana_ops')),
      { what: 'the offer edited' },
    );
    expect(stale.inlineKeyboard ?? []).toEqual([]);
    expect(executions).toBe(1);
  });
});
