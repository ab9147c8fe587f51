export { sysbot } from './bot.js';
export { costWatchdog, type SpendLine } from './jobs/cost-watchdog.js';
export { fleetMonitor } from './jobs/fleet-monitor.js';
export { postFleetEvent, fleetEventLine } from './fleet-events.js';
export { botUnhealthy, signalTypes } from './signals.js';
