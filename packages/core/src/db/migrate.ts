import fs from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { repositoryRoot } from '../config/core-config.js';
import { BrainConnectionError } from './brain-error.js';
import { appliedVersions, ensureBookkeeping, MIGRATION_LOCK_KEY, recordVersion, secureSchema } from '../sql/migration-statements.js';

/** The repository's migrations folder (Supabase CLI layout). */
export const migrationsDirectory = path.join(repositoryRoot, 'supabase', 'migrations');

/** One migration file: `<version>_<name>.sql`. */
export interface MigrationFile {
  version: string;
  name: string;
  file: string;
}

/** What a migrate call did. */
export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/** Migration files in version order. */
export async function listMigrations(directory = migrationsDirectory): Promise<MigrationFile[]> {
  const entries = (await fs.readdir(directory)).filter((entry) => /^\d{14}_[a-z0-9_]+\.sql$/.test(entry)).sort();
  return entries.map((entry) => {
    const [version = '', ...rest] = entry.replace(/\.sql$/, '').split('_');
    return { version, name: rest.join('_'), file: path.join(directory, entry) };
  });
}

/**
 * Apply pending migrations to a Postgres database, each in its own transaction, under an
 * advisory lock. Idempotent: applied versions are recorded and skipped.
 */
export async function migrate(
  databaseUrl: string,
  options: { directory?: string; onApplied?: (version: string, name: string) => void } = {},
): Promise<MigrationResult> {
  const migrations = await listMigrations(options.directory);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await sql.begin(async (transaction) => {
      await transaction.unsafe('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await transaction.unsafe(ensureBookkeeping);
      const done = new Set((await transaction.unsafe(appliedVersions)).map((row) => String(row['version'])));
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        const text = await fs.readFile(migration.file, 'utf8');
        await transaction.savepoint(async (savepoint) => {
          await savepoint.unsafe(text);
          await savepoint.unsafe(recordVersion, [migration.version, migration.name, [text]]);
        });
        applied.push(`${migration.version}_${migration.name}`);
        options.onApplied?.(migration.version, migration.name);
      }
      // Functions and tables any migration added start locked down too (SECURITY DEFINER, no DML
      // for fleet roles, RLS): see 20261203170000_bot_roles.sql.
      if (applied.length > 0) await transaction.unsafe(secureSchema);
      return { applied, alreadyApplied: done.size };
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'CONNECT_TIMEOUT' || code === '28P01' || code === '3D000') {
      throw new BrainConnectionError(`Cannot migrate: the database is unreachable (${code}). Check DATABASE_URL.`, { cause: error, transport: 'postgres' });
    }
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
