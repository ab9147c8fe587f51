import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { catalogSignalTypes, createPostgresDb, createSignalEmitter, repositoryRoot, SignalRegistry, type Db } from '@jbot/core';
import { staleDeals } from '@jbot/salesbot/signals';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');
// A real terminal for `fleet start`: python's pty module gives the child a pseudo-terminal and
// relays what the test writes as keystrokes, as a person typing in the `pnpm start` window.
const PTY = 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)';

describe('pnpm start on a terminal is the local Telegram', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  // Its own data directory: one supervisor runs per data directory (the start lock).
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-operator-terminal-'));

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1 });
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('a line typed in the start terminal is routed like a Telegram reply, and the answer shows there', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.url,
      HEARTBEAT_INTERVAL_MS: '1000',
      SIGNAL_POLL_MS: '200',
      FLEET_HOST_ID: 'test-host',
      USER: 'ana',
      COLUMNS: '200',
      FLEET_DATA_DIR: dataDirectory,
    };
    for (const name of ['TELEGRAM_BOT_TOKEN', 'DISCORD_TOKEN', 'LOG_PRETTY']) delete env[name];
    const terminal = spawn('python3', ['-c', PTY, process.execPath, '--import', 'tsx', cli, 'start', '--bots', 'jbot,salesbot', '--from-source'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    terminal.stdout?.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    terminal.stderr?.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => terminal.once('exit', resolve));
    try {
      await waitFor(
        async () =>
          (await db.rpc<{ bot: string; status: string }>('fleet_heartbeats')).filter((beat) => beat.status === 'running').length === 2 &&
          screen.includes('Telegram executive layer up'),
        { timeoutMs: 90_000, intervalMs: 250, what: 'jbot and salesbot running' },
      );
      expect(screen).toContain('this terminal is your local Telegram: type a line to answer jbot');

      const stale = await createSignalEmitter({ db, registry: new SignalRegistry([...catalogSignalTypes, staleDeals]), bot: 'salesbot' }).emit('stale_deals', {
        deals: [
          { deal_id: 'D-7', name: 'Harbor Home — spring order' },
          { deal_id: 'D-9', name: 'Cedar & Co restock' },
        ],
        threshold_days: 14,
      });
      await waitFor(() => screen.includes('→ Telegram: 🟡 2 wholesale deals stale (>14 days). Review?'), {
        timeoutMs: 30_000,
        what: "jbot's line on the terminal",
      });

      // A person reads the line before answering: by then jbot has recorded it (what a reply resolves to).
      await waitFor(
        async () =>
          (await sql`select 1 from channel_messages where channel = 'local' and target = 'local-operator' and body::text like ${`%${stale.id}%`}`).length === 1,
        { what: 'the line recorded' },
      );
      terminal.stdin?.write('follow up on both, draft emails\r');
      const routed = await waitFor(
        async () => (await sql`select reply_to_signal_id::text as signal, routed_to from operator_messages where routed_to is not null`)[0],
        { timeoutMs: 30_000, what: 'the typed line stored and routed' },
      );
      expect(routed).toEqual({ signal: stale.id, routed_to: 'salesbot' });
      await waitFor(() => screen.includes('← you: follow up on both, draft emails'), { what: "the typed line shown as the operator's" });
      // salesbot's acknowledgement comes back through jbot's outbox, printed as a Telegram line.
      await waitFor(() => /→ Telegram: salesbot: /.test(screen), { timeoutMs: 30_000, what: "salesbot's acknowledgement on the terminal" });

      terminal.stdin?.write('\u0003');
      expect(await exited).toBe(0);
      expect(screen).toMatch(/supervisor: all stopped/);
    } catch (error) {
      terminal.kill('SIGKILL');
      throw new Error(`${String(error)}\n--- the terminal showed:\n${screen.slice(-4000)}`);
    }
  }, 180_000);
});
