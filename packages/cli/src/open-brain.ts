import { connectBrain, createLogger, loadCoreConfig, secretValuesFromEnv, type CoreConfig, type Db, type Logger } from '@jbot/core';

/** A CLI session on the brain. */
export interface BrainSession {
  db: Db;
  config: CoreConfig;
  log: Logger;
  databaseUrl?: string;
  close(): Promise<void>;
}

/** Connect the CLI to the configured brain (starting the embedded one when nothing is configured). */
export async function openBrain(env: NodeJS.ProcessEnv): Promise<BrainSession> {
  const config = loadCoreConfig(env);
  const secrets = secretValuesFromEnv(env);
  const log = createLogger({ level: env['LOG_LEVEL'] ?? 'warn', pretty: 'false', secrets, base: { bot: 'cli' } });
  const brain = await connectBrain(config.brain, { applicationName: 'fleet-cli', secrets });
  return {
    db: brain.db,
    config,
    log,
    ...(brain.databaseUrl === undefined ? {} : { databaseUrl: brain.databaseUrl }),
    close: () => brain.db.close(),
  };
}
