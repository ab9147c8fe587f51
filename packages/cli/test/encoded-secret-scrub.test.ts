import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import postgres from 'postgres';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetRuntime } from '@jbot/fleet';
import { createApprovals, createLocalRecordingChannel, createPostgresDb, createSignalEmitter, decideApproval, repositoryRoot, type Db } from '@jbot/core';
import { loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');
const botMain = path.join(repositoryRoot, 'packages', 'fleet', 'src', 'main.ts');
const silent = pino({ level: 'silent' });

// The canary: a Meta app token (`<app id>|<app secret>`). The SDK sends it as
// `access_token=1234567890123%7C…`, so the raw-value scrubber alone never sees it.
const META_TOKEN = '1234567890123|Zq8cAnArYs3cretValue';
const TAIL = 'Zq8cAnArYs3cretValue';

// mktgbot runs as its own process (packages/fleet/src/main.ts mktgbot, as systemd starts it) on the live Meta
// connector, behind a proxy that fails every call and quotes the request it could not forward in
// its error: the signal handler and the approved pause both fail with the encoded token in their
// error text. Nothing of it may reach the bot's log lines, any brain row or the CLI's output.
describe('a URL-encoded secret in an error', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let proxy: Server;
  let bot: ChildProcess | undefined;
  let botOutput = '';
  const forwarded: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await loadSampleCompany(db);
    proxy = createServer((request, response) => {
      forwarded.push(request.url ?? '');
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: { message: `upstream graph.facebook.com did not answer ${request.method} ${request.url}`, type: 'ProxyError', code: 1 } }),
      );
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    if (bot !== undefined && bot.exitCode === null) bot.kill('SIGKILL');
    await new Promise((resolve) => proxy.close(resolve));
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('appears in no log line, brain row or CLI output, and the errors still say what failed', async () => {
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      DATABASE_URL: database.url,
      LOG_PRETTY: 'false',
      SIGNAL_POLL_MS: '200',
      FLEET_HOST_ID: 'test-host',
      META_ACCESS_TOKEN: META_TOKEN,
      META_AD_ACCOUNT_ID: 'act_1001',
      META_API_BASE: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    };
    bot = spawn(process.execPath, ['--import', 'tsx', botMain, 'mktgbot'], { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    bot.stdout?.on('data', (chunk: Buffer) => (botOutput += chunk.toString()));
    bot.stderr?.on('data', (chunk: Buffer) => (botOutput += chunk.toString()));
    await waitFor(async () => ((await sql`select 1 from bot_heartbeats where bot = 'mktgbot' and status = 'running'`).length === 1 ? true : undefined), {
      what: 'mktgbot up',
      timeoutMs: 60_000,
      intervalMs: 200,
    });

    // The freight cascade reaches mktgbot: its handler reads the campaigns through the proxy and fails.
    const emitter = createSignalEmitter({ db, registry: fleetRuntime(db).registry, bot: 'opsbot' });
    const { id: signalId } = await emitter.emit('freight_delay', { shipment_id: 'SHKGH0525145', delay_days: 21 });
    const [receipt] = await waitFor(
      async () => {
        const rows = await sql<
          Array<{ error: string }>
        >`select error from signal_receipts where signal_id = ${signalId} and consumer_bot = 'mktgbot' and error is not null`;
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the handler failure recorded', timeoutMs: 30_000, intervalMs: 100 },
    );

    // An approved pause fails the same way inside the executor (side-effect ledger, approval row).
    const approvals = createApprovals({
      db,
      bot: 'mktgbot',
      log: silent,
      channel: createLocalRecordingChannel({ db, bot: 'mktgbot', target: '#mktg-bot', log: silent, show: () => {} }),
    });
    const { approval } = await approvals.request({
      action: 'pause_campaigns',
      title: 'Pause 1 ad campaign',
      draft: { campaigns: [{ campaign_id: '120200000000001', campaign: 'DW | Prospecting | Coastal Fog Candle' }] },
    });
    await decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'cli:ana', decidedVia: 'local' });
    const [failed] = await waitFor(
      async () => {
        const rows = await sql<Array<{ error: string }>>`select error from approvals where id = ${approval.id} and status = 'failed'`;
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the approved pause failed', timeoutMs: 30_000, intervalMs: 100 },
    );

    // A row written by a process that did not know the secret (another host, an older release):
    // the CLI still prints it scrubbed.
    await sql`insert into cron_runs (bot, job, scheduled_for, status, error, idempotency_key, finished_at)
              values ('adsbot', 'spend-watch', now(), 'failed', ${`ConnectorError: GET /v24.0/act_1001/insights?access_token=${encodeURIComponent(META_TOKEN)} failed`}, 'adsbot:spend-watch:test', now())`;

    const exited = new Promise((resolve) => bot?.once('exit', resolve));
    bot.kill('SIGTERM');
    await exited;

    // The token really travelled encoded, and the stored errors still say what failed.
    expect(forwarded.some((url) => url.includes(`access_token=${encodeURIComponent(META_TOKEN)}`))).toBe(true);
    expect(receipt?.error).toMatch(
      /^ConnectorError: Meta campaigns list failed: upstream graph\.facebook\.com did not answer GET \/v\d+\.\d+\/act_1001\/campaigns\?.*access_token=\[redacted\]/,
    );
    expect(failed?.error).toMatch(/Meta campaign pause failed: .*access_token=\[redacted\]/);

    // Log lines: the bot's whole output, and the failure logged under its class.
    expect(botOutput).toMatch(/"type":"ConnectorError"/);
    expect(botOutput).not.toContain(TAIL);

    // Brain rows: every row of every table.
    const tables = await sql<
      Array<{ table_name: string }>
    >`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    const leaks: string[] = [];
    for (const { table_name: table } of tables) {
      const rows = await sql.unsafe<Array<{ row: string }>>(`select t::text as row from "${table}" t`);
      for (const { row } of rows) if (row.includes(TAIL) && !(table === 'cron_runs' && row.includes('adsbot'))) leaks.push(`${table}: ${row}`);
    }
    expect(leaks).toEqual([]);

    // CLI output, with the operator's env (the same .env as the bots).
    const cliEnv = { ...env, LOG_LEVEL: 'silent' };
    const outputs = [['signals', '--json'], ['signals'], ['runs'], ['runs', '--json'], ['approvals', '--all'], ['approvals', '--all', '--json']].map((argv) => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...argv], { cwd: repositoryRoot, env: cliEnv, encoding: 'utf8', timeout: 60_000 });
      return `fleet ${argv.join(' ')} → ${result.status}\n${result.stdout}${result.stderr}`;
    });
    for (const output of outputs) expect(output).not.toContain(TAIL);
    expect(outputs[0]).toContain('access_token=[redacted]'); // the receipt's error, in `fleet signals --json`
    const runs = outputs[2] ?? '';
    // The runs table cuts errors at 80 characters: scrubbed before the cut, so no prefix of the token shows.
    expect(runs).toMatch(/adsbot\s+spend-watch\s+failed\s+1\s+ConnectorError: GET \/v24\.0\/act_1001\/insights\?access_token=\[redacted\] failed/);
    expect(runs).not.toContain('1234567890123');
  }, 120_000);
});
