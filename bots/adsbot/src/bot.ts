import { defineBot } from '@jbot/core';

/** adsbot — Ad creative and fatigue detection. */
export const adsbot = defineBot({
  name: 'adsbot',
  purpose: 'Ad creative and fatigue detection',
  channel: '#ads-bot',
  jobs: [],
  on: {},
});
