import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { z } from 'zod';
import type { Browser } from 'playwright-core';
import {
  buildBotServices,
  catalogSignalTypes,
  createPostgresDb,
  createSignalEmitter,
  defineAction,
  defineBot,
  getApproval,
  repositoryRoot,
  SignalRegistry,
  type Db,
} from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import type { RunningDashboard } from '../src/index.js';
import { chromiumAvailable, launchChromium, startTestDashboard } from './dashboard-harness.js';

// A salesbot that only declares the action; nothing here executes it.
const salesbot = defineBot({
  name: 'salesbot',
  purpose: 'test',
  channel: '#sales-bot',
  actions: [defineAction({ name: 'send_followups', draft: z.unknown(), execute: () => ({ summary: 'not run in this test' }) })],
});
const entry = path.join(repositoryRoot, 'packages', 'dashboard', 'src', 'main.ts');

/** One raw HTTP request, so the test controls Host and Origin exactly (fetch would set them). */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = http.request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const form = (origin: string | undefined, host: string) => ({
  'content-type': 'application/x-www-form-urlencoded',
  'hx-request': 'true',
  host,
  ...(origin === undefined ? {} : { origin }),
});

describe('who may act on the dashboard', () => {
  let database: TestDatabase;
  let db: Db;
  let dashboard: RunningDashboard;
  let readOnly: RunningDashboard;

  const pendingApproval = async () =>
    (
      await buildBotServices(salesbot, { db, log: pino({ level: 'silent' }), host: 'test-host' }).approvals.request({
        action: 'send_followups',
        title: 'Send 2 follow-up emails',
        draft: { emails: [] },
      })
    ).approval;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    dashboard = await startTestDashboard(db);
    readOnly = await startTestDashboard(db, { DASHBOARD_READ_ONLY: 'true' });
  });
  afterAll(async () => {
    await dashboard?.stop();
    await readOnly?.stop();
    await db?.close();
    await database?.drop();
  });

  it('a forged Host (DNS rebinding) gets 403; localhost and IP literals are served', async () => {
    const host = new URL(dashboard.url).host;
    expect((await request(`${dashboard.url}/`, { headers: { host: 'attacker.example' } })).status).toBe(403);
    expect((await request(`${dashboard.url}/`, { headers: { host: `attacker.example:${dashboard.port}` } })).status).toBe(403);
    expect((await request(`${dashboard.url}/`, { headers: { host } })).status).toBe(200);
    expect((await request(`${dashboard.url}/`, { headers: { host: `localhost:${dashboard.port}` } })).status).toBe(200);
  });

  it('a POST from a foreign Origin, or with none, gets 403 and decides nothing; the page itself may', async () => {
    const approval = await pendingApproval();
    const host = new URL(dashboard.url).host;
    const action = `${dashboard.url}/actions/approvals/${approval.id}/approve`;
    expect((await request(action, { method: 'POST', headers: form('http://attacker.example', host), body: '' })).status).toBe(403);
    expect((await request(action, { method: 'POST', headers: form(`http://localhost:${dashboard.port + 1}`, host), body: '' })).status).toBe(403);
    expect((await request(action, { method: 'POST', headers: form(undefined, host), body: '' })).status).toBe(403);
    expect((await getApproval(db, approval.id))?.status).toBe('pending');
    // GET never changes state: the action path answers a GET with 404.
    expect((await request(action, { headers: { host } })).status).toBe(404);
    expect((await getApproval(db, approval.id))?.status).toBe('pending');
    const same = await request(action, { method: 'POST', headers: form(dashboard.url, host), body: '' });
    expect(same.status).toBe(200);
    expect(same.body).toContain('Approved: Send 2 follow-up emails');
    expect((await getApproval(db, approval.id))?.decidedVia).toBe('dashboard');
  });

  it('read-only mode shows no button and refuses a hand-made POST', async () => {
    const approval = await pendingApproval();
    const host = new URL(readOnly.url).host;
    const page = await request(`${readOnly.url}/`, { headers: { host } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`approval-${approval.id}`);
    expect(page.body).not.toMatch(/<button[^>]*(approve|reject|run-now)/);
    expect(page.body).not.toContain('reply-form');
    const refused = await request(`${readOnly.url}/actions/approvals/${approval.id}/approve`, { method: 'POST', headers: form(readOnly.url, host), body: '' });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('DASHBOARD_READ_ONLY');
    expect((await getApproval(db, approval.id))?.status).toBe('pending');
  });

  it.skipIf(!chromiumAvailable())('read-only in a real browser: no buttons, and a POST made from the page is refused', async () => {
    const approval = await pendingApproval();
    const browser: Browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(readOnly.url);
      expect(await page.locator(`#approval-${approval.id}`).count()).toBe(1);
      expect(await page.locator('button.approve, button.reject, button.run-now, form.reply-form').count()).toBe(0);
      const status = await page.evaluate(
        (id) =>
          (globalThis as unknown as { fetch: typeof fetch })
            .fetch(`/actions/approvals/${id}/approve`, { method: 'POST', headers: { 'hx-request': 'true' } })
            .then((response) => response.status),
        approval.id,
      );
      expect(status).toBe(403);
      expect((await getApproval(db, approval.id))?.status).toBe('pending');
    } finally {
      await browser.close();
    }
  });

  it('starting on a non-loopback address without DASHBOARD_TOKEN exits 78 naming the variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      env: { ...process.env, DATABASE_URL: database.url, DASHBOARD_HOST: '0.0.0.0', DASHBOARD_TOKEN: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('DASHBOARD_TOKEN: is required to listen on 0.0.0.0');
  });

  it('the dashboard process serves no secret: a key inside a payload and the token never reach the HTML', async () => {
    const apiKey = 'sk-ant-api03-dashboard-test-secret-value';
    const token = 'dashboard-token-0123456789abcdef';
    await createSignalEmitter({ db, registry: new SignalRegistry(catalogSignalTypes), bot: 'opsbot' }).emit('bot_note', {
      text: `vendor said: bad key ${apiKey}`,
    });
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { ...process.env, DATABASE_URL: database.url, DASHBOARD_PORT: '0', DASHBOARD_TOKEN: token, ANTHROPIC_API_KEY: apiKey, LOG_PRETTY: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`the dashboard exited with ${code}`)));
        readline.createInterface({ input: child.stdout }).on('line', (line) => {
          const found = /dashboard: (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
          if (found !== undefined) resolve(found);
        });
      });
      const host = new URL(url).host;
      const page = await request(`${url}/`, { headers: { host } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('vendor said: bad key');
      expect(page.body).not.toContain(apiKey);
      expect(page.body).not.toContain(token);
      for (const panel of ['signals', 'floor', 'costs', 'health'])
        expect((await request(`${url}/panels/${panel}`, { headers: { host } })).body).not.toContain(apiKey);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
