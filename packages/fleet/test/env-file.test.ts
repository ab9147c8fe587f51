import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, listApprovals, repositoryRoot, type Db } from '@jbot/core';
import { loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, waitFor, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';

// The README says: copy .env.example to .env. A key put only in the env file (FLEET_ENV_FILE, as
// the repo's .env is read) must make the bot draft with Claude — here a real salesbot process
// against the fake Anthropic, nothing in its own environment but the database.
describe('the env file configures a bot process', () => {
  let database: TestDatabase;
  let db: Db;
  let anthropic: FakeAnthropic;
  let directory: string;
  let bot: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 3 });
    await loadSampleCompany(db);
    anthropic = await startFakeAnthropic();
    anthropic.respondWith(() => ({
      text: JSON.stringify({ subject: 'Next steps on your program', body: 'Hi, it has been a while since we talked. Could we book 15 minutes this week?' }),
    }));
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-env-file-'));
  });
  afterAll(async () => {
    bot?.kill('SIGTERM');
    await new Promise((resolve) => (bot === undefined || bot.exitCode !== null ? resolve(null) : bot.once('exit', resolve)));
    fs.rmSync(directory, { recursive: true, force: true });
    await anthropic.close();
    await db.close();
    await database.drop();
  });

  it('ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL only in the env file: salesbot drafts the follow-ups with Claude', async () => {
    const file = path.join(directory, 'fleet.env');
    fs.writeFileSync(file, `# as copied from .env.example\nANTHROPIC_API_KEY="${anthropic.apiKey}"\nANTHROPIC_BASE_URL=${anthropic.url}\n`);
    bot = spawn(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'packages', 'fleet', 'src', 'main.ts'), 'salesbot'], {
      cwd: repositoryRoot,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], DATABASE_URL: database.url, FLEET_ENV_FILE: file, LOG_LEVEL: 'warn', SIGNAL_POLL_MS: '200' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    bot.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      async () => (await db.rpc<{ bot: string; status: string }>('fleet_heartbeats')).some((row) => row.bot === 'salesbot' && row.status === 'running'),
      { what: `salesbot running (${output})`, timeoutMs: 30_000 },
    );

    await db.rpc('request_manual_run', { p_bot: 'salesbot', p_job: 'hubspot-sync', p_requested_by: 'test' });
    const signal = await waitFor(async () => (await db.rpc<{ signal_id: string }>('list_signals', { p_signal_type: 'stale_deals' }))[0], {
      what: 'the stale_deals signal',
      timeoutMs: 30_000,
    });
    const [received] = await db.rpc<{ operator_message_id: string }>('receive_operator_message', {
      p_channel: 'local',
      p_sender_id: 'cli:ana',
      p_text: 'follow up on both',
      p_reply_to_signal_id: signal.signal_id,
    });
    await db.rpc('route_operator_message', {
      p_operator_message_id: received?.operator_message_id,
      p_routed_to: 'salesbot',
      p_instruction: { to_bot: 'salesbot', text: 'follow up on both', channel: 'local', sender_id: 'cli:ana', signal_id: signal.signal_id },
    });
    const approval = await waitFor(async () => (await listApprovals(db, { bot: 'salesbot', status: 'pending' }))[0], {
      what: 'the follow-up approval',
      timeoutMs: 30_000,
    });

    expect((approval.draft as { note: string }).note).toMatch(/by Claude/);
    expect(anthropic.requests.length).toBe(2);
    expect(output).not.toContain(anthropic.apiKey);
  }, 90_000);
});
