import { defineBot } from '@jbot/core';
import { inventoryCover } from './jobs/inventory-cover.js';
import { postFulfilmentForecast } from './post-forecast.js';
import { signalTypes } from './signals.js';

/** shipbot — fulfilment: inventory, late orders and the fulfilment forecast. */
export const shipbot = defineBot({
  name: 'shipbot',
  jobs: [inventoryCover],
  signalTypes,
  // The freight cascade: a late shipment → the updated fulfilment forecast on #ship-bot.
  on: { freight_delay: postFulfilmentForecast },
});
