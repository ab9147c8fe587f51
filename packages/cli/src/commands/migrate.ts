import { ensureEmbeddedPostgres, loadCoreConfig, migrate } from '@jbot/core';
import { defineCommand } from '../command.js';

/** `fleet migrate`: apply pending supabase/migrations to the configured database. */
export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'apply pending database migrations (idempotent)',
  options: {},
  details:
    'Applies supabase/migrations in order to DATABASE_URL, or to the local embedded brain (started for the command and stopped after it when the fleet is not running).',
  async run(_input, io) {
    const config = loadCoreConfig(io.env);
    let url: string;
    let stop = async () => {};
    if (config.brain.kind === 'postgres') url = config.brain.url;
    else if (config.brain.kind === 'embedded') {
      const server = await ensureEmbeddedPostgres({ dataDir: config.brain.dataDir, port: config.brain.port });
      url = server.url;
      if (server.startedHere) stop = server.stop;
    } else {
      io.error("SUPABASE_URL alone cannot run DDL: set DATABASE_URL to the project's direct connection string, or run `supabase db push`.");
      return 1;
    }
    try {
      const result = await migrate(url, { onApplied: (version, name) => io.out(`applied ${version}_${name}`) });
      io.out(
        result.applied.length === 0 ? `up to date (${result.alreadyApplied} migrations applied earlier)` : `applied ${result.applied.length} migration(s)`,
      );
      return 0;
    } finally {
      await stop();
    }
  },
});
