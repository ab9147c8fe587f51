import type { Db } from '@jbot/core';
import type { ConnectorsConfig } from '../connectors-config.js';
import { createAnthropicBillingConnector } from './anthropic-admin-client.js';
import type { BackupsConnector, CredentialsConnector, FleetLogsConnector, LlmBillingConnector } from './fleet-ops-connectors.js';
import { createDirectoryBackupsConnector, createFileFleetLogsConnector, tlsEndpoints } from './local-fleet-ops.js';
import { createVendorCredentialsConnector } from './vendor-credentials.js';
import {
  createSampleBackupsConnector,
  createSampleCredentialsConnector,
  createSampleFleetLogsConnector,
  createSampleLlmBillingConnector,
} from './sample-fleet-ops.js';

/** sysbot's connectors to the fleet's own operations. */
export interface FleetOpsConnectors {
  credentials: CredentialsConnector;
  backups: BackupsConnector;
  fleetLogs: FleetLogsConnector;
  llmBilling: LlmBillingConnector;
}

/**
 * Live where configured, the sample company otherwise: credentials once any live vendor
 * (HubSpot, Shopify, Meta) or CREDENTIAL_TLS_HOSTS is set; BACKUP_DIRECTORY; FLEET_LOG_PATHS;
 * ANTHROPIC_ADMIN_API_KEY.
 */
export function createFleetOpsConnectors(db: Db, config: ConnectorsConfig): FleetOpsConnectors {
  const fleetOps = config.fleetOps ?? {};
  return {
    credentials:
      fleetOps.tlsHosts === undefined && config.hubspot === undefined && config.shopify === undefined && config.meta === undefined
        ? createSampleCredentialsConnector(db)
        : createVendorCredentialsConnector(config, tlsEndpoints(fleetOps.tlsHosts ?? [])),
    backups: fleetOps.backupDirectory === undefined ? createSampleBackupsConnector(db) : createDirectoryBackupsConnector(fleetOps.backupDirectory),
    fleetLogs: fleetOps.logPaths === undefined ? createSampleFleetLogsConnector(db) : createFileFleetLogsConnector(fleetOps.logPaths),
    llmBilling:
      fleetOps.anthropicAdmin === undefined
        ? createSampleLlmBillingConnector(db)
        : createAnthropicBillingConnector({ ...fleetOps.anthropicAdmin, timeoutMs: config.timeoutMs }),
  };
}
