import { defineBot, loggingHandlers } from '@jbot/core';
import { costWatchdog } from './jobs/cost-watchdog.js';
import { fleetMonitor } from './jobs/fleet-monitor.js';

/** sysbot — Fleet monitor and cost watchdog: heartbeats, failing and missed jobs, LLM spend against budget. */
export const sysbot = defineBot({
  name: 'sysbot',
  purpose: 'Fleet monitor and cost watchdog: heartbeats, failing and missed jobs, LLM spend against budget',
  channel: '#sys-bot',
  jobs: [fleetMonitor, costWatchdog],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: loggingHandlers(['job_failed', 'job_missed', 'budget_exceeded', 'bot_unhealthy']),
});
