import { defineBot } from '@jbot/core';
import { postFulfilmentForecast } from './post-forecast.js';

/** shipbot — Fulfilment: inventory, late orders and the fulfilment forecast. */
export const shipbot = defineBot({
  name: 'shipbot',
  purpose: 'Fulfilment: inventory, late orders and the fulfilment forecast',
  channel: '#ship-bot',
  jobs: [],
  // The freight cascade: a late shipment → the updated fulfilment forecast on #ship-bot.
  on: { freight_delay: postFulfilmentForecast },
});
