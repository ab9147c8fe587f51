import { createChannel } from '@jbot/channels';
import { connectorsExtension } from '@jbot/connectors';
import { runBotProcess, type ContextExtension } from '@jbot/core';
import { fleetMembers, fleetSignalTypes, rosterEntry } from './roster.js';

/** The extensions every bot's context carries (today: `ctx.connectors`). */
export const fleetExtensions: readonly ContextExtension<never>[] = [connectorsExtension as ContextExtension<never>];

/**
 * Run one bot of the roster as this process: load only its definition, register every signal
 * type of the fleet, and hand it the channel, connectors and roster (what systemd's
 * jbot@<bot>.service and the local supervisor start).
 */
export async function runFleetBot(name: string): Promise<void> {
  const entry = rosterEntry(name);
  const definition = await entry.load();
  await runBotProcess(definition, { channel: createChannel, signalTypes: fleetSignalTypes, fleet: fleetMembers, extensions: fleetExtensions });
}
