import { ensureEmbeddedPostgres, loadCoreConfig, migrate } from '@jbot/core';
import type { Command } from '../command.js';

/** `fleet migrate`: apply pending supabase/migrations to the configured database. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending database migrations (idempotent)',
  usage: 'fleet migrate',
  async run(_argv, io) {
    const config = loadCoreConfig(io.env);
    let url: string;
    if (config.brain.kind === 'postgres') url = config.brain.url;
    else if (config.brain.kind === 'embedded') url = (await ensureEmbeddedPostgres({ dataDir: config.brain.dataDir, port: config.brain.port })).url;
    else {
      io.error('SUPABASE_URL alone cannot run DDL: set DATABASE_URL to the project\'s direct connection string, or run `supabase db push`.');
      return 2;
    }
    const result = await migrate(url, { onApplied: (version, name) => io.out(`applied ${version}_${name}`) });
    io.out(result.applied.length === 0 ? `up to date (${result.alreadyApplied} migrations applied earlier)` : `applied ${result.applied.length} migration(s)`);
    return 0;
  },
};
