import { createPostgresDb, createSupabaseDb, listMigrations, type BrainTarget, type Db } from '@jbot/core';
import { fail, pass, skip, type CheckResult } from './doctor-check.js';

// Past this the scheduler's claims (1 s tolerance) and leases start to disagree between hosts.
const MAX_SKEW_MS = 2000;
const TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(Object.assign(new Error(`${what} did not answer within ${TIMEOUT_MS / 1000} s`), { code: 'TIMEOUT' })), TIMEOUT_MS).unref(),
    ),
  ]);
}

function unreachable(error: unknown, target: BrainTarget): string {
  const facts = error as { code?: string; facts?: { sqlState?: string }; cause?: { code?: string } };
  const code = facts.code === 'brain_call_failed' || facts.code === 'brain_unreachable' ? (facts.facts?.sqlState ?? facts.cause?.code) : facts.code;
  const variable = target.kind === 'supabase' ? 'SUPABASE_URL / SUPABASE_SERVICE_ROLE_KEY' : 'DATABASE_URL';
  if (code === '28P01') return `the password was rejected (28P01): copy the connection string again (Supabase: Project Settings → Database) into ${variable}`;
  if (code === '3D000') return `the database does not exist (3D000): check the database name at the end of ${variable}`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'TIMEOUT' || code === 'CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return `unreachable (${code}): check the host and port in ${variable} (Supabase: the direct or session-pooler string, port 5432) and that this server may connect out`;
  }
  return `${(error as Error).message.split('\n')[0]}: check ${variable}`;
}

/** Database reachable, every migration applied, and this host's clock close to the database's. */
export async function checkBrain(target: BrainTarget): Promise<CheckResult[]> {
  if (target.kind === 'embedded') {
    return [skip('database', 'no DATABASE_URL or SUPABASE_URL: the embedded local Postgres (fine for `pnpm start`; a server needs DATABASE_URL)')];
  }
  let db: Db;
  try {
    db =
      target.kind === 'postgres'
        ? createPostgresDb({ url: target.url, poolMax: 1, prepare: target.prepare, applicationName: 'fleet-doctor' })
        : createSupabaseDb({
            url: target.url,
            serviceRoleKey: target.serviceRoleKey,
            ...(target.accessToken === undefined ? {} : { accessToken: target.accessToken }),
          });
  } catch (error) {
    return [fail('database', unreachable(error, target))];
  }
  try {
    const before = Date.now();
    let now: string | undefined;
    try {
      [{ now } = { now: undefined }] = await withTimeout(db.rpc<{ now: string }>('db_now'), 'the database');
    } catch (error) {
      if (/db_now|does not exist|schema cache/i.test((error as Error).message))
        return [pass('database', 'reachable'), fail('migrations', 'the database has no fleet schema: run `pnpm fleet migrate` (or `supabase db push`)')];
      return [fail('database', unreachable(error, target))];
    }
    const after = Date.now();
    const results = [pass('database', `reachable over ${target.kind === 'postgres' ? 'DATABASE_URL' : 'SUPABASE_URL'}, round trip ${after - before} ms`)];

    const expected = await listMigrations();
    let applied = new Set<string>();
    try {
      applied = new Set((await db.rpc<{ version: string }>('applied_migrations')).map((row) => String(row.version)));
    } catch {
      // Older than the migration that adds applied_migrations(): that one at least is pending.
    }
    const pending = expected.filter((migration) => !applied.has(migration.version));
    results.push(
      pending.length === 0
        ? pass('migrations', `all ${expected.length} applied`)
        : fail(
            'migrations',
            `${pending.length} of ${expected.length} not applied (${pending
              .map((migration) => `${migration.version}_${migration.name}`)
              .slice(0, 3)
              .join(', ')}${pending.length > 3 ? ', …' : ''}): run \`pnpm fleet migrate\` (or \`supabase db push\`)`,
          ),
    );

    // The first call paid for the connection (seconds on a loaded host or far away), so its midpoint
    // says little about the clocks: sample again on the warm connection and keep the tightest round
    // trip. Only a skew beyond the limit by more than that sample's uncertainty fails.
    let sample = { before, after, now };
    for (let index = 0; index < 3; index += 1) {
      const start = Date.now();
      const [row] = await withTimeout(db.rpc<{ now: string }>('db_now'), 'the database');
      const end = Date.now();
      if (end - start < sample.after - sample.before) sample = { before: start, after: end, now: row?.now };
    }
    const skewMs = Math.round((sample.before + sample.after) / 2 - Date.parse(sample.now ?? ''));
    const uncertaintyMs = Math.ceil((sample.after - sample.before) / 2);
    if (!Number.isFinite(skewMs)) results.push(fail('clock', 'the database did not return its time'));
    else if (Math.abs(skewMs) - uncertaintyMs > MAX_SKEW_MS)
      results.push(
        fail(
          'clock',
          `this host's clock is ${(Math.abs(skewMs) / 1000).toFixed(1)} s ${skewMs > 0 ? 'ahead of' : 'behind'} the database's (limit ${MAX_SKEW_MS / 1000} s): turn on NTP (timedatectl set-ntp true)`,
        ),
      );
    else results.push(pass('clock', `within ${Math.abs(skewMs)} ms of the database (±${uncertaintyMs} ms)`));
    return results;
  } finally {
    await db.close().catch(() => {});
  }
}
