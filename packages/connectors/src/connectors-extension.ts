import { defineContextExtension, settingsFrom } from '@jbot/core';
import { createConnectors, type Connectors } from './create-connectors.js';
import { loadConnectorsConfig, type ConnectorsConfig } from './connectors-config.js';

declare module '@jbot/core' {
  interface BotContext {
    /** The company's systems, built once per process from parsed config (live or sample per vendor). */
    connectors: Connectors;
  }
}

/**
 * `ctx.connectors` for every job, handler and executor: built once per process from the parsed
 * connector settings (live where a vendor's credentials are set, the sample company otherwise);
 * each vendor's SDK still loads on its first call.
 */
export const connectorsExtension = defineContextExtension<ConnectorsConfig>({
  name: 'connectors',
  settings: settingsFrom(loadConnectorsConfig),
  create: ({ db, log, config }) => ({ connectors: createConnectors({ db, env: {}, log, config }) }),
});
