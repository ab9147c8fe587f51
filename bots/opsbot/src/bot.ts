import { defineBot } from '@jbot/core';
import { freightWatch } from './jobs/freight-watch.js';
import { signalTypes } from './signals.js';

/** opsbot — supply chain: inbound freight against promised ETAs, vendors, purchase orders. */
export const opsbot = defineBot({
  name: 'opsbot',
  jobs: [freightWatch],
  signalTypes,
});
