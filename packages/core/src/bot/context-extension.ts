import type { Logger } from 'pino';
import type { Db } from '../db/db.js';
import type { Settings } from '../config/settings.js';

/**
 * A package's addition to every bot context (grammY's "flavour"): its settings, parsed once at
 * start-up with everything else, and the fields it adds, built once per process. @jbot/connectors
 * provides `connectors` this way; vendor SDKs still load on first use.
 */
export interface ContextExtension<Config = unknown> {
  name: string;
  settings: Settings<Config>;
  create(dependencies: { db: Db; log: Logger; config: Config }): Readonly<Record<string, unknown>>;
}

/** Declare a context extension. */
export function defineContextExtension<Config>(extension: ContextExtension<Config>): ContextExtension<Config> {
  return extension;
}
