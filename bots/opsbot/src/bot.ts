import { defineBot } from '@jbot/core';
import { freightWatch } from './jobs/freight-watch.js';

/** opsbot — Supply chain: inbound freight against promised ETAs, vendors, purchase orders. */
export const opsbot = defineBot({
  name: 'opsbot',
  purpose: 'Supply chain: inbound freight against promised ETAs, vendors, purchase orders',
  channel: '#ops-bot',
  jobs: [freightWatch],
  on: {},
});
