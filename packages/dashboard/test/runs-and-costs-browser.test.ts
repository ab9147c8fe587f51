import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import type { Browser, Page } from 'playwright-core';
import { createPostgresDb, defineBot, defineJob, repositoryRoot, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import type { RunningDashboard } from '../src/index.js';
import { chromiumAvailable, launchChromium, outputDirectory, screenshotPanel, startTestDashboard } from './dashboard-harness.js';

const screenshots = outputDirectory(import.meta.filename);
const WAIT = { timeout: 10_000, interval: 50 };
const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');

interface PageGlobals {
  document: { querySelector(selector: string): { fleetSeries?: { labels: string[]; data: number[][] } } | null };
  fetch: typeof fetch;
}

describe.skipIf(!chromiumAvailable())('cron runs and costs on the dashboard, in a real browser', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let page: Page;
  let salesbot: RunningBot;
  let syncRuns = 0;

  const runRows = () =>
    page.locator('#runs-body tr.run').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-job')}:${row.getAttribute('data-status')}`));

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2 });
    // A bot with one job that fires once a year: only "run now" makes it run during the test.
    salesbot = await startBot(
      defineBot({
        name: 'salesbot',
        purpose: 'test salesbot',
        channel: '#sales-bot',
        jobs: [defineJob({ id: 'pipeline-sync', schedule: '0 6 1 1 *', timeoutMs: 30_000, run: () => void (syncRuns += 1) })],
      }),
      { db, config: testBotConfig(), log: pino({ level: 'silent' }) },
    );
    // What a week of the fleet leaves behind: runs that did their work and runs that did not.
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const runs: [string, string, number, string, string | null][] = [
      ['opsbot', 'freight-watch', 1, 'succeeded', null],
      ['opsbot', 'freight-watch', 2, 'failed', 'the forwarder API answered 503'],
      ['shipbot', 'fulfilment-forecast', 3, 'timed_out', 'aborted after 300000 ms'],
      ['mktgbot', 'ads-fatigue', 4, 'abandoned', 'lease expired on vps-2'],
      ['salesbot', 'hubspot-sync', 5, 'succeeded', null],
    ];
    for (const [bot, job, hours, status, error] of runs) {
      await sql`insert into cron_runs (bot, job, scheduled_for, status, host, started_at, finished_at, error, idempotency_key)
                values (${bot}, ${job}, ${hoursAgo(hours)}, ${status}, 'vps-1', ${hoursAgo(hours)}, ${hoursAgo(hours)}, ${error}, ${`${bot}/${job}/${hours}`})`;
    }
    await db.rpc('record_missed_run', {
      p_bot: 'sysbot',
      p_job: 'db-health',
      p_scheduled_for: hoursAgo(6).toISOString(),
      p_host: 'vps-1',
      p_reason: 'stopped on purpose: 3 ticks not run',
    });
    // Model spend over the last day, in several hours, bots, jobs and models.
    const usage: [string, string, string, number, number][] = [
      ['salesbot', 'follow-ups', 'claude-sonnet-4-5', 2, 0.0421],
      ['salesbot', 'follow-ups', 'claude-sonnet-4-5', 5, 0.0388],
      ['salesbot', 'hubspot-sync', 'claude-haiku-4-5', 5, 0.0012],
      ['opsbot', 'freight-watch', 'claude-haiku-4-5', 9, 0.0031],
      ['jbot', 'morning-brief', 'claude-sonnet-4-5', 20, 0.1175],
    ];
    for (const [bot, job, model, hours, cost] of usage) {
      await sql`insert into llm_usage (bot, job, model, input_tokens, output_tokens, cost_usd, status, day, created_at)
                values (${bot}, ${job}, ${model}, 1200, 300, ${cost}, 'settled', ${hoursAgo(hours)}::date, ${hoursAgo(hours)})`;
    }
    dashboard = await startTestDashboard(db);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    await page.goto(dashboard.url);
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    await salesbot?.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('missed, failed, timed-out and abandoned runs stand out and can be filtered', async () => {
    const all = await runRows();
    expect(all).toEqual(
      expect.arrayContaining([
        'opsbot/freight-watch:failed',
        'shipbot/fulfilment-forecast:timed_out',
        'mktgbot/ads-fatigue:abandoned',
        'sysbot/db-health:missed',
      ]),
    );
    expect(await page.locator('#runs-body tr.run.problem').count()).toBe(4);
    await screenshotPanel(page, screenshots, 'cron-runs', 'runs');

    await page.locator('#runs-filters select[name="status"]').selectOption('problems');
    await expect
      .poll(() => runRows(), WAIT)
      .toEqual(['opsbot/freight-watch:failed', 'shipbot/fulfilment-forecast:timed_out', 'mktgbot/ads-fatigue:abandoned', 'sysbot/db-health:missed']);
    await page.locator('#runs-filters select[name="status"]').selectOption('timed_out');
    await expect.poll(() => runRows(), WAIT).toEqual(['shipbot/fulfilment-forecast:timed_out']);
    // The filter holds across live refreshes (the poll sends it along).
    await page.waitForResponse((response) => response.url().includes('/panels/runs') && response.url().includes('status=timed_out'));
    expect(await runRows()).toEqual(['shipbot/fulfilment-forecast:timed_out']);
    await page.locator('#runs-filters select[name="status"]').selectOption('');
  });

  it('"run now" makes exactly one manual run, however often it is clicked', async () => {
    const job = page.locator('#runs-body tr.job[data-job="salesbot/pipeline-sync"]');
    await expect.poll(() => job.count(), WAIT).toBe(1);
    // Two hand-made requests at once (two tabs) and a double click: one request reaches the bot.
    const [first, second] = await page.evaluate(async () => {
      const post = () =>
        (globalThis as unknown as PageGlobals)
          .fetch('/actions/run', {
            method: 'POST',
            headers: { 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' },
            body: 'bot=salesbot&job=pipeline-sync',
          })
          .then((response) => response.text());
      return Promise.all([post(), post()]);
    });
    expect([first, second].filter((text) => text.includes('Requested salesbot/pipeline-sync'))).toHaveLength(1);
    expect([first, second].filter((text) => text.includes('was just asked for'))).toHaveLength(1);
    // Live updates paused first: the request above changes the runs panel, and a refresh that swaps
    // the row between Playwright finding the button and clicking it would cancel the submit (a
    // person's click lands on what is on screen; a test's can land on a detached node).
    await page.locator('#pause').click();
    await job.locator('button.run-now').dblclick();
    await expect.poll(() => page.locator('#notice').innerText(), WAIT).toMatch(/^salesbot\/pipeline-sync was just asked for/);
    await page.locator('#pause').click();
    await waitFor(async () => (await sql`select 1 from cron_runs where bot = 'salesbot' and job = 'pipeline-sync' and status = 'succeeded'`).length === 1, {
      what: 'the manual run to finish',
    });
    const manual = await sql`select status, manual, requested_by from cron_runs where bot = 'salesbot' and job = 'pipeline-sync'`;
    expect(manual).toEqual([{ status: 'succeeded', manual: true, requested_by: 'dashboard:operator' }]);
    expect(syncRuns).toBe(1);
    await expect.poll(() => page.locator('#runs-body tr.run[data-job="salesbot/pipeline-sync"][data-status="succeeded"]').count(), WAIT).toBe(1);
    await screenshotPanel(page, screenshots, 'run-now', 'runs');
  });

  it('the cost table equals `fleet costs --json`, and the chart series add up to it', async () => {
    for (const by of ['bot', 'job', 'model'] as const) {
      const printed = spawnSync(process.execPath, ['--import', 'tsx', cli, 'costs', '--json', '--by', by], {
        env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      });
      expect(printed.status, printed.stderr).toBe(0);
      const expected = (JSON.parse(printed.stdout) as { grp: string; calls: number; cost_usd: number }[]).map((row) => ({
        group: row.grp,
        calls: row.calls,
        cost: row.cost_usd,
      }));
      await page.locator('#costs-filters select[name="by"]').selectOption(by);
      await expect.poll(() => page.locator('#costs-body table.costs').getAttribute('data-by'), WAIT).toBe(by);
      const shown = await page.locator('#costs-body tr.cost').evaluateAll((rows) =>
        rows.map((row) => ({
          group: row.getAttribute('data-group'),
          calls: Number(row.getAttribute('data-calls')),
          cost: Number(row.getAttribute('data-cost')),
        })),
      );
      expect(shown).toEqual(expected);
      const series = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelector('#costs-body .cost-chart')?.fleetSeries);
      expect(series?.labels).toEqual(expected.map((row) => row.group));
      for (const [index, row] of expected.entries()) {
        const sum = (series?.data[index + 1] ?? []).reduce((total, value) => total + value, 0);
        expect(sum).toBeCloseTo(row.cost, 9);
      }
      expect(await page.locator('#costs-body .cost-chart canvas').count()).toBeGreaterThan(0);
      await screenshotPanel(page, screenshots, `costs-by-${by}`, 'costs');
    }
  });
});
