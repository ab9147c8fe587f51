// @jbot/fleet — the roster (who the bots are, where they post, their signal types, how to load
// each) and the process entry every bot runs from.
export { roster, BOT_NAMES, fleetMembers, fleetSignalTypes, rosterEntry, parseBotList, loadAllBots, UnknownBotError, type RosterEntry } from './roster.js';
export { runFleetBot, fleetExtensions } from './run-fleet-bot.js';
export { fleetRuntime, type FleetRuntime } from './fleet-runtime.js';
