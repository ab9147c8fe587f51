import { defineBot } from '@jbot/core';

/** jbot — The operator's assistant: routes what matters to Telegram and the operator's replies back to the right bot. */
export const jbot = defineBot({
  name: 'jbot',
  purpose: "The operator's assistant: routes what matters to Telegram and the operator's replies back to the right bot",
  channel: '#jbot',
  jobs: [],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: {
    stale_deals: (signal, context) => {
      context.log.info({ signalId: signal.id, severity: signal.severity }, 'received stale_deals');
    },
    freight_delay: (signal, context) => {
      context.log.info({ signalId: signal.id, severity: signal.severity }, 'received freight_delay');
    },
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
