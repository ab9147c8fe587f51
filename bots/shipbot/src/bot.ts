import { defineBot, loggingHandlers } from '@jbot/core';

/** shipbot — Fulfilment: inventory, late orders and the fulfilment forecast. */
export const shipbot = defineBot({
  name: 'shipbot',
  purpose: 'Fulfilment: inventory, late orders and the fulfilment forecast',
  channel: '#ship-bot',
  jobs: [],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: loggingHandlers(['freight_delay']),
});
