import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { z } from 'zod';
import type { Browser, Page } from 'playwright-core';
import { createChannel } from '@jbot/channels';
import { createPostgresDb, defineAction, defineBot, getApproval, startBot, type Approval, type BotContext, type Db, type RunningBot } from '@jbot/core';
import { createJbot } from '@jbot/jbot';
import {
  freshDatabase,
  startFakeDiscord,
  startTelegramEmulator,
  testBotConfig,
  waitFor,
  type FakeDiscord,
  type TelegramEmulator,
  type TestDatabase,
} from '@jbot/testkit';
import type { RunningDashboard } from '../src/index.js';
import { chromiumAvailable, launchChromium, outputDirectory, screenshotPanel, startTestDashboard } from './dashboard-harness.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 1001;
const SALES_CHANNEL = '100000000000000001';
const APPROVER = '200000000000000001';
const screenshots = outputDirectory(import.meta.filename);
// Live updates under a loaded machine: wait on the condition, never on a clock.
const WAIT = { timeout: 10_000, interval: 50 };

// The real page in Debian's Chromium; salesbot on the fake Discord, jbot on the Telegram emulator,
// all on real Postgres: a decision made on the page is the same first-decision-wins decision.
describe.skipIf(!chromiumAvailable())('approvals on the dashboard, in a real browser', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let discord: FakeDiscord;
  let emulator: TelegramEmulator;
  let dashboard: RunningDashboard;
  let browser: Browser;
  const running: RunningBot[] = [];
  const executions = new Map<string, number>();

  const contexts: BotContext[] = [];
  const salesbot = defineBot({
    name: 'salesbot',
    onStart: (context) => void contexts.push(context),
    purpose: 'test salesbot',
    channel: '#sales-bot',
    actions: [
      defineAction({
        name: 'send_followups',
        draft: z.object({ emails: z.array(z.object({ to: z.string(), subject: z.string() })) }),
        execute: (draft, _context, approval: Approval) => {
          executions.set(approval.id, (executions.get(approval.id) ?? 0) + 1);
          return { summary: `sent ${draft.emails.length} follow-up emails` };
        },
      }),
    ],
  });

  const request = (title: string) =>
    contexts[0]!.approvals.request({
      action: 'send_followups',
      title,
      draft: { emails: [{ to: 'dana@wholeharvest.example', subject: 'Picking up the holiday program' }] },
    });

  const openPage = async (): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(dashboard.url);
    return page;
  };
  const article = (page: Page, approval: Approval) => page.locator(`#approval-${approval.id}`);
  const pause = (page: Page) => page.locator('#pause').click();
  const telegramLine = (title: string) =>
    waitFor(() => emulator.botMessages(OPERATOR).find((message) => message.text.includes(title)), { what: `the Telegram line for "${title}"` });

  // A tap is checked against the dispatcher's record of the line, written just after Telegram accepted it.
  const recorded = (messageId: number) =>
    waitFor(async () => (await sql`select 1 from channel_messages where channel = 'telegram' and external_message_id = ${String(messageId)}`).length > 0, {
      what: `Telegram message ${messageId} recorded`,
    });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    sql = postgres(database.url, { max: 2 });
    discord = await startFakeDiscord();
    emulator = await startTelegramEmulator();
    const discordEnv = {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
      DISCORD_CHANNEL_SALESBOT: SALES_CHANNEL,
      DISCORD_APPROVER_USER_IDS: APPROVER,
    };
    const channel = await createChannel({ db, bot: 'salesbot', log: silent, env: discordEnv });
    running.push(await startBot(salesbot, { db, config: testBotConfig(), log: silent, channel, approvals: { pollMs: 200 } }));
    const jbot = createJbot({
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
        TELEGRAM_APPROVER_USER_IDS: String(OPERATOR),
        FLEET_TZ: 'UTC',
      },
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    running.push(await startBot(jbot, { db, config: testBotConfig(), log: silent }));
    dashboard = await startTestDashboard(db);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    for (const bot of running) await bot.stop();
    await emulator?.close();
    await discord?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('Approve clicked twice and in two tabs at once executes once; the later clicks say who decided; Discord and Telegram show the decision', async () => {
    const { approval } = await request('Send 2 follow-up emails to stale wholesale deals');
    const line = await telegramLine('Send 2 follow-up emails');
    await recorded(line.messageId);
    const [first, second] = [await openPage(), await openPage()];
    for (const page of [first, second]) await expect.poll(() => article(page, approval).locator('button.approve').count(), WAIT).toBe(1);
    await screenshotPanel(first, screenshots, 'approvals-pending', 'approvals');

    // Two tabs at once, and a double click in the first: three POSTs racing for one decision. Live
    // updates are paused first: the first decision changes the panel, and a refresh that swaps the
    // article between Playwright finding a button and clicking it would cancel that click.
    for (const page of [first, second]) await page.locator('#pause').click();
    await Promise.all([first.locator(`#approval-${approval.id} button.approve`).dblclick(), second.locator(`#approval-${approval.id} button.approve`).click()]);
    const notices = async () => [await first.locator('#notice').innerText(), await second.locator('#notice').innerText()];
    await expect.poll(async () => (await notices()).every((text) => text !== ''), WAIT).toBe(true);
    const texts = await notices();
    expect(texts.filter((text) => text.startsWith('Approved: Send 2 follow-up emails'))).toHaveLength(1);
    expect(texts.filter((text) => text.startsWith('Nothing changed: already approved by operator via the dashboard'))).toHaveLength(1);
    for (const page of [first, second]) await page.locator('#pause').click();

    const executed = await waitFor(
      async () => {
        const current = await getApproval(db, approval.id);
        return current?.status === 'executed' ? current : undefined;
      },
      { what: 'the approval executed' },
    );
    expect(executed).toMatchObject({ decidedBy: 'operator via the dashboard', decidedVia: 'dashboard' });
    expect(executions.get(approval.id)).toBe(1);

    // The page shows the outcome live, and the buttons are gone in both tabs.
    for (const page of [first, second]) {
      await expect.poll(() => article(page, approval).getAttribute('data-status'), WAIT).toBe('executed');
      expect(await article(page, approval).locator('button').count()).toBe(0);
    }
    await screenshotPanel(first, screenshots, 'approvals-decided', 'approvals');

    // Discord's message and Telegram's line are edited to show who decided.
    const [posted] = await db.rpc<{ external_message_id: string }>('approval_messages', { p_approval_id: approval.id });
    await waitFor(
      () => {
        const status = (
          (discord.message(posted?.external_message_id ?? '')?.embeds[0]?.['fields'] as { name: string; value: string }[] | undefined) ?? []
        ).find((field) => field.name === 'Status')?.value;
        return status?.includes('Approved by operator via the dashboard') && status.includes('done') ? status : undefined;
      },
      { what: 'the Discord message edited with the decision' },
    );
    // jbot edits the operator's Telegram line on its own (no tap needed): who decided, and then done.
    await waitFor(
      () =>
        emulator
          .botMessages(OPERATOR)
          .find(
            (message) =>
              message.messageId === line.messageId &&
              message.text.includes('Approved by operator via the dashboard') &&
              (message.inlineKeyboard ?? []).length === 0,
          ),
      { what: 'the Telegram line edited with the decision' },
    );
    // A late tap on it (a stale phone) changes nothing and says who decided.
    const tap = await emulator.pressButton(OPERATOR, line.messageId, `ap:${approval.id}:a`, { userId: OPERATOR });
    const answer = await waitFor(() => emulator.callbackAnswers().find((candidate) => candidate.callbackQueryId === tap.callbackQueryId)?.text, {
      what: 'the tap answered',
    });
    expect(answer).toBe('Already approved by operator via the dashboard');
    expect(executions.get(approval.id)).toBe(1);
    for (const page of [first, second]) await page.close();
  });

  it('a decision made first on Telegram appears on the page live, and the stale button no longer decides', async () => {
    const { approval } = await request('Send a delay notice to Harbor Lights Gifts');
    const line = await telegramLine('delay notice to Harbor Lights');
    await recorded(line.messageId);
    const [watching, stale] = [await openPage(), await openPage()];
    for (const page of [watching, stale]) await expect.poll(() => article(page, approval).locator('button.approve').count(), WAIT).toBe(1);
    // This tab is paused: it keeps showing the buttons of a decision already taken elsewhere.
    await pause(stale);

    await emulator.pressButton(OPERATOR, line.messageId, `ap:${approval.id}:r`, { userId: OPERATOR, username: 'dana_ops' });
    await expect.poll(() => article(watching, approval).getAttribute('data-status'), WAIT).toBe('rejected');
    expect(await article(watching, approval).locator('.status-line').innerText()).toContain('Rejected by telegram:1001 (@dana_ops)');
    expect(await article(watching, approval).locator('button').count()).toBe(0);
    // Paused: the hint is counted, not shown.
    await expect.poll(() => stale.locator('#new-count').innerText(), WAIT).toMatch(/^[1-9]\d* new$/);

    await stale.locator(`#approval-${approval.id} button.approve`).click();
    await expect.poll(() => stale.locator('#notice').innerText(), WAIT).toBe('Nothing changed: already rejected by telegram:1001 (@dana_ops).');
    expect((await getApproval(db, approval.id))?.status).toBe('rejected');
    expect(executions.get(approval.id)).toBeUndefined();
    await screenshotPanel(watching, screenshots, 'approvals-decided-on-telegram', 'approvals');
    for (const page of [watching, stale]) await page.close();
  });

  it('an expired approval cannot be approved: its button says so and nothing runs', async () => {
    const { approval } = await request('Send the November price list');
    const page = await openPage();
    await expect.poll(() => article(page, approval).locator('button.approve').count(), WAIT).toBe(1);
    await pause(page);
    // Its hour passes while the tab sits paused (moved on the database's clock, which decides).
    await sql`update approvals set expires_at = clock_timestamp() - interval '1 second' where id = ${approval.id}`;
    await page.locator(`#approval-${approval.id} button.approve`).click();
    await expect.poll(() => page.locator('#notice').innerText(), WAIT).toMatch(/^Nothing changed: this approval expired at .+; nothing was done\.$/);
    expect(executions.get(approval.id)).toBeUndefined();
    expect((await getApproval(db, approval.id))?.status).not.toBe('approved');
    // Resumed, the page shows it expired, with no button.
    await page.locator('#pause').click();
    await expect.poll(() => article(page, approval).getAttribute('data-status'), WAIT).toBe('expired');
    expect(await article(page, approval).locator('button').count()).toBe(0);
    await page.close();
  });
});
