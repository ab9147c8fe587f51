import { defineBot } from '@jbot/core';

/** studiobot — Influencers and UGC. */
export const studiobot = defineBot({
  name: 'studiobot',
  purpose: 'Influencers and UGC',
  channel: '#studio-bot',
  jobs: [],
  on: {},
});
