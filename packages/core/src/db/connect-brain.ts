import type { BrainTarget } from '../config/core-config.js';
import { ensureEmbeddedPostgres } from '../embedded/embedded-postgres.js';
import { BrainCallError, BrainConnectionError } from './brain-error.js';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { createPostgresDb } from './postgres-db.js';
import { createSupabaseDb } from './supabase-db.js';
import { withSecretsScrubbed } from './secret-scrubbing-db.js';

/** A connected brain and the URL it used (postgres and embedded transports). */
export interface Brain {
  db: Db;
  databaseUrl?: string;
}

/**
 * Connect to the configured brain and prove it answers: postgres (DATABASE_URL), supabase
 * (SUPABASE_URL + key), or the embedded local Postgres, which is started and migrated here.
 * With `secrets` (secretValuesFromEnv), nothing this process writes to or reads from the brain holds one.
 */
export async function connectBrain(target: BrainTarget, options: { applicationName?: string; secrets?: readonly string[] } = {}): Promise<Brain> {
  let brain: Brain;
  switch (target.kind) {
    case 'embedded': {
      const server = await ensureEmbeddedPostgres({ dataDir: target.dataDir, port: target.port });
      await migrate(server.url);
      brain = {
        db: createPostgresDb({ url: server.url, poolMax: 4, ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }) }),
        databaseUrl: server.url,
      };
      break;
    }
    case 'postgres':
      brain = {
        db: createPostgresDb({
          url: target.url,
          poolMax: target.poolMax,
          prepare: target.prepare,
          ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
        }),
        databaseUrl: target.url,
      };
      break;
    case 'supabase':
      brain = {
        db: createSupabaseDb({
          url: target.url,
          serviceRoleKey: target.serviceRoleKey,
          ...(target.accessToken === undefined ? {} : { accessToken: target.accessToken }),
        }),
      };
      break;
  }
  await assertMigrated(brain.db);
  return options.secrets === undefined ? brain : { ...brain, db: withSecretsScrubbed(brain.db, options.secrets) };
}

/** Fail with a clear instruction when the brain's functions are missing. */
export async function assertMigrated(db: Db): Promise<void> {
  try {
    await db.rpc('db_now');
  } catch (error) {
    await db.close().catch(() => {});
    if (error instanceof BrainCallError && /db_now|does not exist|schema cache/i.test(error.message)) {
      throw new BrainConnectionError('The database has no fleet schema yet: run `pnpm fleet migrate` (or `supabase db push`).', { cause: error });
    }
    throw error;
  }
}
