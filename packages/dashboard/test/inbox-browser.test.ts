import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import type { Browser, Page } from 'playwright-core';
import {
  catalogSignalTypes,
  createPostgresDb,
  createSignalEmitter,
  defineBot,
  SignalRegistry,
  startBot,
  type Db,
  type OperatorInstruction,
  type RunningBot,
} from '@jbot/core';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import type { RunningDashboard } from '../src/index.js';
import { chromiumAvailable, launchChromium, outputDirectory, screenshotPanel, startTestDashboard } from './dashboard-harness.js';

const screenshots = outputDirectory(import.meta.filename);
const WAIT = { timeout: 10_000, interval: 50 };

// The operator's inbox: what jbot escalated, in which state, with the replies; a reply typed on the
// page lands exactly like `fleet reply` (linked to the signal, routed to the bot that raised it).
describe.skipIf(!chromiumAvailable())("the operator's inbox on the dashboard, in a real browser", () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let page: Page;
  let opsbot: RunningBot;
  const instructions: OperatorInstruction[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2 });
    opsbot = await startBot(
      defineBot({ name: 'opsbot', purpose: 'test opsbot', channel: '#ops-bot', onInstruction: (instruction) => void instructions.push(instruction) }),
      { db, config: testBotConfig(), log: pino({ level: 'silent' }) },
    );
    dashboard = await startTestDashboard(db);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(dashboard.url);
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    await opsbot?.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('shows each escalation with its state, and a reply typed here reaches the bot that raised it, linked to its signal', async () => {
    const emitter = createSignalEmitter({ db, registry: new SignalRegistry(catalogSignalTypes), bot: 'opsbot' });
    const late = await emitter.emit('bot_note', { text: 'SHKGH0525145 is 21 days late' }, { severity: 'alert' });
    const quiet = await emitter.emit('bot_note', { text: 'Two inbound shipments re-dated' }, { severity: 'warning' });
    // jbot's escalation, through its own SQL function: one line sent now, one held for quiet hours.
    await db.rpc('escalate_signal', { p_signal_id: late.id, p_line: '🔴 Shipment SHKGH0525145 is 21 days late. Reply to act.', p_hold: false, p_chat_ids: [] });
    await db.rpc('escalate_signal', { p_signal_id: quiet.id, p_line: '🟡 Two inbound shipments re-dated', p_hold: true, p_chat_ids: [] });
    const escalation = (id: string) => page.locator(`#inbox-body .escalation[data-id="${id}"]`);
    await expect.poll(() => escalation(quiet.id).getAttribute('data-state'), WAIT).toBe('held');
    expect(await escalation(late.id).getAttribute('data-state')).toBe('queued');

    await escalation(late.id).locator('input[name="text"]').fill('Tell the two wholesale customers <b>today</b>');
    await escalation(late.id).locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('#notice').innerText(), WAIT).toMatch(/^Sent to opsbot as an instruction on bot_note /);
    await waitFor(() => instructions.length === 1, { what: 'opsbot to get the instruction' });
    expect(instructions[0]).toMatchObject({
      text: 'Tell the two wholesale customers <b>today</b>',
      signalId: late.id,
      channel: 'local',
      senderId: 'dashboard:operator',
    });
    const [stored] = await sql`select reply_to_signal_id::text as signal, routed_to, channel from operator_messages`;
    expect(stored).toEqual({ signal: late.id, routed_to: 'opsbot', channel: 'local' });
    // The reply shows under its escalation, as text, and the line is answered.
    const reply = escalation(late.id).locator('.reply .text');
    await expect.poll(() => reply.innerText(), WAIT).toBe('Tell the two wholesale customers <b>today</b>');
    expect(await escalation(late.id).locator('.reply b').count()).toBe(0);
    await expect.poll(() => escalation(late.id).getAttribute('data-state'), WAIT).toBe('answered');
    expect(await escalation(late.id).locator('input[name="text"]').inputValue()).toBe('');
    await screenshotPanel(page, screenshots, 'operator-inbox', 'inbox');
    await screenshotPanel(page, screenshots, 'fleet-health', 'health');
  });

  it('an empty reply or an unknown signal sends nothing and says why', async () => {
    const status = await page.evaluate(async () => {
      const post = (body: string) =>
        (globalThis as unknown as { fetch: typeof fetch })
          .fetch('/actions/reply', { method: 'POST', headers: { 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' }, body })
          .then((response) => response.text());
      return [
        await post('signal_id=00000000-0000-4000-8000-000000000000&text=hello'),
        await post('signal_id=not-an-id&text=hello'),
        await post('signal_id=&text='),
      ];
    });
    expect(status[0]).toContain('Nothing sent: no signal 00000000-0000-4000-8000-000000000000.');
    expect(status[1]).toContain('Nothing sent: no signal not-an-id.');
    expect(status[2]).toContain('Nothing sent: the reply is empty.');
    expect((await sql`select count(*)::int as count from operator_messages`)[0]?.['count']).toBe(1);
  });
});
