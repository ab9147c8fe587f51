import { createConnectors, loadConnectorsConfig } from '@jbot/connectors';
import { catalogSignalTypes, SignalRegistry, type Db, type Env, type FleetMember } from '@jbot/core';
import { fleetMembers, fleetSignalTypes } from './roster.js';

/** What startBot / buildBotServices need to run a roster bot in-process as the fleet runs it. */
export interface FleetRuntime {
  registry: SignalRegistry;
  fleet: readonly FleetMember[];
  extensions: { connectors: ReturnType<typeof createConnectors> };
}

/**
 * The fleet's runtime pieces for in-process bots (tests, benches, `fleet demo`): every signal
 * type of the roster, the roster, and connectors over the brain (sample company unless `env`
 * holds a vendor's credentials).
 */
export function fleetRuntime(db: Db, env: Env = {}): FleetRuntime {
  return {
    registry: new SignalRegistry([...catalogSignalTypes, ...fleetSignalTypes]),
    fleet: fleetMembers,
    extensions: { connectors: createConnectors({ db, config: loadConnectorsConfig(env) }) },
  };
}
