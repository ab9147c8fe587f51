import { defineBot } from '@jbot/core';
import { fleetMonitor } from './jobs/fleet-monitor.js';

/** sysbot — Fleet monitor and cost watchdog: heartbeats, failing and missed jobs, LLM spend against budget. */
export const sysbot = defineBot({
  name: 'sysbot',
  purpose: "Fleet monitor and cost watchdog: heartbeats, failing and missed jobs, LLM spend against budget",
  channel: '#sys-bot',
  jobs: [fleetMonitor],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: {
    job_failed: (signal, context) => {
      context.log.info({ signalId: signal.id, severity: signal.severity }, 'received job_failed');
    },
    job_missed: (signal, context) => {
      context.log.info({ signalId: signal.id, severity: signal.severity }, 'received job_missed');
    },
    budget_exceeded: (signal, context) => {
      context.log.info({ signalId: signal.id, severity: signal.severity }, 'received budget_exceeded');
    },
    bot_unhealthy: (signal, context) => {
      context.log.info({ signalId: signal.id, severity: signal.severity }, 'received bot_unhealthy');
    },
  },
});
