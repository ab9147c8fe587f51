import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, freshDatabase, type TestDatabase } from '@jbot/testkit';
import type { CommandIo } from '../src/command.js';
import { runFleet } from '../src/run-fleet.js';

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function fleet(env: NodeJS.ProcessEnv, ...argv: string[]) {
  const lines: string[] = [];
  const io: CommandIo = { out: (line) => lines.push(line), error: (line) => lines.push(line), env: { LOG_LEVEL: 'silent', ...env } };
  const code = await runFleet(argv, io);
  return { code, text: lines.join('\n') };
}

// The fleet is down. Commands that need it say so at once; commands that only read the brain
// read it and leave nothing running behind them.
describe('fleet commands when the fleet is not running', () => {
  let dataDir: string;
  let port: number;
  let local: NodeJS.ProcessEnv;
  let database: TestDatabase;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-down-'));
    // The embedded server runs as the postgres user, which must be able to enter the directory.
    fs.chmodSync(dataDir, 0o755);
    port = await freePort();
    local = { FLEET_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port) };
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([[['demo', 'monday']], [['run', 'sysbot/fleet-monitor']], [['reply', 'abcd1234', 'follow up']]])(
    'local fleet down: fleet %j says it is not running and how to start it, and starts nothing',
    async (argv) => {
      const { code, text } = await fleet(local, ...argv);
      expect(code).toBe(1);
      expect(text).toBe(`The local fleet is not running (no brain on port ${port}): start it with \`pnpm start\` (in another terminal), then run this again.`);
      expect(await portOpen(port)).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'pg'))).toBe(false);
    },
  );

  it('read-only commands read the stopped brain and stop the Postgres they started', async () => {
    const status = await fleet(local, 'status');
    expect(status.code).toBe(0);
    expect(status.text).toContain('No bot has ever run on this brain: start the fleet with `pnpm start`.');
    expect(await portOpen(port)).toBe(false);
    const signals = await fleet(local, 'signals', '--since', '1h');
    expect(signals).toMatchObject({ code: 0, text: 'No signals match.' });
    expect(await portOpen(port)).toBe(false);
  }, 120_000);

  it('brain up but the bots down: demo names the bots it needs and does not queue a run', async () => {
    const env = { DATABASE_URL: database.url };
    const { code, text } = await fleet(env, 'demo', 'freight');
    expect(code).toBe(1);
    expect(text).toMatch(
      /^Not running: opsbot \(never started on this brain\), shipbot \(never started on this brain\), salesbot \(never started on this brain\), mktgbot \(never started on this brain\)\. This needs the running fleet: start it \(`pnpm start` here, or `systemctl start jbot-fleet.target` on its hosts\), then run this again\.$/,
    );
    const runs = await fleet(env, 'runs', '--json');
    expect(JSON.parse(runs.text)).toEqual([]);
  });
});
