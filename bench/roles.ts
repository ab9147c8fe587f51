// What a role per bot costs per brain call: the hot functions called one at a time, on a brain
// without the bot-roles lockdown (owner), with it (owner), and with it as the bot's own role (the
// SECURITY DEFINER switch, the fixed search_path, the row guards). Real embedded Postgres.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { createPostgresDb, embeddedUrl, listMigrations, migrate, type Db } from '@jbot/core';
import { createTestDatabase, startTestPostgres } from '@jbot/testkit';
import { percentiles } from './_percentiles.js';

const ROLES_MIGRATION = '20261203170000';

async function calls(db: Db, samples: number): Promise<Record<string, ReturnType<typeof percentiles>>> {
  const timed = async (run: (n: number) => Promise<unknown>) => {
    for (let n = 0; n < 50; n += 1) await run(-n - 1);
    const durations: number[] = [];
    for (let n = 0; n < samples; n += 1) {
      const start = performance.now();
      await run(n);
      durations.push(performance.now() - start);
    }
    return percentiles(durations);
  };
  const started = new Date();
  return {
    db_now: await timed(() => db.rpc('db_now')),
    emit_signal: await timed((n) => db.rpc('emit_signal', { p_source_bot: 'salesbot', p_signal_type: 'bench_roles', p_severity: 'info', p_payload: { n } })),
    claim_signals: await timed(() => db.rpc('claim_signals', { p_consumer_bot: 'salesbot', p_worker: 'bench', p_limit: 10, p_lease_seconds: 30 })),
    beat_heartbeat: await timed(() =>
      db.rpc('beat_heartbeat', { p_bot: 'salesbot', p_host: 'bench', p_pid: process.pid, p_version: 'bench', p_started_at: started }),
    ),
  };
}

/** `pnpm bench roles [samples]`: p50/p99 per call in each setting. */
export default async function run(argv: string[]): Promise<Record<string, unknown>> {
  const samples = Number(argv[0] ?? 2000);
  const server = await startTestPostgres();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-roles-'));
  try {
    // A brain with every migration but the lockdown: the "before" figures.
    for (const migration of await listMigrations())
      if (migration.version !== ROLES_MIGRATION) fs.copyFileSync(migration.file, path.join(directory, path.basename(migration.file)));
    const admin = postgres(embeddedUrl(server.port), { max: 1, onnotice: () => {} });
    await admin.unsafe('create database bench_roles_open');
    await admin.end();
    const openUrl = embeddedUrl(server.port, 'bench_roles_open');
    await migrate(openUrl, { directory });
    const locked = await createTestDatabase(server.port);
    const owner = createPostgresDb({ url: locked.url, poolMax: 1 });
    await owner.rpc('fleet_set_role_password', { p_role: 'fleet_salesbot', p_password: 'bench-roles-password' });
    const botUrl = new URL(locked.url);
    botUrl.username = 'fleet_salesbot';
    botUrl.password = 'bench-roles-password';
    const settings: Array<[string, string]> = [
      ['without_roles_owner', openUrl],
      ['with_roles_owner', locked.url],
      ['with_roles_bot_role', botUrl.toString()],
    ];
    const figures: Record<string, unknown> = { samples };
    for (const [name, url] of settings) {
      const db = createPostgresDb({ url, poolMax: 1 });
      figures[name] = await calls(db, samples);
      await db.close();
    }
    await owner.close();
    return figures;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
    await server.stop();
  }
}
