import { defineBot } from '@jbot/core';

/** salesbot — Keeps the HubSpot pipeline moving: new, stale and won deals, follow-up drafts, customer notices. */
export const salesbot = defineBot({
  name: 'salesbot',
  purpose: "Keeps the HubSpot pipeline moving: new, stale and won deals, follow-up drafts, customer notices",
  channel: '#sales-bot',
  jobs: [],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: {
    freight_delay: (signal, context) => {
      context.log.info({ signalId: signal.id, severity: signal.severity }, 'received freight_delay');
    },
  },
});
