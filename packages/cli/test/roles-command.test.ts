import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, createSupabaseDb, parseEnvFile } from '@jbot/core';
import { freshDatabase, startRpcTestServer, type TestDatabase } from '@jbot/testkit';
import { rolesCommand } from '../src/commands/roles.js';
import { roleUrl } from '../src/brain-roles.js';

const ROLE_SECRET = 'a-fleet-role-secret-of-at-least-32-characters';

// What `fleet deploy` runs on each host: every process gets its own login in its own env file.
describe('fleet roles', () => {
  let database: TestDatabase;
  let directory: string;

  const run = async (argv: string[], env: Record<string, string>) => {
    const lines: string[] = [];
    const code = await rolesCommand.run(argv, {
      out: (line: string) => lines.push(line),
      error: (line: string) => lines.push(`error: ${line}`),
      env: { LOG_LEVEL: 'silent', ...env },
    });
    return { code, text: lines.join('\n') };
  };
  const envOf = (name: string) => parseEnvFile(fs.readFileSync(path.join(directory, `${name}.env`), 'utf8'));

  beforeAll(async () => {
    database = await freshDatabase();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-roles-'));
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("writes each bot's own role login into its env file, keeps the bot's other secrets, and the login is that bot", async () => {
    fs.writeFileSync(path.join(directory, 'salesbot.env'), 'HUBSPOT_ACCESS_TOKEN=pat-na1-salesbot-only\nDATABASE_URL=postgres://postgres:owner@x/y\n', {
      mode: 0o600,
    });
    const result = await run(['--env-dir', directory, '--bots', 'salesbot,opsbot,dashboard'], { DATABASE_URL: database.url, FLEET_ROLE_SECRET: ROLE_SECRET });
    expect(result.code, result.text).toBe(0);
    expect(fs.readdirSync(directory).sort()).toEqual(['dashboard.env', 'opsbot.env', 'salesbot.env']);
    const salesbot = envOf('salesbot');
    expect(salesbot['HUBSPOT_ACCESS_TOKEN']).toBe('pat-na1-salesbot-only');
    expect(new URL(salesbot['DATABASE_URL'] ?? '').username).toBe('fleet_salesbot');
    expect(new URL(salesbot['CHANNELS_DATABASE_URL'] ?? '').username).toBe('fleet_channels');
    expect(new URL(envOf('dashboard')['DATABASE_URL'] ?? '').username).toBe('fleet_operator');
    expect(envOf('dashboard')['CHANNELS_DATABASE_URL']).toBeUndefined();
    // The owner's URL is gone from the bot's file; no other bot's secret is in it.
    expect(fs.readFileSync(path.join(directory, 'salesbot.env'), 'utf8')).not.toContain('postgres:owner');
    expect(fs.readFileSync(path.join(directory, 'opsbot.env'), 'utf8')).not.toContain('pat-na1');
    expect(fs.statSync(path.join(directory, 'salesbot.env')).mode & 0o777).toBe(0o600);

    const db = createPostgresDb({ url: salesbot['DATABASE_URL'] ?? '', poolMax: 1 });
    try {
      const [row] = await db.rpc<{ signal_id: string }>('emit_signal', {
        p_source_bot: 'salesbot',
        p_signal_type: 'test_ping',
        p_severity: 'info',
        p_payload: {},
      });
      expect(row?.signal_id).toBeDefined();
      await expect(db.rpc('emit_signal', { p_source_bot: 'opsbot', p_signal_type: 'test_ping', p_severity: 'info', p_payload: {} })).rejects.toThrow(
        /salesbot may not write bot_signals rows as opsbot/,
      );
    } finally {
      await db.close();
    }
    // The second host computes the same passwords: running it again changes nothing.
    const before = fs.readFileSync(path.join(directory, 'opsbot.env'), 'utf8');
    expect((await run(['--env-dir', directory, '--bots', 'opsbot'], { DATABASE_URL: database.url, FLEET_ROLE_SECRET: ROLE_SECRET })).code).toBe(0);
    expect(fs.readFileSync(path.join(directory, 'opsbot.env'), 'utf8')).toBe(before);
  });

  it("keeps the Supabase pooler's project suffix in the role's user name", () => {
    expect(roleUrl('postgres://postgres.abcdefgh:owner@aws-0-eu-west-1.pooler.supabase.com:5432/postgres', 'fleet_opsbot', 'p4ss')).toBe(
      'postgres://fleet_opsbot.abcdefgh:p4ss@aws-0-eu-west-1.pooler.supabase.com:5432/postgres',
    );
    expect(roleUrl('postgres://postgres:owner@db.abcdefgh.supabase.co:5432/postgres', 'fleet_opsbot', 'p4ss')).toBe(
      'postgres://fleet_opsbot:p4ss@db.abcdefgh.supabase.co:5432/postgres',
    );
  });

  it('refuses a short FLEET_ROLE_SECRET, saying what to set', async () => {
    const result = await run(['--env-dir', directory, '--bots', 'opsbot'], { DATABASE_URL: database.url, FLEET_ROLE_SECRET: 'short' });
    expect(result.code).toBe(64);
    expect(result.text).toMatch(/FLEET_ROLE_SECRET must be set to 32\+ random characters/);
  });

  it('on Supabase writes a JWT per bot that PostgREST runs as that bot', async () => {
    const server = await startRpcTestServer(database.url);
    try {
      const supabaseDir = fs.mkdtempSync(path.join(directory, 'supabase-'));
      const result = await run(['--env-dir', supabaseDir, '--bots', 'salesbot'], {
        SUPABASE_JWT_SECRET: server.jwtSecret,
        SUPABASE_URL: server.url,
        SUPABASE_ANON_KEY: server.anonKey,
      });
      expect(result.code, result.text).toBe(0);
      const env = parseEnvFile(fs.readFileSync(path.join(supabaseDir, 'salesbot.env'), 'utf8'));
      expect(env['SUPABASE_SERVICE_ROLE_KEY']).toBeUndefined();
      const db = createSupabaseDb({
        url: env['SUPABASE_URL'] ?? '',
        serviceRoleKey: env['SUPABASE_ANON_KEY'] ?? '',
        accessToken: env['SUPABASE_BOT_TOKEN'] ?? '',
      });
      await expect(db.rpc('emit_signal', { p_source_bot: 'opsbot', p_signal_type: 'test_ping', p_severity: 'info', p_payload: {} })).rejects.toThrow(
        /salesbot may not write bot_signals rows as opsbot/,
      );
      const channels = createSupabaseDb({
        url: env['SUPABASE_URL'] ?? '',
        serviceRoleKey: env['SUPABASE_ANON_KEY'] ?? '',
        accessToken: env['SUPABASE_CHANNELS_TOKEN'] ?? '',
      });
      expect(await channels.rpc('register_operator_chats', { p_chat_ids: ['99'] })).toHaveLength(1);
      await Promise.all([db.close(), channels.close()]);
    } finally {
      await server.close();
    }
  });
});
