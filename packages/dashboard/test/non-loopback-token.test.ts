import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import type { RunningDashboard } from '../src/index.js';
import { startTestDashboard } from './dashboard-harness.js';

// A client on another address, without touching the machine's network: a network namespace of
// this test's own, joined to this one by a veth pair with link-local addresses used nowhere else.
const suffix = String(process.pid % 100_000);
const NAMESPACE = `jbot-dash-${suffix}`;
const HOST_LINK = `jdh${suffix}`;
const CLIENT_LINK = `jdc${suffix}`;
const octet = (process.pid % 250) + 1;
const HOST_ADDRESS = `169.254.${octet}.1`;
const CLIENT_ADDRESS = `169.254.${octet}.2`;
const TOKEN = 'a-long-random-dashboard-token-0123456789';

function namespacesAvailable(): boolean {
  const root = process.getuid?.() === 0;
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).status === 0;
  if ((!root || !ip) && process.env['CI'] === 'true') throw new Error('the non-loopback test needs root and iproute2 (ip netns) in CI');
  return root && ip;
}

const run = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

/** A request from inside the namespace (node's fetch), returning status, location and body; async, as the dashboard answers from this process. */
async function fromNamespace(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string | null; cookie: string | null; body: string }> {
  const script = `fetch(${JSON.stringify(url)}, { redirect: 'manual', headers: ${JSON.stringify(headers)} }).then(async (r) => console.log(JSON.stringify({ status: r.status, location: r.headers.get('location'), cookie: r.headers.get('set-cookie'), body: await r.text() })), (e) => { console.error(String(e)); process.exit(2); })`;
  const { stdout } = await promisify(execFile)('ip', ['netns', 'exec', NAMESPACE, process.execPath, '-e', script], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(stdout) as { status: number; location: string | null; cookie: string | null; body: string };
}

describe.skipIf(!namespacesAvailable())('a request from a non-loopback address needs DASHBOARD_TOKEN', () => {
  let database: TestDatabase;
  let db: Db;
  let dashboard: RunningDashboard;

  beforeAll(async () => {
    run('netns', 'add', NAMESPACE);
    run('link', 'add', HOST_LINK, 'type', 'veth', 'peer', 'name', CLIENT_LINK);
    run('link', 'set', CLIENT_LINK, 'netns', NAMESPACE);
    run('addr', 'add', `${HOST_ADDRESS}/30`, 'dev', HOST_LINK);
    run('link', 'set', HOST_LINK, 'up');
    run('netns', 'exec', NAMESPACE, 'ip', 'addr', 'add', `${CLIENT_ADDRESS}/30`, 'dev', CLIENT_LINK);
    run('netns', 'exec', NAMESPACE, 'ip', 'link', 'set', CLIENT_LINK, 'up');
    run('netns', 'exec', NAMESPACE, 'ip', 'link', 'set', 'lo', 'up');
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    dashboard = await startTestDashboard(db, { DASHBOARD_HOST: HOST_ADDRESS, DASHBOARD_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await dashboard?.stop();
    await db?.close();
    await database?.drop();
    spawnSync('ip', ['link', 'del', HOST_LINK]);
    spawnSync('ip', ['netns', 'del', NAMESPACE]);
  });

  it('refused without the token; served with it as a Bearer header, or once as ?token= traded for a cookie', async () => {
    const base = `http://${HOST_ADDRESS}:${dashboard.port}`;
    const refused = await fromNamespace(`${base}/`);
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('needs its token');
    expect((await fromNamespace(`${base}/panels/approvals`)).status).toBe(401);
    expect((await fromNamespace(`${base}/`, { authorization: 'Bearer not-the-token-at-all-0123456789' })).status).toBe(401);
    expect((await fromNamespace(`${base}/`, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);

    const traded = await fromNamespace(`${base}/?token=${TOKEN}`);
    expect(traded.status).toBe(303);
    expect(traded.location).toBe('/');
    const cookie = (traded.cookie ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^fleet_dashboard=[0-9a-f]{64}$/);
    expect(cookie).not.toContain(TOKEN);
    const page = await fromNamespace(`${base}/`, { cookie });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(TOKEN);
  });
});
