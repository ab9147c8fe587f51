import { defineBot } from '@jbot/core';
import { postFleetEvent } from './fleet-events.js';
import { costWatchdog } from './jobs/cost-watchdog.js';
import { fleetMonitor } from './jobs/fleet-monitor.js';
import { signalTypes } from './signals.js';

/** sysbot — fleet monitor and cost watchdog: heartbeats, failing and missed jobs, LLM spend against budget. */
export const sysbot = defineBot({
  name: 'sysbot',
  jobs: [fleetMonitor, costWatchdog],
  signalTypes,
  // The fleet's own health, one line per event on #sys-bot.
  on: { job_failed: postFleetEvent, job_missed: postFleetEvent, budget_exceeded: postFleetEvent, bot_unhealthy: postFleetEvent },
});
