import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import type { Browser, Page } from 'playwright-core';
import { catalogSignalTypes, createPostgresDb, createSignalEmitter, recordChannelMessage, SignalRegistry, type Db, type SignalEmitter } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import type { RunningDashboard } from '../src/index.js';
import { chromiumAvailable, launchChromium, outputDirectory, screenshotPanel, startTestDashboard } from './dashboard-harness.js';

const screenshots = outputDirectory(import.meta.filename);
const WAIT = { timeout: 10_000, interval: 25 };
const APPLICATION = 'jbot-dashboard-live-test';

// What the page callbacks touch; they run in Chromium, so these types only describe, never import.
interface PageGlobals {
  hinted: string[];
  injected?: string;
  document: {
    addEventListener(type: string, listener: (event: { detail: { type: string; data: unknown } }) => void): void;
    querySelectorAll(selector: string): { length: number };
    getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
  };
}

// Live updates: one LISTEN connection in the dashboard, hints over SSE, the page refetching what
// it shows; the poll brings what a lost hint would have. Speed is measured by `pnpm bench dashboard`.
describe.skipIf(!chromiumAvailable())('live updates on the dashboard, in a real browser', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let page: Page;
  let opsbot: SignalEmitter;

  const signalRows = (id: string) => page.locator(`#signals-body tr.signal[data-id="${id}"]`).count();
  const hinted = () => page.evaluate(() => (globalThis as unknown as PageGlobals).hinted);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4, applicationName: APPLICATION });
    sql = postgres(database.url, { max: 2 });
    opsbot = createSignalEmitter({ db, registry: new SignalRegistry(catalogSignalTypes), bot: 'opsbot' });
    dashboard = await startTestDashboard(db, { DASHBOARD_POLL_MS: '1500' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Record every hint the page receives over SSE, before htmx's own handlers run.
    await page.addInitScript(() => {
      const record = globalThis as unknown as PageGlobals;
      record.hinted = [];
      record.document.addEventListener('htmx:sseMessage', (event) => record.hinted.push(`${event.detail.type}:${String(event.detail.data)}`));
    });
    await page.goto(dashboard.url);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('live-state')?.dataset['connected'] === 'true');
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('a signal and a channel post appear on the page from their NOTIFY hints; an injected <script> shows as text and does not run', async () => {
    const script = '<script>window.injected = "post"</script><img src="x" onerror="window.injected = \'img\'">';
    const signal = await opsbot.emit('bot_note', { text: `Freight check done ${script}` });
    await expect.poll(() => signalRows(signal.id), WAIT).toBe(1);
    expect((await hinted()).some((entry) => entry.startsWith('signals:') && entry.includes(signal.id))).toBe(true);
    expect(await page.locator(`#signals-body tr.signal[data-id="${signal.id}"] .payload`).innerText()).toContain(
      '<script>window.injected = \\"post\\"</script><img src=',
    );

    const postId = await recordChannelMessage(db, {
      channel: 'local',
      target: '#ops-bot',
      bot: 'opsbot',
      message: { title: 'Freight watch', text: `SHKGH0525145 is 21 days late ${script}` },
    });
    const post = page.locator(`#floor-body .post[data-id="${postId}"]`);
    await expect.poll(() => post.count(), WAIT).toBe(1);
    expect((await hinted()).some((entry) => entry.startsWith('posts:') && entry.includes(postId))).toBe(true);
    expect(await post.locator('.text').innerText()).toContain(script);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).injected)).toBeUndefined();
    expect(await page.locator('#floor-body script, #signals-body script, #floor-body img').count()).toBe(0);
    await screenshotPanel(page, screenshots, 'signals', 'signals');
    await screenshotPanel(page, screenshots, 'work-floor', 'floor');
  });

  it('paused, the page counts what is new and shows nothing; resumed, it shows it', async () => {
    await page.locator('#pause').click();
    const emitted = [];
    for (let index = 0; index < 3; index += 1) emitted.push(await opsbot.emit('bot_note', { text: `paused note ${index}` }));
    await expect.poll(() => page.locator('#new-count').innerText(), WAIT).toBe('3 new');
    expect(await page.locator('#new-count').isVisible()).toBe(true);
    for (const signal of emitted) expect(await signalRows(signal.id)).toBe(0);
    await screenshotPanel(page, screenshots, 'paused-with-new-count');
    await page.locator('#pause').click();
    for (const signal of emitted) await expect.poll(() => signalRows(signal.id), WAIT).toBe(1);
    expect(await page.locator('#new-count').isVisible()).toBe(false);
  });

  it('after the LISTEN connection is terminated the next signal still appears, once, with no duplicates on reconnect', async () => {
    const terminated =
      await sql`select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = ${APPLICATION} and query ilike 'listen%'`;
    expect(terminated.length).toBeGreaterThanOrEqual(1);
    const after = await opsbot.emit('bot_note', { text: 'after the LISTEN connection dropped' });
    await expect.poll(() => signalRows(after.id), WAIT).toBe(1);
    // Several refreshes later (poll and any re-listened hints), still one row per signal.
    const all = await sql<{ id: string }[]>`select id::text from bot_signals`;
    await page.waitForFunction(
      (count) => (globalThis as unknown as PageGlobals).document.querySelectorAll('#signals-body tr.signal').length === count,
      all.length,
    );
    const shown = await page.locator('#signals-body tr.signal').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));
    expect(new Set(shown).size).toBe(shown.length);
    expect(new Set(shown)).toEqual(new Set(all.map((row) => row.id)));
  });
});
