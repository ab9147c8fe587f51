import { fleetSignalTypes } from '@jbot/fleet';
import { catalogSignalTypes, SignalRegistry } from '@jbot/core';

/** Every signal type of the fleet, as a fleet process registers them: mktgbot subscribes to opsbot's and shipbot's. */
export function fleetRegistry(): SignalRegistry {
  return new SignalRegistry([...catalogSignalTypes, ...fleetSignalTypes.filter((type) => !catalogSignalTypes.some((built) => built.type === type.type))]);
}
