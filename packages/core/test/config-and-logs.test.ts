import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, createLogger, loadCoreConfig, repositoryRoot, secretValuesFromEnv } from '@jbot/core';
import { waitFor } from '@jbot/testkit';

describe('config', () => {
  it('defaults to the embedded brain when nothing is configured', () => {
    const config = loadCoreConfig({});
    expect(config.brain).toMatchObject({ kind: 'embedded', port: 54339 });
    expect(config.timeZone).toBe('UTC');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadCoreConfig({ DATABASE_URL: 'mysql://nope', FLEET_TZ: 'Mars/Olympus', SIGNAL_POLL_MS: 'soon', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((problem) => problem.variable).sort();
    expect(variables).toEqual(['DATABASE_URL', 'FLEET_TZ', 'LOG_LEVEL', 'SIGNAL_POLL_MS']);
    expect((error as Error).message).toMatch(/FLEET_TZ: "Mars\/Olympus" is not an IANA time zone/);
  });

  it('a Supabase URL without its key is a missing required variable', () => {
    expect(() => loadCoreConfig({ SUPABASE_URL: 'https://abc.supabase.co' })).toThrow(/SUPABASE_SERVICE_ROLE_KEY: is required when SUPABASE_URL is set/);
  });
});

describe('logs', () => {
  function capture() {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    return { lines, destination };
  }

  it('redacts every secret value in fields, message strings and error stacks', () => {
    const env = {
      ANTHROPIC_API_KEY: 'sk-ant-api03-SECRETSECRET',
      DATABASE_URL: 'postgres://fleet:hunter2-pass@db.example.com:5432/postgres',
      TELEGRAM_BOT_TOKEN: '123456:ABCDEF-telegram',
    };
    const { lines, destination } = capture();
    const log = createLogger({ secrets: secretValuesFromEnv(env), destination, base: { bot: 'salesbot' } });
    const child = log.child({ job: 'hubspot-sync', runId: 'r1' });
    child.info({ request: { url: `https://api.telegram.org/bot${env.TELEGRAM_BOT_TOKEN}/getMe` } }, `calling with key ${env.ANTHROPIC_API_KEY}`);
    child.error({ err: new Error(`connect failed for ${env.DATABASE_URL}`) }, 'db down');
    child.warn({ token: 'plain-field-token-value' }, 'token field');
    const output = lines.join('');
    for (const secret of ['sk-ant-api03-SECRETSECRET', 'hunter2-pass', '123456:ABCDEF-telegram', 'plain-field-token-value'])
      expect(output).not.toContain(secret);
    const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(first).toMatchObject({ bot: 'salesbot', job: 'hubspot-sync', runId: 'r1', msg: 'calling with key [redacted]' });
    const second = JSON.parse(lines[1] ?? '{}') as { err: { message: string; stack: string } };
    expect(second.err.message).toBe('connect failed for postgres://fleet:[redacted]@db.example.com:5432/postgres');
    expect(second.err.stack).toContain('[redacted]');
  });
});

describe('a bot process with bad input stops with a clear message', () => {
  const main = path.join(repositoryRoot, 'packages', 'fleet', 'src', 'main.ts');
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', main, 'salesbot'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('a malformed DATABASE_URL exits 78 naming the variable', () => {
    const result = run({ DATABASE_URL: 'not a url' });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/DATABASE_URL: expected postgres:\/\/user:password@host:5432\/database/);
  });

  it('an unreachable DATABASE_URL is waited for (a failover, a reboot), saying so without the password', async () => {
    // Nothing listens on port 1: the bot retries with backoff (brain-down-at-boot.test.ts covers the return).
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'salesbot'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        DATABASE_URL: 'postgres://fleet:topsecretpw@127.0.0.1:1/postgres',
        LOG_PRETTY: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));
    try {
      await waitFor(() => /retrying in 2 s \(attempt 2\)/.test(output), { what: 'two logged retries', timeoutMs: 30_000 });
      expect(exited).toBeUndefined();
      expect(output).toMatch(/the brain is unreachable; retrying in 1 s \(attempt 1\)/);
      expect(output).toMatch(/ECONNREFUSED/);
      expect(output).not.toContain('topsecretpw');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
