import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repositoryRoot, type Db } from '@jbot/core';
import { loadDashboardConfig, startDashboard, type RunningDashboard } from '../src/index.js';

/** Debian's chromium (apt-get install chromium), driven by playwright-core. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Whether the browser tests can run here; in CI a missing Chromium fails them rather than skipping. */
export function chromiumAvailable(): boolean {
  const present = fs.existsSync(CHROMIUM_PATH);
  if (!present && process.env['CI'] === 'true') throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: .ci/run installs it with apt-get install chromium`);
  return present;
}

/** Launch headless Chromium (as root it needs --no-sandbox). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'], headless: true });
}

/** Where a test file writes its screenshots, for a person to look at: test-results/dashboard/<file>/. */
export function outputDirectory(testFile: string): string {
  const directory = path.join(repositoryRoot, 'test-results', 'dashboard', path.basename(testFile).replace(/\.test\.ts$/, ''));
  fs.mkdirSync(directory, { recursive: true });
  return directory;
}

/** Screenshot one panel (or the whole page) into the test's output directory. */
export async function screenshotPanel(page: Page, directory: string, name: string, panel?: string): Promise<void> {
  const file = path.join(directory, `${name}.png`);
  if (panel === undefined) await page.screenshot({ path: file, fullPage: true });
  else await page.locator(`#panel-${panel}`).screenshot({ path: file });
}

/** Start a dashboard in this process on a free loopback port, polling fast so a test waits little. */
export async function startTestDashboard(db: Db, env: Record<string, string> = {}): Promise<RunningDashboard> {
  const config = loadDashboardConfig({ DASHBOARD_PORT: '0', DASHBOARD_POLL_MS: '1000', ...env });
  return startDashboard({
    db,
    config,
    env,
    log: pino({ level: 'silent' }),
    heartbeatIntervalMs: Number(env['HEARTBEAT_INTERVAL_MS'] ?? 10_000),
    brainKind: 'postgres',
  });
}
