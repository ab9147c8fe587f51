import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '@jbot/core';
import {
  freshDatabase,
  startFakeAnthropic,
  startFakeDiscord,
  startFakeHubSpot,
  startTelegramEmulator,
  type FakeAnthropic,
  type FakeDiscord,
  type FakeHubSpot,
  type TelegramEmulator,
  type TestDatabase,
} from '@jbot/testkit';

// `fleet doctor --env-file <file>` as an operator runs it on a server, against a real database and
// local fake services from testkit (Discord, Telegram, HubSpot, Anthropic).
const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');
const ANTHROPIC_KEY = 'sk-ant-test-key-0123456789';

describe('fleet doctor', () => {
  let database: TestDatabase;
  let discord: FakeDiscord;
  let telegram: TelegramEmulator;
  let hubspot: FakeHubSpot;
  let anthropic: FakeAnthropic;
  let anthropicUrl: string;
  let directory: string;

  const doctor = (lines: string[], args: string[] = []) => {
    const file = path.join(directory, `${Math.random().toString(36).slice(2)}.env`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    // Only the env file configures the run: nothing from this shell leaks in.
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'warn' };
    // Asynchronous: the fake servers live in this process and must keep answering meanwhile.
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'doctor', '--env-file', file, '--bots', 'salesbot,jbot', ...args], {
      cwd: repositoryRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise<{ status: number | null; stdout: string; output: string }>((resolve) =>
      child.once('close', (status) => resolve({ status, stdout, output: `${stdout}${stderr}` })),
    );
  };
  const goodEnv = () => [
    `DATABASE_URL=${database.url}`,
    'FLEET_HOST_ID=vps-1',
    `DISCORD_TOKEN=${discord.token}`,
    `DISCORD_API_BASE=${discord.apiBase}`,
    'DISCORD_CHANNEL_SALESBOT=100000000000000001',
    'DISCORD_CHANNEL_JBOT=100000000000000002',
    `TELEGRAM_BOT_TOKEN=${telegram.token}`,
    `TELEGRAM_API_ROOT=${telegram.apiRoot}`,
    'TELEGRAM_OPERATOR_CHAT_IDS=4242',
    `ANTHROPIC_API_KEY="${ANTHROPIC_KEY}"`,
    `ANTHROPIC_BASE_URL=${anthropicUrl}`,
    'HUBSPOT_ACCESS_TOKEN=fake-hubspot-token',
    `HUBSPOT_API_BASE=${hubspot.url}`,
  ];

  beforeAll(async () => {
    database = await freshDatabase();
    discord = await startFakeDiscord({ token: 'discord-bot-token-abcdef' });
    telegram = await startTelegramEmulator();
    hubspot = await startFakeHubSpot();
    anthropic = await startFakeAnthropic({ apiKey: ANTHROPIC_KEY });
    anthropicUrl = anthropic.url;
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-doctor-'));
  });
  afterAll(async () => {
    await Promise.all([discord.close(), telegram.close(), hubspot.close(), anthropic.close()]);
    await database.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('a complete, valid configuration passes every check, one line each, exit 0', async () => {
    const result = await doctor(goodEnv());
    expect(result.status, result.output).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      '✓ environment: valid for core, LLM, connectors, Telegram, Discord and the settings of 2 bots and their jobs',
      expect.stringMatching(/^✓ database: reachable over DATABASE_URL, round trip \d+ ms$/),
      expect.stringMatching(/^✓ migrations: all \d+ applied$/),
      expect.stringMatching(/^✓ clock: within \d+ ms of the database/),
      expect.stringMatching(/^✓ DISCORD_TOKEN: valid \(bot .+\)$/),
      expect.stringMatching(/^✓ TELEGRAM_BOT_TOKEN: valid \(@.+\)$/),
      '✓ ANTHROPIC_API_KEY: valid (2 models available)',
      '✓ HUBSPOT_ACCESS_TOKEN: valid (owners readable)',
      // Not configured, or no live adapter yet: said plainly, not a failure.
      '– WMS_SFTP_HOST: not set: shipbot reads the 3PL files from the sample company',
      '– PURCHASING: only the sample adapter exists: open POs and supplier lead times come from the sample company',
      '– Paid media: Google Ads / TikTok / Pinterest / Amazon Ads: sample adapter only: mktgbot reads these four platforms from the sample company (Meta is live with META_ACCESS_TOKEN)',
      // sysbot's fleet checks read the sample company where their live source is unset, and say so.
      "– ANTHROPIC_ADMIN_API_KEY: not set: llm-invoice-reconcile compares against the sample company's bill",
      '– BACKUP_DIRECTORY: not set: backup-check reads the sample backups (object storage / Supabase backups have no adapter yet)',
      "– CREDENTIAL_TLS_HOSTS: not set: credential-expiry probes the live vendors' tokens and checks no TLS certificate",
      "– FLEET_LOG_PATHS: not set: security-audit scans the sample company's log lines",
      'all 8 checks passed',
    ]);
  });

  it('a broken .env names each problem on its own line and exits 1', async () => {
    const result = await doctor([
      'DATABASE_URL=mysql://root:hunter2secret@db.example.com/fleet',
      'FLEET_TZ=Mars/Olympus_Mons',
      'LOG_LEVEL=loud',
      'HEARTBEAT_INTERVAL_MS=often',
      'DISCORD_TOKEN=discord-bot-token-abcdef',
      `DISCORD_API_BASE=${discord.apiBase}`,
      'DISCORD_APPROVER_USER_IDS=alice',
      'TELEGRAM_BOT_TOKEN=123:telegram-secret-token',
      'SHOPIFY_STORE_DOMAIN=harbor-and-pine.myshopify.com',
      'META_ACCESS_TOKEN=meta-secret-token-value',
      'LLM_DAILY_BUDGET_USD=-3',
    ]);
    expect(result.status).toBe(1);
    const failures = result.stdout.split('\n').filter((line) => line.startsWith('✗ '));
    const named = failures.map((line) => /^✗ (\S+):/.exec(line)?.[1]);
    for (const variable of [
      'DATABASE_URL',
      'FLEET_TZ',
      'LOG_LEVEL',
      'HEARTBEAT_INTERVAL_MS',
      'DISCORD_CHANNEL_SALESBOT',
      'DISCORD_CHANNEL_JBOT',
      'DISCORD_APPROVER_USER_IDS',
      'TELEGRAM_OPERATOR_CHAT_IDS',
      'SHOPIFY_ADMIN_ACCESS_TOKEN',
      'META_AD_ACCOUNT_ID',
      'LLM_DAILY_BUDGET_USD',
    ]) {
      expect(named, `${variable} in\n${result.stdout}`).toContain(variable);
    }
    // Each problem once, even though two bots read the Discord variables.
    expect(named.filter((variable) => variable === 'DISCORD_APPROVER_USER_IDS')).toHaveLength(1);
    expect(result.stdout).toContain('✗ DISCORD_CHANNEL_SALESBOT: is required when DISCORD_TOKEN is set');
    // The Discord token itself is still checked (and valid) despite the missing channel ids.
    expect(result.stdout).toMatch(/^✓ DISCORD_TOKEN: valid/m);
    expect(result.stdout).toContain('– database: not checked until its configuration above is fixed');
    expect(result.stdout).toMatch(/^\d+ problems? found$/m);
    for (const secret of ['hunter2secret', 'discord-bot-token-abcdef', 'telegram-secret-token', 'meta-secret-token-value'])
      expect(result.output).not.toContain(secret);
  });

  it('rejected credentials, an unreachable database and an unknown model each get a ✗ with what to do; tokens never printed', async () => {
    const result = await doctor([
      'DATABASE_URL=postgres://fleet:db-password-xyz@127.0.0.1:1/fleet',
      'DISCORD_TOKEN=wrong-discord-token-123',
      `DISCORD_API_BASE=${discord.apiBase}`,
      'DISCORD_CHANNEL_SALESBOT=100000000000000001',
      'DISCORD_CHANNEL_JBOT=100000000000000002',
      'ANTHROPIC_API_KEY=sk-ant-wrong-key-987654',
      `ANTHROPIC_BASE_URL=${anthropicUrl}`,
      'HUBSPOT_ACCESS_TOKEN=wrong-hubspot-token',
      `HUBSPOT_API_BASE=${hubspot.url}`,
    ]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^✗ database: unreachable \(ECONNREFUSED\): check the host and port in DATABASE_URL/m);
    expect(result.stdout).toMatch(/^✗ DISCORD_TOKEN: rejected \(HTTP 401\): reset the token/m);
    expect(result.stdout).toMatch(/^✗ ANTHROPIC_API_KEY: rejected \(HTTP 401\): create a key/m);
    expect(result.stdout).toMatch(/^✗ HUBSPOT_ACCESS_TOKEN: rejected \(HTTP 401\)/m);
    expect(result.stdout).toMatch(/^4 problems? found$/m);
    for (const secret of ['db-password-xyz', 'wrong-discord-token-123', 'sk-ant-wrong-key-987654', 'wrong-hubspot-token'])
      expect(result.output).not.toContain(secret);

    const model = await doctor([...goodEnv(), 'LLM_MODEL_SMART=claude-opus-5'].filter((line) => !line.startsWith('DISCORD')));
    expect(model.status).toBe(1);
    expect(model.stdout).toContain(
      '✗ LLM_MODEL_SMART: "claude-opus-5" is not a model this key can use: set LLM_MODEL_SMART to one of claude-haiku-5-5, claude-sonnet-5-5',
    );
    expect(model.output).not.toContain(ANTHROPIC_KEY);
  });
});
